// `prepare`: builds dist/ after `npm ci` and `npm install` in this repository.
// `npm pack` and `npm publish` build in `prepack` instead (see scripts/pack.mjs).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  for (const [command, args] of [
    [process.execPath, [join(root, 'scripts/build.mjs')]],
    ['npm', ['run', 'build:console']],
  ]) {
    const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
