import '../shared/silenceSdkNotices.js';
import { runLocalStackCli } from './runLocalStackCli.js';

// Entry point of `npm start`: runs the local stack until SIGINT or SIGTERM, or
// until the parent process goes away (npm does not pass SIGTERM on to its
// script). A second signal while stopping ends the process at once.
let signalled = false;
const stopSignal = new Promise<number>((resolveStop) => {
  const stop = (): void => {
    signalled = true;
    resolveStop(0);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !signalled) stop();
  }, 500).unref();
});

const code = await runLocalStackCli({
  args: process.argv.slice(2),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stopSignal,
});
process.exit(code);
