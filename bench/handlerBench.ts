import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { lambdaBundleOptions } from '../scripts/esbuildOptions.mjs';
import { benchEvent } from './events.js';
import { type Summary, summarize } from './stats.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The deployable bundle (built by `npm run build`). */
export const OUR_BUNDLE = here('../dist/lambda/post-confirmation/index.mjs');
/** The tutorial handler's bundle, built by {@link buildBaselineBundle}. */
export const BASELINE_BUNDLE = here('./.build/tutorial/index.mjs');
/** The warm floor's bundle (`baseline/floorHandler.ts`), built by {@link buildBaselineBundle}. */
export const FLOOR_BUNDLE = here('./.build/floor/index.mjs');

/**
 * Builds the tutorial handler and the warm floor with the same esbuild
 * settings as the deployable bundle (`lambdaBundleOptions`).
 */
export async function buildBaselineBundle(): Promise<void> {
  await build(
    lambdaBundleOptions({ entry: here('./baseline/tutorialHandler.ts'), outfile: BASELINE_BUNDLE }),
  );
  await build(
    lambdaBundleOptions({ entry: here('./baseline/floorHandler.ts'), outfile: FLOOR_BUNDLE }),
  );
}

/** Where the workers send their requests. */
export interface BenchTarget {
  /** DynamoDB endpoint URL. */
  readonly dynamodbEndpoint: string;
  /** Table (partition key `username`). */
  readonly tableName: string;
}

/** A bench worker's whole environment: dummy credentials, the target's endpoint and table, and `extra`. */
export function workerEnv(target: BenchTarget, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: target.dynamodbEndpoint,
    TABLE_NAME: target.tableName,
    ...extra,
  };
}

/**
 * Runs a worker process; resolves with the last JSON line it wrote on stderr and its wall time.
 * With `drainStdout`, the worker's stdout is a pipe this process reads and discards (as
 * Lambda's log agent reads a function's), instead of `/dev/null`.
 */
export function runWorker(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { readonly drainStdout?: boolean } = {},
): Promise<{ report: Record<string, unknown>; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env,
      stdio: ['ignore', options.drainStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    child.stdout?.resume();
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const last = stderr.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`worker ${args.join(' ')} exited with ${code}: ${stderr.slice(-500)}`));
        return;
      }
      try {
        resolve({ report: JSON.parse(last) as Record<string, unknown>, wallMs });
      } catch {
        reject(new Error(`worker ${args.join(' ')} printed no report: ${stderr.slice(-500)}`));
      }
    });
  });
}

/** Cold start of one bundle: medians over the runs. */
export interface ColdStartResult {
  /** Process start → handler resolved, as measured inside the process. */
  readonly totalMs: Summary;
  /** Import of the bundle alone. */
  readonly importMs: Summary;
  /** First invocation, after the import. */
  readonly firstInvokeMs: Summary;
  /** Import + first invocation: the part that depends on the bundle (Node's own boot excluded). */
  readonly bundleMs: Summary;
  /** Spawn → exit, measured by the parent. */
  readonly wallMs: Summary;
}

/**
 * Cold start: a fresh Node process imports the bundle and handles one event;
 * ours and the baseline alternate run by run.
 */
export async function measureColdStart(
  target: BenchTarget,
  runs: number,
): Promise<{ ours: ColdStartResult; baseline: ColdStartResult }> {
  const worker = here('./workers/coldStart.mjs');
  const empty = () => ({
    totalMs: [] as number[],
    importMs: [] as number[],
    firstInvokeMs: [] as number[],
    bundleMs: [] as number[],
    wallMs: [] as number[],
  });
  const samples = { ours: empty(), baseline: empty() };
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
    for (const name of order) {
      const bundle = name === 'ours' ? OUR_BUNDLE : BASELINE_BUNDLE;
      const event = benchEvent(`cold-${name}-${run}-${Date.now()}`);
      const { report, wallMs } = await runWorker(
        [worker, bundle],
        workerEnv(target, { EVENT: JSON.stringify(event) }),
      );
      const sample = samples[name];
      sample.totalMs.push(Number(report.totalMs));
      sample.importMs.push(Number(report.importMs));
      sample.firstInvokeMs.push(Number(report.firstInvokeMs));
      sample.bundleMs.push(Number(report.importMs) + Number(report.firstInvokeMs));
      sample.wallMs.push(wallMs);
    }
  }
  const summarizeAll = (s: (typeof samples)['ours']): ColdStartResult => ({
    totalMs: summarize(s.totalMs),
    importMs: summarize(s.importMs),
    firstInvokeMs: summarize(s.firstInvokeMs),
    bundleMs: summarize(s.bundleMs),
    wallMs: summarize(s.wallMs),
  });
  return { ours: summarizeAll(samples.ours), baseline: summarizeAll(samples.baseline) };
}

