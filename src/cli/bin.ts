import '../silenceSdkNotices.js';
import { runCli } from './runCli.js';

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
