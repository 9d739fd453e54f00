import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../src/aws/store/dynamoClient.js';
import { toUserRow } from '../src/domain/userRow.js';
import { startDynamoServer } from '../src/local/dynamoServer.js';
import { startDelayProxy } from './delayProxy.js';
import { runWorker } from './handlerBench.js';
import { ensureReadyTable } from './readyTable.js';
import {
  SIMULATED_MAX_PAGE,
  SIMULATED_POOL_ID,
  simulatedSub,
  simulatedUser,
  startSimulatedCognito,
} from './simulatedCognito.js';

/** Every `MISSING_EVERY`-th user has no row before the run: 1% missing. */
export const MISSING_EVERY = 100;
/** `createdAt` of the pre-seeded rows: a rewritten row would lose it. */
export const SEEDED_AT = '2025-01-01T00:00:00.000Z';
/** `source` of the pre-seeded rows. */
const SEEDED_SOURCE = 'PostConfirmation_ConfirmSignUp';
const KEY = 'username';

/** Options of {@link measureQuotaReconcile}. */
export interface QuotaBenchOptions {
  /** Pool sizes, e.g. [20000, 100000]. */
  readonly sizes: readonly number[];
  /** Added to every DynamoDB request (delay proxy). */
  readonly dynamodbMs: number;
  /** Added to every Cognito call (the simulated Cognito). */
  readonly cognitoMs: number;
  /** `listRate` given to reconcile, and the simulated quota (requests/s). */
  readonly listRate: number;
  /** `listChains` given to reconcile. @default - none: reconcile chooses */
  readonly listChains?: number;
  /**
   * Every `missingEvery`-th user has no row before the run: 100 (1% missing,
   * a steady run) or 1 (an empty table: a first backfill). @default 100
   */
  readonly missingEvery?: number;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** One reconcile run at the quota. */
export interface QuotaBenchRow {
  /** Users in the pool. */
  readonly users: number;
  /** Rows in the table before the run (99%). */
  readonly seededRows: number;
  /** Seconds to seed them. */
  readonly seedMs: number;
  /** ListUsers pages a full listing needs: ceil(users / 60). */
  readonly pages: number;
  /** Pages of a listing over the 16 sub shards: ceil(users of a shard / 60), at least 1, summed. */
  readonly shardedPages: number;
  /** `listChains` given to reconcile; `undefined`: its default. */
  readonly listChains?: number;
  /** Every how many users one had no row before the run. */
  readonly missingEvery: number;
  /** The listing floor: pages / quota, in ms. */
  readonly floorMs: number;
  /** Reconcile's duration, measured in its process. */
  readonly reconcileMs: number;
  /** Until the last page was listed. */
  readonly listedMs: number;
  /** reconcileMs / floorMs. */
  readonly ratio: number;
  /** Rows reconcile created. */
  readonly created: number;
  /** Rows that were missing before the run. */
  readonly missing: number;
  /** Every missing row created, every seeded row untouched, no other row. */
  readonly correct: boolean;
  /** ListUsers requests the simulated Cognito received / throttled. */
  readonly listRequests: number;
  readonly throttled: number;
  /** Memory of the reconcile process. */
  readonly maxRssKb: number;
  readonly baselineRssKb: number;
  readonly peakHeapKb: number;
  readonly baselineHeapKb: number;
  /** (peak RSS − RSS before the run) / users, in bytes. */
  readonly rssBytesPerUser: number;
  /** (peak heap used − heap before the run) / users, in bytes. */
  readonly heapBytesPerUser: number;
  /** Peak of the heap in use just after each full collection V8 ran during the run (none forced). */
  readonly peakLiveHeapKb: number;
  /** Full collections V8 ran during the run. */
  readonly majorCollections: number;
  /** (peak heap after a full collection − heap before the run) / users, in bytes: what the run retains at most. */
  readonly liveHeapBytesPerUser: number;
  /** Heap in use after a forced full collection once the run is over. */
  readonly endHeapKb: number;
}

/** The listing floor of a full reconcile: ceil(users / 60) pages at `rate` requests/s. */
export function listingFloorMs(users: number, rate: number): number {
  return (Math.ceil(users / SIMULATED_MAX_PAGE) / rate) * 1000;
}

/** Pages a listing over the 16 `sub ^= "<hex digit>"` shards of the simulated pool needs. */
export function shardedPages(users: number): number {
  const perShard = new Map<string, number>();
  for (let index = 0; index < users; index++) {
    const digit = simulatedSub(index)[0] as string;
    perShard.set(digit, (perShard.get(digit) ?? 0) + 1);
  }
  return [...'0123456789abcdef'].reduce(
    (sum, digit) => sum + Math.max(1, Math.ceil((perShard.get(digit) ?? 0) / SIMULATED_MAX_PAGE)),
    0,
  );
}

/**
 * For each size: a simulated Cognito enforcing the UserList quota, dynalite
 * behind a delay proxy with the table pre-seeded with 99% of the rows (none
 * with `missingEvery: 1`), and
 * the project's `reconcile` at `listRate` in a child process (its memory is
 * its own). Checks afterwards that every missing row was created and no
 * seeded row rewritten; a wrong result fails the benchmark.
 */
export async function measureQuotaReconcile(options: QuotaBenchOptions): Promise<QuotaBenchRow[]> {
  const rows: QuotaBenchRow[] = [];
  const missingEvery = options.missingEvery ?? MISSING_EVERY;
  for (const users of options.sizes) {
    const table = await startSeededTable({ ...options, users, missingEvery });
    try {
      rows.push(
        await table.reconcile({
          listRate: options.listRate,
          cognitoMs: options.cognitoMs,
          ...(options.listChains !== undefined ? { listChains: options.listChains } : {}),
        }),
      );
    } finally {
      await table.close();
    }
  }
  return rows;
}

/** A seeded table behind the delay proxy, on which reconcile runs one case after another. */
interface SeededTable {
  /** One reconcile in its own process against a simulated Cognito at `listRate`; checks the table. */
  reconcile(run: {
    readonly listRate: number;
    readonly cognitoMs: number;
    readonly listChains?: number;
  }): Promise<QuotaBenchRow>;
  /** Deletes the rows of the users that had none before, so that the next case finds the same table. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts dynalite and the delay proxy and seeds a table of `users` users but every `missingEvery`-th. */
async function startSeededTable(options: {
  readonly users: number;
  readonly missingEvery: number;
  readonly dynamodbMs: number;
  readonly log: (line: string) => void;
}): Promise<SeededTable> {
  const { users, missingEvery } = options;
  const seeding = missingEvery === 1 ? 'no row' : `${100 - 100 / missingEvery}% of the rows`;
  const dynamo = await startDynamoServer({ host: '127.0.0.1', port: 0 });
  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
  const client = createDynamoDocumentClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    requestTimeoutMs: 30_000,
  });
  const proxy = await startDelayProxy(dynamo.endpoint, options.dynamodbMs);
  const close = async () => {
    client.destroy();
    admin.destroy();
    await proxy.close();
    await dynamo.close();
  };
  const tableName = `quota-${users}`;
  const userPoolId = SIMULATED_POOL_ID;
  let seededRows = 0;
  let seedMs = 0;
  try {
    await ensureReadyTable(admin, { tableName, keyAttribute: KEY });
    options.log(`quota: seeding ${users} users' table with ${seeding}…`);
    const started = performance.now();
    seededRows = await seedRows(client, tableName, userPoolId, users, missingEvery);
    seedMs = performance.now() - started;
    options.log(`quota: seeded ${seededRows} rows in ${Math.round(seedMs)} ms`);
  } catch (error) {
    await close();
    throw error;
  }
  const missingKeys = (): string[] => {
    const keys: string[] = [];
    for (let index = 0; index < users; index += missingEvery) keys.push(simulatedSub(index));
    return keys;
  };
  return {
    close,
    restore: async () => {
      const keys = missingKeys();
      for (let i = 0; i < keys.length; i += 25) {
        let requests = keys
          .slice(i, i + 25)
          .map((key) => ({ DeleteRequest: { Key: { [KEY]: key } } }));
        while (requests.length > 0) {
          const result = await client.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
          );
          requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    },
    reconcile: async (run) => {
      const cognito = await startSimulatedCognito({
        users,
        userPoolId,
        requestsPerSecond: run.listRate,
        delayMs: run.cognitoMs,
      });
      try {
        const chains =
          run.listChains !== undefined ? `--list-chains ${run.listChains}` : 'defaults';
        options.log(
          `quota: reconciling ${users} users at ${run.listRate}/s, ${run.cognitoMs} ms a call (${chains})…`,
        );
        const { report } = await runWorker(
          [
            '--expose-gc',
            '--import',
            'tsx',
            fileURLToPath(new URL('./workers/quotaReconcile.ts', import.meta.url)),
          ],
          {
            ...process.env,
            COGNITO_ENDPOINT: cognito.endpoint,
            DYNAMODB_ENDPOINT: proxy.endpoint,
            USER_POOL_ID: userPoolId,
            TABLE_NAME: tableName,
            LIST_RATE: String(run.listRate),
            ...(run.listChains !== undefined ? { LIST_CHAINS: String(run.listChains) } : {}),
          },
        );
        const summary = report.summary as { created: number; failed: number; converged: boolean };
        const memory = report.memory as Record<string, number>;
        const missing = Math.ceil(users / missingEvery);
        const correct =
          summary.converged &&
          summary.created === missing &&
          (await verifyTable(client, tableName, users, seededRows, missingKeys()));
        const stats = cognito.stats();
        const floorMs = listingFloorMs(users, run.listRate);
        const reconcileMs = Number(report.durationMs);
        const row: QuotaBenchRow = {
          users,
          seededRows,
          seedMs,
          pages: Math.ceil(users / SIMULATED_MAX_PAGE),
          shardedPages: shardedPages(users),
          ...(run.listChains !== undefined ? { listChains: run.listChains } : {}),
          missingEvery,
          floorMs,
          reconcileMs,
          listedMs: Number(report.listedMs),
          ratio: reconcileMs / floorMs,
          created: summary.created,
          missing,
          correct,
          listRequests: stats.requests,
          throttled: stats.throttled,
          maxRssKb: memory.maxRssKb as number,
          baselineRssKb: memory.baselineRssKb as number,
          peakHeapKb: memory.peakHeapKb as number,
          baselineHeapKb: memory.baselineHeapKb as number,
          rssBytesPerUser:
            (((memory.maxRssKb as number) - (memory.baselineRssKb as number)) * 1024) / users,
          heapBytesPerUser:
            (((memory.peakHeapKb as number) - (memory.baselineHeapKb as number)) * 1024) / users,
          peakLiveHeapKb: memory.peakLiveHeapKb as number,
          majorCollections: memory.majorCollections as number,
          liveHeapBytesPerUser:
            (((memory.peakLiveHeapKb as number) - (memory.baselineHeapKb as number)) * 1024) /
            users,
          endHeapKb: memory.endHeapKb as number,
        };
        options.log(
          `quota: ${users} users: reconcile ${Math.round(reconcileMs)} ms = ${row.ratio.toFixed(3)}× the floor (${Math.round(floorMs)} ms), ${stats.requests} ListUsers calls (${stats.throttled} throttled), peak RSS ${Math.round(row.maxRssKb / 1024)} MiB, ${row.created} created, ${correct ? 'correct' : 'WRONG'}`,
        );
        if (!correct) {
          throw new Error(
            `reconcile at ${users} users left the table wrong: created ${summary.created} of ${missing} missing rows (failed ${summary.failed})`,
          );
        }
        return row;
      } finally {
        await cognito.close();
      }
    },
  };
}

/** Options of {@link measureListingMatrix}. */
export interface ListingMatrixOptions {
  /** Users in the pool of every case. */
  readonly users: number;
  /** Rate budgets (`listRate`, and the simulated quota), requests/s. */
  readonly rates: readonly number[];
  /** ListUsers round trips of the simulated Cognito, ms. */
  readonly roundTripsMs: readonly number[];
  /** Each case is also run with each of these `listChains`, as baselines. @default - none */
  readonly baselineChains?: readonly number[];
  /** Added to every DynamoDB request (delay proxy). */
  readonly dynamodbMs: number;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** One case of the matrix. */
export interface ListingMatrixRow extends QuotaBenchRow {
  /** The rate budget, requests/s. */
  readonly listRate: number;
  /** The simulated round trip, ms. */
  readonly roundTripMs: number;
}

/**
 * Reconcile with its default settings but `listRate` (no `listChains`), for
 * every rate × round trip, on one table seeded once with 99% of the rows of
 * `users` users (the rows a case creates are deleted before the next), each
 * case in its own process against a simulated Cognito whose quota is the rate;
 * then with each of `baselineChains`.
 */
export async function measureListingMatrix(
  options: ListingMatrixOptions,
): Promise<ListingMatrixRow[]> {
  const rows: ListingMatrixRow[] = [];
  const table = await startSeededTable({ ...options, missingEvery: MISSING_EVERY });
  try {
    for (const listRate of options.rates) {
      for (const roundTripMs of options.roundTripsMs) {
        for (const listChains of [undefined, ...(options.baselineChains ?? [])]) {
          const row = await table.reconcile({
            listRate,
            cognitoMs: roundTripMs,
            ...(listChains !== undefined ? { listChains } : {}),
          });
          rows.push({ ...row, listRate, roundTripMs });
          await table.restore();
        }
      }
    }
  } finally {
    await table.close();
  }
  return rows;
}

/** The row the trigger would have written for simulated user `index`. */
function seededRow(index: number, userPoolId: string): Record<string, unknown> {
  const user = simulatedUser(index);
  return toUserRow(
    {
      userName: user.Username,
      userPoolId,
      userAttributes: Object.fromEntries(user.Attributes.map((a) => [a.Name, a.Value])),
      source: SEEDED_SOURCE,
      now: new Date(SEEDED_AT),
    },
    { keyAttribute: KEY, userAttributes: undefined },
  );
}

/** Writes the rows of every user but each `missingEvery`-th (100th), 25 a BatchWrite, 8 batches in flight. */
export async function seedRows(
  client: DynamoDBDocumentClient,
  tableName: string,
  userPoolId: string,
  users: number,
  missingEvery = MISSING_EVERY,
): Promise<number> {
  let next = 0;
  let written = 0;
  const takeBatch = (): Record<string, unknown>[] => {
    const batch: Record<string, unknown>[] = [];
    while (batch.length < 25 && next < users) {
      const index = next++;
      if (index % missingEvery !== 0) batch.push(seededRow(index, userPoolId));
    }
    return batch;
  };
  const lane = async (): Promise<void> => {
    for (let batch = takeBatch(); batch.length > 0; batch = takeBatch()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await client.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
        );
        const left = result.UnprocessedItems?.[tableName] ?? [];
        written += requests.length - left.length;
        requests = left as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return written;
}

/**
 * True when the table holds exactly `users` rows, the `seeded` rows still
 * carry their seeding `createdAt` and `source`, and every missing user's row
 * exists, written by reconcile.
 */
async function verifyTable(
  client: DynamoDBDocumentClient,
  tableName: string,
  users: number,
  seeded: number,
  missingKeys: readonly string[],
): Promise<boolean> {
  const segments = 4;
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let total = 0;
      let untouched = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: 'createdAt, #source',
            ExpressionAttributeNames: { '#source': 'source' },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          total++;
          if (item.createdAt === SEEDED_AT && item.source === SEEDED_SOURCE) untouched++;
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return { total, untouched };
    }),
  );
  const total = counts.reduce((sum, count) => sum + count.total, 0);
  const untouched = counts.reduce((sum, count) => sum + count.untouched, 0);
  if (total !== users || untouched !== seeded) return false;
  for (let i = 0; i < missingKeys.length; i += 100) {
    let keys = missingKeys.slice(i, i + 100).map((key) => ({ [KEY]: key }));
    while (keys.length > 0) {
      const result = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
      );
      for (const item of result.Responses?.[tableName] ?? []) {
        if (item.source !== 'reconcile' || item.createdAt === SEEDED_AT) return false;
      }
      const found = result.Responses?.[tableName]?.length ?? 0;
      const left = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as typeof keys;
      if (found + left.length !== keys.length) return false;
      keys = left;
    }
  }
  return true;
}
