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
  /** Peak RSS above the process's start, through build, save and load. */
  readonly peakRssGrowthBytes: number;
  /** RSS of the process before (Node and tsx). */
  readonly baselineRssBytes: number;
}

/** Builds, saves and loads the fingerprints of `users` users in a process of its own. */
export async function measureFingerprintScale(users: number): Promise<FingerprintScale> {
  const { report } = await runWorker(
    [
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(new URL('./workers/fingerprintScale.ts', import.meta.url)),
    ],
    { ...process.env, USERS: String(users) },
  );
  return report as unknown as FingerprintScale;
}
