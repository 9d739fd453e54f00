import { statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoServer } from '../src/local/dynamoServer.js';
import { type ChangeLatency, measureChangeLatency } from './changeLatency.js';
import { type CheckpointBenchResult, measureCheckpoints } from './checkpointBench.js';
import { type ConsoleLoad, measureConsoleLoad } from './consoleLoad.js';
import {
  BASELINE_BUNDLE,
  type BundleWarmResult,
  buildBaselineBundle,
  type ColdStartResult,
  type MemoryFigures,
  measureBundleWarm,
  measureColdStart,
  measurePeakRss,
  OUR_BUNDLE,
} from './handlerBench.js';
import {
  type ListingMatrixRow,
  measureListingMatrix,
  measureQuotaReconcile,
  type QuotaBenchRow,
} from './quotaBench.js';
import { ensureReadyTable } from './readyTable.js';
import { measureReconcile, type NetworkDelay, type ReconcileBenchRow } from './reconcileBench.js';
import { type FingerprintScale, measureFingerprintScale } from './scaleBench.js';
import { measureSignInLatency, type SignInLatencyRow } from './signInBench.js';
import { USER_LIST_QUOTA_RPS } from './simulatedCognito.js';
import { measureSlices, type SlicesBenchResult } from './slicesBench.js';
import { measureStackReadiness } from './stackReadiness.js';
import type { Summary } from './stats.js';
import { type BreakdownVariant, measureWarmBreakdown, WARM_UP } from './warmBreakdown.js';

/** Sections of the benchmark. */
export const SECTIONS = [
  'cold',
  'warm',
  'memory',
  'reconcile',
  'quota',
  'listing',
  'backfill',
  'stack',
  'change',
  'slices',
  'scale',
  'checkpoints',
  'console',
  'signin',
] as const;

/** One of {@link SECTIONS}. */
export type Section = (typeof SECTIONS)[number];

