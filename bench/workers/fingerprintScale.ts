// Runs in its own process, so that its memory is the fingerprints' own, in one
// of two phases (env PHASE):
// - `build`: builds the FingerprintSet of USERS simulated users (what a run that
//   listed them holds) and saves it to FILE (what its checkpoint saves);
// - `load`: reads FILE and loads it (what a continuing invocation does first).
// Prints sizes, times and the phase's peak memory as one JSON line on stderr.
// Run with --expose-gc. env: PHASE, USERS, FILE.
import { readFile, writeFile } from 'node:fs/promises';
import { FingerprintSet, fingerprint, newSalt } from '../../src/sync/reconcile/fingerprints.js';
import { simulatedSub } from '../simulatedCognito.js';

const phase = process.env.PHASE;
const file = process.env.FILE;
const users = Number(process.env.USERS);
if ((phase !== 'build' && phase !== 'load') || !file) {
  throw new Error(`PHASE must be build or load and FILE a path, got ${phase} and ${file}`);
}
if (!Number.isInteger(users) || users < 1) {
  throw new Error(`USERS must be a positive integer, got ${process.env.USERS}`);
}

// Twice: buffers the loader let go of are freed by the first, so that `before` holds none of them.
globalThis.gc?.();
globalThis.gc?.();
const before = process.memoryUsage();
let peakRss = before.rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 5);
const started = performance.now();
let report: Record<string, number>;
if (phase === 'build') {
  const salt = newSalt();
  const set = new FingerprintSet();
  for (let i = 0; i < users; i++) {
    set.add(fingerprint(simulatedSub(i), salt));
    if (i % 100_000 === 0) sample();
  }
  const buildMs = performance.now() - started;
  globalThis.gc?.();
  const heldBytes = process.memoryUsage().arrayBuffers - before.arrayBuffers;
  const saveStarted = performance.now();
  const bytes = set.toBytes();
  const saveMs = performance.now() - saveStarted;
  sample();
  await writeFile(file, bytes);
  report = { distinct: set.size, buildMs, saveMs, heldBytes, savedBytes: bytes.byteLength };
} else {
  // The file's bytes as they are (no copy), as the checkpoint's chunks are read into one buffer.
  const buffer = await readFile(file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const loadStarted = performance.now();
  const set = FingerprintSet.fromBytes(bytes);
  const loadMs = performance.now() - loadStarted;
  sample();
  report = { distinct: set.size, loadMs };
}
clearInterval(sampler);
sample();
process.stderr.write(
  `${JSON.stringify({ ...report, peakRssGrowthBytes: peakRss - before.rss, baselineRssBytes: before.rss })}\n`,
);
