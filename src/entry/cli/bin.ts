import '../../shared/silenceSdkNotices.js';
import { runCli } from './runCli.js';

// Ctrl-C (SIGINT) stops the run: no new request starts, writes under way
// settle, the summary so far is printed and the exit code is 130. A second
// Ctrl-C ends the process at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write(
    '\ninterrupted: finishing the writes under way (Ctrl-C again to quit now)\n',
  );
  interrupt.abort();
});

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
});
