// `npm start`: runs the local stack from its bundle (dist/local/main.mjs, built
// by `npm ci` through `prepare`), rebuilding the bundle first when a source
// file under src/ is newer, so an edit is never run stale and a start never
// compiles TypeScript file by file.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCAL_STACK_BUNDLE, localStackBundleOptions } from './esbuildOptions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, LOCAL_STACK_BUNDLE);

/** The newest modification time of the files below a folder, in milliseconds. */
function newest(folder) {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    const time = entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    if (time > latest) latest = time;
  }
  return latest;
}

function builtAt() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

if (builtAt() < newest(join(root, 'src'))) {
  const { build } = await import('esbuild');
  await build(localStackBundleOptions(root));
}
await import(pathToFileURL(bundle).href);
