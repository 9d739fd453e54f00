import type { BuildOptions } from 'esbuild';

/** Defines `require` inside an ESM bundle, for the CommonJS code it contains. */
export declare const requireShim: string;

/** Options for a self-contained, minified ESM bundle for Node.js (AWS SDK included). */
export declare function lambdaBundleOptions(target: {
  entry: string;
  outfile: string;
  external?: string[];
  banner?: string;
}): BuildOptions;

/** Where `npm start` runs the local stack from: a bundle of `src/local/main.ts`. */
export declare const LOCAL_STACK_BUNDLE: string;

/** Options for the local stack's bundle (our sources in one file, packages left to node_modules). */
export declare function localStackBundleOptions(root: string): BuildOptions;
