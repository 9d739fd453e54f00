import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorker } from './handlerBench.js';

/** What the fingerprints of a very large pool cost (see `bench/workers/fingerprintScale.ts`). */
export interface FingerprintScale {
  /** Users fingerprinted. */
  readonly users: number;
  /** Distinct fingerprints (equal to `users` when no two collide). */
  readonly distinct: number;
  /** Fingerprinting and adding every user. */
  readonly buildMs: number;
  /** `toBytes`, what a checkpoint saves. */
  readonly saveMs: number;
  /** `fromBytes`, what a continued run loads. */
  readonly loadMs: number;
  /** Bytes saved: 8 a user. */
  readonly savedBytes: number;
  /** Bytes the set holds once built (its slot array). */
  readonly heldBytes: number;
  /** Peak RSS above the process's start while listing (building) and saving. */
  readonly buildPeakRssGrowthBytes: number;
  /** Peak RSS above the process's start while reading and loading a checkpoint (a continuing invocation). */
  readonly loadPeakRssGrowthBytes: number;
}

/**
 * Builds and saves the fingerprints of `users` users in one process, then
 * loads them in another, each measuring its own peak memory.
 */
export async function measureFingerprintScale(users: number): Promise<FingerprintScale> {
  const dir = await mkdtemp(join(tmpdir(), 'fingerprints-'));
  const worker = fileURLToPath(new URL('./workers/fingerprintScale.ts', import.meta.url));
  const run = async (phase: 'build' | 'load') =>
    (
      await runWorker(['--expose-gc', '--import', 'tsx', worker], {
        ...process.env,
        PHASE: phase,
        USERS: String(users),
        FILE: join(dir, 'fingerprints.bin'),
      })
    ).report as Record<string, number>;
  try {
    const built = await run('build');
    const loaded = await run('load');
    if (loaded.distinct !== built.distinct) {
      throw new Error(`loaded ${loaded.distinct} fingerprints of ${built.distinct} saved`);
    }
    return {
      users,
      distinct: Number(built.distinct),
      buildMs: Number(built.buildMs),
      saveMs: Number(built.saveMs),
      loadMs: Number(loaded.loadMs),
      savedBytes: Number(built.savedBytes),
      heldBytes: Number(built.heldBytes),
      buildPeakRssGrowthBytes: Number(built.peakRssGrowthBytes),
      loadPeakRssGrowthBytes: Number(loaded.peakRssGrowthBytes),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
