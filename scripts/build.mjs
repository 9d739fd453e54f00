// Builds everything the package ships:
// - dist/lambda/<name>/index.mjs: one self-contained, minified ESM bundle per
//   Lambda entry in src/entry/lambda/<name>.ts (camelCase file, kebab-case folder),
//   AWS SDK inside; the construct deploys these folders with Code.fromAsset.
// - dist/cli/cognito-user-sync.mjs: the command line (AWS SDK from node_modules).
// - dist/local/main.mjs: the local stack, run by `npm start` (not published).
// - dist/lib: the library (root runtime API and `cognito-user-sync/cdk`),
//   compiled by tsc with its .d.ts files.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  LAMBDA_ALIASES,
  LOCAL_STACK_BUNDLE,
  lambdaBundleOptions,
  localStackBundleOptions,
  requireShim,
} from './esbuildOptions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Size budget of a Lambda bundle, in bytes: a bigger bundle cold-starts
 * slower. Every function reads and checks the row mapping (about 14 KB).
 */
const LAMBDA_BUDGET = 336 * 1024;

const kebab = (name) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const lambdaEntries = (await readdir(join(root, 'src/entry/lambda')))
  .filter((file) => file.endsWith('.ts'))
  .sort();

/** The bundles; `external` lists packages left to node_modules. */
const targets = [
  ...lambdaEntries.map((file) => {
    const name = kebab(file.slice(0, -3));
    return {
      entry: `src/entry/lambda/${file}`,
      outfile: `dist/lambda/${name}/index.mjs`,
      alias: LAMBDA_ALIASES,
      maxBytes: LAMBDA_BUDGET,
    };
  }),
  {
    entry: 'src/entry/cli/bin.ts',
    outfile: 'dist/cli/cognito-user-sync.mjs',
    external: ['@aws-sdk/*', '@smithy/*'],
    banner: `#!/usr/bin/env node\n${requireShim}`,
    executable: true,
  },
];

await rm(join(root, 'dist'), { recursive: true, force: true });
for (const target of targets) {
  const outfile = join(root, target.outfile);
  await mkdir(dirname(outfile), { recursive: true });
  await build(
    lambdaBundleOptions({
      entry: join(root, target.entry),
      outfile,
      external: target.external,
      banner: target.banner,
      alias: target.alias,
    }),
  );
  if (target.executable) await chmod(outfile, 0o755);
  const { size } = await stat(outfile);
  if (target.maxBytes && size > target.maxBytes) {
    throw new Error(`${target.outfile} is ${size} bytes, over its ${target.maxBytes}-byte budget`);
  }
  console.error(`built ${target.outfile} (${(size / 1024).toFixed(1)} KB)`);
}

await build(localStackBundleOptions(root));
console.error(`built ${LOCAL_STACK_BUNDLE} (the local stack, for npm start)`);

const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) throw new Error(`tsc could not compile the library (exit ${tsc.status})`);
console.error('built dist/lib (library and types)');
