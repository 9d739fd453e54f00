// Builds the deployable artifacts with esbuild:
// - dist/post-confirmation/index.mjs: the Lambda trigger, AWS SDK bundled in.
// - dist/cli/cognito-user-sync.mjs: the command line tool (AWS SDK from node_modules).
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lambdaBundleOptions, requireShim } from './esbuildOptions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The bundles; `external` lists packages left to node_modules. */
const targets = [
  {
    entry: 'src/handler/index.ts',
    outfile: 'dist/post-confirmation/index.mjs',
    maxBytes: 450 * 1024,
  },
  {
    entry: 'src/cli/bin.ts',
    outfile: 'dist/cli/cognito-user-sync.mjs',
    external: ['@aws-sdk/*', '@smithy/*'],
    banner: `#!/usr/bin/env node\n${requireShim}`,
    executable: true,
  },
];

for (const target of targets) {
  const outfile = join(root, target.outfile);
  await rm(dirname(outfile), { recursive: true, force: true });
  await mkdir(dirname(outfile), { recursive: true });
  await build(
    lambdaBundleOptions({
      entry: join(root, target.entry),
      outfile,
      external: target.external,
      banner: target.banner,
    }),
  );
  if (target.executable) await chmod(outfile, 0o755);
  const { size } = await stat(outfile);
  if (target.maxBytes && size > target.maxBytes) {
    throw new Error(`${target.outfile} is ${size} bytes, over its ${target.maxBytes}-byte budget`);
  }
  console.error(`built ${target.outfile} (${(size / 1024).toFixed(1)} KB)`);
}