/** Warm latency of the deployable bundle against the floor's, as {@link measureBundleWarm} measures it. */
export interface BundleWarmResult {
  /** Calls per bundle. */
  readonly count: number;
  /** Rounds (a fresh process each, holding both bundles). */
  readonly rounds: number;
  /** The deployable bundle. */
  readonly ours: Summary;
  /** The floor's bundle. */
  readonly floor: Summary;
  /** p50 ours / floor. */
  readonly p50Ratio: number;
  /** p99 ours / floor. */
  readonly p99Ratio: number;
}

/**
 * Warm latency as deployed: each round is a fresh Node process that imports the
 * deployable bundle (`dist/lambda/post-confirmation/index.mjs`) and the floor's,
 * bundled the same way (the import order swapping every round), makes `warmUp`
 * untimed invocations of each, then times `count / rounds` sequential
 * invocations of each, alternating call by call, each confirming a new user.
 * Call-by-call alternation makes load on the machine fall on both alike; several
 * processes average out what one process's layout does to either. The workers'
 * stdout is a pipe read by this process, as a function's is in Lambda. Fails
 * when an invocation did not write its row.
 */
export async function measureBundleWarm(
  target: BenchTarget,
  options: { readonly count: number; readonly rounds: number; readonly warmUp: number },
): Promise<BundleWarmResult> {
  const worker = here('./workers/bundlePair.mjs');
  const perRound = Math.max(1, Math.ceil(options.count / options.rounds));
  const samples = { ours: [] as number[], floor: [] as number[] };
  const runId = Date.now().toString(36);
  for (let round = 0; round < options.rounds; round++) {
    const pair = [`ours=${OUR_BUNDLE}`, `floor=${FLOOR_BUNDLE}`];
    const { report } = await runWorker(
      [worker, ...(round % 2 === 0 ? pair : pair.reverse())],
      workerEnv(target, {
        COUNT: String(perRound),
        WARM_UP: String(options.warmUp),
        PREFIX: `bw-${runId}-${round}`,
        EVENT: JSON.stringify(benchEvent('template')),
      }),
      { drainStdout: true },
    );
    const timed = report.samples as Record<'ours' | 'floor', number[]>;
    samples.ours.push(...timed.ours);
    samples.floor.push(...timed.floor);
  }
  const expected = 2 * options.rounds * (perRound + options.warmUp);
  const written = await countRows(target, `bw-${runId}-`);
  if (written !== expected) {
    throw new Error(
      `the warm run wrote ${written} new rows, expected ${expected}: some invocations did not write theirs`,
    );
  }
  const ours = summarize(samples.ours);
  const floor = summarize(samples.floor);
  return {
    count: samples.ours.length,
    rounds: options.rounds,
    ours,
    floor,
    p50Ratio: ours.p50 / floor.p50,
    p99Ratio: ours.p99 / floor.p99,
  };
}

/** Rows of the target's table whose key starts with `prefix` (a scan, untimed). */
async function countRows(target: BenchTarget, prefix: string): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: target.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let rows = 0;
  let start: Record<string, AttributeValue> | undefined;
  try {
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: target.tableName,
          Select: 'COUNT',
          FilterExpression: 'begins_with(#key, :prefix)',
          ExpressionAttributeNames: { '#key': 'username' },
          ExpressionAttributeValues: { ':prefix': { S: prefix } },
          ExclusiveStartKey: start,
        }),
      );
      rows += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
  return rows;
}

/** Memory of one bundle's process over a warm run, in KB. */
export interface MemoryFigures {
  /** Peak resident set size. */
  readonly maxRssKb: number;
  /** Heap in use after a full garbage collection at the end: what the run retained. */
  readonly retainedHeapKb: number;
}

/** Memory of a process that imports a bundle and handles `count` events, ours and the baseline's. */
export async function measurePeakRss(
  target: BenchTarget,
  count: number,
): Promise<{ ours: MemoryFigures; baseline: MemoryFigures }> {
  const worker = here('./workers/memory.mjs');
  const run = async (bundle: string, prefix: string): Promise<MemoryFigures> => {
    const { report } = await runWorker(
      ['--expose-gc', worker, bundle],
      workerEnv(target, {
        COUNT: String(count),
        PREFIX: `${prefix}-${Date.now()}`,
        EVENT: JSON.stringify(benchEvent('template')),
      }),
    );
    return { maxRssKb: Number(report.maxRssKb), retainedHeapKb: Number(report.retainedHeapKb) };
  };
  return {
    ours: await run(OUR_BUNDLE, 'rss-ours'),
    baseline: await run(BASELINE_BUNDLE, 'rss-base'),
  };
}
