import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's name, as its `package.json` says. */
const PACKAGE_NAME = 'cognito-user-sync';

/**
 * The root folder of this package: the nearest folder above `moduleUrl` (a
 * module's `import.meta.url`) holding this package's `package.json`. It finds
 * the same root from the TypeScript sources, the compiled library and the
 * bundles, wherever the package is installed.
 *
 * @throws Error when no folder above holds this package's `package.json`
 */
export function packageRoot(moduleUrl: string): string {
  let folder = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && readPackageName(manifest) === PACKAGE_NAME) return folder;
    const parent = dirname(folder);
    if (parent === folder) {
      throw new Error(`cannot find the ${PACKAGE_NAME} package above ${fileURLToPath(moduleUrl)}`);
    }
    folder = parent;
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name as
      | string
      | undefined;
  } catch {
    return undefined;
  }
}

/** This package's version, as the `package.json` above `moduleUrl` says (see {@link packageRoot}). */
export function packageVersion(moduleUrl: string): string {
  const manifest = join(packageRoot(moduleUrl), 'package.json');
  return String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version);
}
