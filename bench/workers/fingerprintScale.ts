// Runs in its own process, so that its memory is the fingerprints' own: builds
// the FingerprintSet of USERS simulated users (as a run that listed them holds
// it), saves it to bytes and loads it back (as a continued run does), and
// prints the sizes, times and memory as one JSON line on stderr. Run with
// --expose-gc. env: USERS.
import { FingerprintSet, fingerprint, newSalt } from '../../src/reconcile/fingerprints.js';
import { simulatedSub } from '../simulatedCognito.js';

const users = Number(process.env.USERS);
if (!Number.isInteger(users) || users < 1)
  throw new Error(`USERS must be a positive integer, got ${process.env.USERS}`);

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 5);
globalThis.gc?.();
const before = process.memoryUsage();
const salt = newSalt();

let started = performance.now();
const set = new FingerprintSet();
for (let i = 0; i < users; i++) {
  set.add(fingerprint(simulatedSub(i), salt));
  if (i % 100_000 === 0) sample();
}
const buildMs = performance.now() - started;
globalThis.gc?.();
const built = process.memoryUsage();

started = performance.now();
const bytes = set.toBytes();
const saveMs = performance.now() - started;
sample();
started = performance.now();
const loaded = FingerprintSet.fromBytes(bytes);
const loadMs = performance.now() - started;
sample();
if (loaded.size !== set.size) throw new Error('the loaded set differs');
clearInterval(sampler);
sample();
process.stderr.write(
  `${JSON.stringify({
    users,
    distinct: set.size,
    buildMs,
    saveMs,
    loadMs,
    savedBytes: bytes.byteLength,
    heldBytes: built.arrayBuffers - before.arrayBuffers,
    peakRssGrowthBytes: peakRss - before.rss,
    baselineRssBytes: before.rss,
  })}\n`,
);
