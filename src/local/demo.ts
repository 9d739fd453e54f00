import '../shared/silenceSdkNotices.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../shared/failure.js';
import { DEFAULT_DATA_DIR } from './cliArgs.js';
import { runDemo } from './runDemo.js';

// Entry point of `npm run demo`: needs a running stack (`npm start`).
try {
  const { values } = parseArgs({ options: { 'stack-file': { type: 'string' } } });
  const stackFile =
    values['stack-file'] ?? join(process.env.LOCAL_DATA_DIR || DEFAULT_DATA_DIR, 'stack.json');
  await runDemo({ stackFile, out: (text) => process.stdout.write(text) });
} catch (error) {
  process.stderr.write(`error: ${errorMessage(error)}\n`);
  process.exitCode = 1;
}
