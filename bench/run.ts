// `npm run bench`: runs the benchmarks, prints a table and one JSON object,
// and writes bench/results.json. `--quick` runs tiny counts (a smoke run);
// `--sections cold,warm,memory,reconcile,quota,listing,backfill,stack,change,slices,scale,checkpoints,console,signin`
// picks sections.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatResults } from './report.js';
import { type BenchOptions, FULL_BENCH, runBench, SECTIONS, type Section } from './runBench.js';

/** Tiny counts, for the harness's smoke test. */
export const QUICK_BENCH: Omit<BenchOptions, 'log'> = {
  sections: SECTIONS,
  coldRuns: 2,
  warmCount: 20,
  bundleWarm: { count: 20, rounds: 2 },
  memoryCount: 20,
  reconcileSizes: [10, 30],
  delay: { dynamodbMs: 1, cognitoMs: 2 },
  quotaSizes: [300],
  listingMatrix: { users: 300, rates: [30], roundTripsMs: [2] },
  backfillUsers: 300,
  stackRuns: 1,
  changeUsers: 3,
  slices: { users: 900, invocationMs: 2200, listRate: 10 },
  scaleUsers: 100_000,
  checkpoints: { fingerprints: 10_000, saves: 3 },
  consoleLoad: { users: 3, runs: 2 },
  signIn: { count: 10, delayMs: 1 },
};

/** Parses `--quick`, `--sections a,b` and `--out file`. */
export function parseBenchArgs(args: readonly string[]): {
  settings: Omit<BenchOptions, 'log'>;
  out: string;
} {
  let settings = FULL_BENCH;
  let out = fileURLToPath(new URL('./results.json', import.meta.url));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--quick') settings = { ...QUICK_BENCH, sections: settings.sections };
    else if (arg === '--sections') {
      const sections = (args[++i] ?? '').split(',').filter(Boolean);
      const unknown = sections.filter((name) => !(SECTIONS as readonly string[]).includes(name));
      if (sections.length === 0 || unknown.length > 0) {
        throw new Error(
          `--sections takes a comma-separated list of ${SECTIONS.join(', ')}, got "${args[i] ?? ''}"`,
        );
      }
      settings = { ...settings, sections: sections as Section[] };
    } else if (arg === '--out') {
      const file = args[++i];
      if (!file) throw new Error('--out takes a file name');
      out = file;
    } else throw new Error(`unknown argument "${arg}" (known: --quick, --sections, --out)`);
  }
  return { settings, out };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { settings, out } = parseBenchArgs(process.argv.slice(2));
  const results = await runBench({ ...settings, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${formatResults(results)}\n${JSON.stringify(results)}\n`);
  await writeFile(out, `${JSON.stringify(results, undefined, 2)}\n`, 'utf8');
}