/** What to run, and how much. */
export interface BenchOptions {
  /** Sections to run. */
  readonly sections: readonly Section[];
  /** Cold starts per bundle (interleaved). */
  readonly coldRuns: number;
  /** Warm invocations per variant of the breakdown (from source, one process). */
  readonly warmCount: number;
  /** Warm invocations of each bundle (ours, the floor's), and the fresh processes they are spread over. */
  readonly bundleWarm: { readonly count: number; readonly rounds: number };
  /** Invocations in the memory run. */
  readonly memoryCount: number;
  /** Pool sizes for reconcile. */
  readonly reconcileSizes: readonly number[];
  /** Simulated round trips for reconcile (and for the quota section). */
  readonly delay: NetworkDelay;
  /** Pool sizes for reconcile at the ListUsers quota (99% of the rows present). */
  readonly quotaSizes: readonly number[];
  /** Reconcile with its defaults at each rate × ListUsers round trip, `users` each (99% present). */
  readonly listingMatrix: {
    readonly users: number;
    readonly rates: readonly number[];
    readonly roundTripsMs: readonly number[];
    /** Each case again with these `--list-chains`, as baselines in the same run. */
    readonly baselineChains?: readonly number[];
  };
  /** Users of the first backfill (an empty table: every row missing), at the quota. */
  readonly backfillUsers: number;
  /** `npm start` runs per tsx cache state (cold, warm). */
  readonly stackRuns: number;
  /** Users changed (updated, disabled, deleted) for the change latency. */
  readonly changeUsers: number;
  /** The scheduled reconcile over several invocations: pool size and time per invocation. */
  readonly slices: {
    readonly users: number;
    readonly invocationMs: number;
    readonly listRate: number;
  };
  /** Fingerprints held for the 10-million-user estimate. */
  readonly scaleUsers: number;
  /** The checkpoints of a run: fingerprints at its last save, and how many saves. */
  readonly checkpoints: { readonly fingerprints: number; readonly saves: number };
  /** Sign-ins per variant of the sign-in refresh, and the simulated DynamoDB round trip. */
  readonly signIn: { readonly count: number; readonly delayMs: number };
  /** Console page loads (fresh browser contexts) and users in the pool. */
  readonly consoleLoad: { readonly users: number; readonly runs: number };
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/** Full-size settings: what `npm run bench` runs. */
export const FULL_BENCH: Omit<BenchOptions, 'log'> = {
  sections: SECTIONS,
  coldRuns: 101,
  warmCount: 3000,
  bundleWarm: { count: 2400, rounds: 12 },
  memoryCount: 1000,
  reconcileSizes: [1000, 10_000],
  delay: { dynamodbMs: 5, cognitoMs: 30 },
  quotaSizes: [20_000, 100_000],
  listingMatrix: {
    users: 20_000,
    rates: [10, 30],
    roundTripsMs: [30, 100, 300],
    baselineChains: [16],
  },
  backfillUsers: 100_000,
  stackRuns: 5,
  changeUsers: 100,
  slices: { users: 30_000, invocationMs: 10_000, listRate: 10 },
  scaleUsers: 10_000_000,
  checkpoints: { fingerprints: 1_000_000, saves: 10 },
  consoleLoad: { users: 50, runs: 10 },
  signIn: { count: 1000, delayMs: 5 },
};

/** Goal for reconcile with its defaults: time / listing floor. */
export const LISTING_FLOOR_GOAL = 1.05;

/** Goal for reconcile's memory, steady run and first backfill: RSS growth per user. */
export const RECONCILE_BYTES_PER_USER_GOAL = 512;

/** Goal for the lifecycle sync: a change reaches the row (p95, locally). */
export const CHANGE_LATENCY_GOAL_MS = 1000;

/** Goal for the console: the page loads (every user shown). */
export const CONSOLE_LOAD_GOAL_MS = 1000;

/** Goal for the local stack: `npm start` to the banner. */
export const STACK_READY_GOAL_MS = 2000;

/** Everything a run measured. */
export interface BenchResults {
  /** When and where. */
  readonly machine: {
    readonly date: string;
    readonly cores: number;
    readonly cpu: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
  };
  /** Cold start of the deployable bundle against the tutorial's. */
  readonly coldStart?: {
    readonly runs: number;
    readonly ours: ColdStartResult;
    readonly baseline: ColdStartResult;
    /** Median total (process start → handled) ours / baseline. */
    readonly ratio: number;
    /** Median import + first invocation, ours / baseline (Node's boot excluded). */
    readonly bundleRatio: number;
    readonly bundleBytes: { readonly ours: number; readonly baseline: number };
  };
  /** Warm sequential latency of the deployable bundle against the floor's bundle. */
  readonly warm?: BundleWarmResult;
  /** Where the warm time goes, from source in one process: a floor (put + one log line) and variants. */
  readonly warmBreakdown?: {
    readonly count: number;
    readonly variants: Record<BreakdownVariant, Summary>;
    /** p50 ours / floor. */
    readonly p50Ratio: number;
    /** p99 ours / floor. */
    readonly p99Ratio: number;
  };
  /** Peak RSS over a warm run. */
  readonly memory?: {
    readonly count: number;
    readonly ours: MemoryFigures;
    readonly baseline: MemoryFigures;
    /** Peak RSS ours / baseline. */
    readonly ratio: number;
  };
  /** Reconcile against the naive loop. */
  readonly reconcile?: {
    readonly delay: NetworkDelay;
    readonly rows: readonly ReconcileBenchRow[];
    /** reconcile time at the largest size / at the smallest, per network, divided by the size ratio (1 = linear). */
    readonly growth: Record<string, number>;
  };
  /** Reconcile at the ListUsers quota against the simulated Cognito. */
  readonly quota?: {
    readonly delay: NetworkDelay;
    /** `listRate` given to reconcile, and the simulated quota. */
    readonly listRate: number;
    readonly rows: readonly QuotaBenchRow[];
  };
  /** Reconcile with its defaults (and the baselines) at each rate × ListUsers round trip. */
  readonly listing?: {
    readonly users: number;
    readonly dynamodbMs: number;
    readonly rows: readonly ListingMatrixRow[];
    readonly goal: number;
  };
  /** A first backfill: every row missing, at the quota. */
  readonly backfill?: {
    readonly delay: NetworkDelay;
    readonly listRate: number;
    readonly row: QuotaBenchRow;
    readonly goalBytesPerUser: number;
  };
  /** `npm start` → banner. */
  readonly localStack?: {
    readonly runs: number;
    readonly cold: Summary;
    readonly warm: Summary;
    readonly goalMs: number;
  };
  /** Cognito call → row, through the lifecycle sync on the local stack. */
  readonly change?: ChangeLatency & { readonly goalMs: number };
  /** The scheduled reconcile over several invocations. */
  readonly slices?: SlicesBenchResult;
  /** Memory of the fingerprints of a very large pool. */
  readonly scale?: FingerprintScale;
  /** What each checkpoint save writes: only what changed, against the whole state each time. */
  readonly checkpoints?: CheckpointBenchResult;
  /** The console page: navigation → every user shown. */
  readonly consoleLoad?: ConsoleLoad & { readonly goalMs: number };
  /** The latency a sign-in's refresh adds, against a bare UpdateItem of the same item. */
  readonly signIn?: { readonly count: number; readonly rows: readonly SignInLatencyRow[] };
}

/** Runs the selected sections and returns their figures. */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const machine = {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = { machine };
  const wants = (section: Section) => options.sections.includes(section);

  if (wants('cold') || wants('warm') || wants('memory')) {
    await buildBaselineBundle();
    const dynamo = await startDynamoServer({ host: '127.0.0.1', port: 0 });
    const admin = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
    const target = { dynamodbEndpoint: dynamo.endpoint, tableName: 'bench-users' };
    try {
      await ensureReadyTable(admin, { tableName: target.tableName, keyAttribute: 'username' });
      if (wants('cold')) {
        options.log(`cold start: ${options.coldRuns} runs per bundle…`);
        const cold = await measureColdStart(target, options.coldRuns);
        results.coldStart = {
          runs: options.coldRuns,
          ...cold,
          ratio: cold.ours.totalMs.p50 / cold.baseline.totalMs.p50,
          bundleRatio: cold.ours.bundleMs.p50 / cold.baseline.bundleMs.p50,
          bundleBytes: {
            ours: statSync(OUR_BUNDLE).size,
            baseline: statSync(BASELINE_BUNDLE).size,
          },
        };
      }
      if (wants('warm')) {
        const { count, rounds } = options.bundleWarm;
        options.log(`warm latency: ${count} invocations per bundle in ${rounds} rounds each…`);
        results.warm = await measureBundleWarm(target, { count, rounds, warmUp: WARM_UP });
        options.log(`warm breakdown: ${options.warmCount} invocations per variant…`);
        const variants = await measureWarmBreakdown(target, options.warmCount);
        results.warmBreakdown = {
          count: options.warmCount,
          variants,
          p50Ratio: variants.ours.p50 / variants.floor.p50,
          p99Ratio: variants.ours.p99 / variants.floor.p99,
        };
      }
      if (wants('memory')) {
        options.log(`peak RSS: ${options.memoryCount} invocations per bundle…`);
        const memory = await measurePeakRss(target, options.memoryCount);
        results.memory = {
          count: options.memoryCount,
          ...memory,
          ratio: memory.ours.maxRssKb / memory.baseline.maxRssKb,
        };
      }
    } finally {
      admin.destroy();
      await dynamo.close();
    }
  }

  if (wants('reconcile')) {
    const rows = await measureReconcile({
      sizes: options.reconcileSizes,
      delay: options.delay,
      log: options.log,
    });
    results.reconcile = { delay: options.delay, rows, growth: growthOf(rows) };
  }

  if (wants('quota')) {
    const rows = await measureQuotaReconcile({
      sizes: options.quotaSizes,
      dynamodbMs: options.delay.dynamodbMs,
      cognitoMs: options.delay.cognitoMs,
      listRate: USER_LIST_QUOTA_RPS,
      log: options.log,
    });
    results.quota = { delay: options.delay, listRate: USER_LIST_QUOTA_RPS, rows };
  }

  if (wants('listing')) {
    const rows = await measureListingMatrix({
      ...options.listingMatrix,
      dynamodbMs: options.delay.dynamodbMs,
      log: options.log,
    });
    results.listing = {
      users: options.listingMatrix.users,
      dynamodbMs: options.delay.dynamodbMs,
      rows,
      goal: LISTING_FLOOR_GOAL,
    };
  }

  if (wants('backfill')) {
    const [row] = await measureQuotaReconcile({
      sizes: [options.backfillUsers],
      dynamodbMs: options.delay.dynamodbMs,
      cognitoMs: options.delay.cognitoMs,
      listRate: USER_LIST_QUOTA_RPS,
      missingEvery: 1,
      log: options.log,
    });
    if (row) {
      results.backfill = {
        delay: options.delay,
        listRate: USER_LIST_QUOTA_RPS,
        row,
        goalBytesPerUser: RECONCILE_BYTES_PER_USER_GOAL,
      };
    }
  }

  if (wants('stack')) {
    options.log(`local stack: ${options.stackRuns} runs of npm start per tsx cache state…`);
    const readiness = await measureStackReadiness({ runs: options.stackRuns, log: options.log });
    results.localStack = {
      runs: options.stackRuns,
      ...readiness,
      goalMs: STACK_READY_GOAL_MS,
    };
  }

  if (wants('change')) {
    options.log(`change latency: ${options.changeUsers} users, one change at a time…`);
    const change = await measureChangeLatency({ users: options.changeUsers, log: options.log });
    results.change = { ...change, goalMs: CHANGE_LATENCY_GOAL_MS };
  }

  if (wants('slices')) {
    results.slices = await measureSlices({
      ...options.slices,
      quotaRps: USER_LIST_QUOTA_RPS,
      cognitoMs: options.delay.cognitoMs,
      dynamodbMs: options.delay.dynamodbMs,
      log: options.log,
    });
  }

  if (wants('scale')) {
    options.log(`scale: fingerprints of ${options.scaleUsers} users…`);
    results.scale = await measureFingerprintScale(options.scaleUsers);
  }

  if (wants('checkpoints')) {
    results.checkpoints = await measureCheckpoints({ ...options.checkpoints, log: options.log });
  }

  if (wants('console')) {
    const load = await measureConsoleLoad({ ...options.consoleLoad, log: options.log });
    results.consoleLoad = { ...load, goalMs: CONSOLE_LOAD_GOAL_MS };
  }

  if (wants('signin')) {
    options.log(`sign-in refresh: ${options.signIn.count} sign-ins per variant, per network…`);
    const rows = await measureSignInLatency(options.signIn);
    results.signIn = { count: options.signIn.count, rows };
  }
  return results;
}

function growthOf(rows: readonly ReconcileBenchRow[]): Record<string, number> {
  const growth: Record<string, number> = {};
  for (const network of ['raw', 'simulated']) {
    const sized = rows.filter((row) => row.network === network).sort((a, b) => a.users - b.users);
    const first = sized[0];
    const last = sized.at(-1);
    if (first && last && last.users > first.users) {
      growth[network] = last.reconcileMs / first.reconcileMs / (last.users / first.users);
    }
  }
  return growth;
}
