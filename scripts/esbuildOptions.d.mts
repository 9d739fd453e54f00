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
