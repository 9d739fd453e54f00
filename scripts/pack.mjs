// Shapes the package.json that `npm pack` and `npm publish` put in the tarball.
// - `before` (prepack): builds dist/ (unless COGNITO_USER_SYNC_PACK_PREBUILT=1,
//   which packs the dist/ already built), then removes the install-time scripts
//   (prepare, preinstall, install, postinstall) and these two packing steps
//   from package.json: they run
//   files under scripts/ that the tarball does not hold, and npm would list
//   them among the scripts a consumer has to approve. The original is kept in
//   package.json.packing.
// - `after` (postpack): puts the original package.json back.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifestPath = join(root, 'package.json');
const backupPath = join(root, 'package.json.packing');

/** Lifecycle scripts npm runs when a package is installed, and these packing steps. */
const STRIPPED_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack'];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const step = process.argv[2];
if (step === 'before') {
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath);
  if (process.env.COGNITO_USER_SYNC_PACK_PREBUILT !== '1') {
    run(process.execPath, [join(root, 'scripts/build.mjs')]);
    run('npm', ['run', 'build:console']);
  }
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text);
  for (const name of STRIPPED_SCRIPTS) delete manifest.scripts?.[name];
  writeFileSync(backupPath, text);
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (step === 'after') {
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath);
} else {
  console.error('usage: node scripts/pack.mjs before|after');
  process.exit(2);
}
