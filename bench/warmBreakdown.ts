import { fileURLToPath } from 'node:url';
import { type BenchTarget, runWorker, workerEnv } from './handlerBench.js';
import { type Summary, summarize } from './stats.js';

/** Variants of `workers/warmBreakdown.ts`, in the order they are reported. */
export const BREAKDOWN_VARIANTS = [
  'floor',
  'floorSignal',
  'floorDefaultClient',
  'ours',
  'oursQuiet',
  'oursDefaultClient',
] as const;

/** Warm-up invocations per variant before the measured ones (see the worker). */
export const WARM_UP = 20;

/** One of {@link BREAKDOWN_VARIANTS}. */
export type BreakdownVariant = (typeof BREAKDOWN_VARIANTS)[number];

/**
 * Where our handler's warm time goes: the floor (a bare conditional put
 * plus one JSON log line) and the floor or our handler with one thing changed
 * (an abort signal per call; the SDK's default request handler; logging off),
 * `count` sequential invocations each, interleaved, in one process. Every
 * invocation must write a new row (checked), so that none measures the
 * already-present path.
 */
export async function measureWarmBreakdown(
  target: BenchTarget,
  count: number,
): Promise<Record<BreakdownVariant, Summary>> {
  const { report } = await runWorker(
    ['--import', 'tsx', fileURLToPath(new URL('./workers/warmBreakdown.ts', import.meta.url))],
    workerEnv(target, { COUNT: String(count), WARM_UP: String(WARM_UP) }),
  );
  const samples = report as Record<BreakdownVariant | 'rowsWritten', number[]>;
  const expected = BREAKDOWN_VARIANTS.length * (count + WARM_UP);
  if (samples.rowsWritten?.[0] !== expected) {
    throw new Error(
      `the warm breakdown wrote ${samples.rowsWritten?.[0]} new rows, expected ${expected}: some invocations found their row already there`,
    );
  }
  return Object.fromEntries(
    BREAKDOWN_VARIANTS.map((name) => [name, summarize(samples[name] ?? [])]),
  ) as Record<BreakdownVariant, Summary>;
}
