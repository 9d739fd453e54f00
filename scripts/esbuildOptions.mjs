// esbuild settings shared by every Lambda bundle (the deployable trigger, the
// scheduled reconcile function and the benchmark's baseline), so that bundles
// compared side by side are built alike.

import { fileURLToPath } from 'node:url';

/** Defines `require` inside an ESM bundle, for the CommonJS code it contains. */
export const requireShim =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Modules our deployable Lambda bundles replace (not the benchmark's baseline,
 * whose code relies on them): the SDK's default credential chain, never
 * called since every client there is given `lambdaEnvironmentCredentials`.
 */
export const LAMBDA_ALIASES = {
  '@aws-sdk/credential-provider-node': fileURLToPath(
    new URL('./noCredentialChain.mjs', import.meta.url),
  ),
};

/**
 * Options for a self-contained, minified ESM bundle for Node.js (AWS SDK included).
 * @param {{ entry: string, outfile: string, external?: string[], banner?: string, alias?: Record<string, string> }} target
 */
export function lambdaBundleOptions(target) {
  return {
    entryPoints: [target.entry],
    outfile: target.outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    legalComments: 'none',
    external: target.external ?? [],
    alias: target.alias ?? {},
    banner: { js: target.banner ?? requireShim },
    logLevel: 'warning',
  };
}

/** Where `npm start` runs the local stack from: a bundle of `src/local/main.ts`. */
export const LOCAL_STACK_BUNDLE = 'dist/local/main.mjs';

/**
 * Options for the local stack's bundle: our sources in one unminified ESM file,
 * every package left to node_modules, so `npm start` neither compiles
 * TypeScript nor resolves our modules one by one.
 * @param {string} root the repository's root folder
 */
export function localStackBundleOptions(root) {
  return {
    entryPoints: [`${root}/src/local/main.ts`],
    outfile: `${root}/${LOCAL_STACK_BUNDLE}`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    legalComments: 'none',
    logLevel: 'warning',
  };
}
