import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createCognitoClient } from '../src/aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../src/aws/store/dynamoClient.js';
import { readScheduledReconcileConfig } from '../src/domain/scheduledConfig.js';
import { startDynamoServer } from '../src/local/dynamoServer.js';
import { createLogger } from '../src/shared/logger.js';
import { createScheduledReconcileHandler } from '../src/sync/handler/scheduledReconcile.js';
import type { ReconcileSummary } from '../src/sync/reconcile/reconcile.js';
import { createRunCheckpoints } from '../src/sync/reconcile/runCheckpoints.js';
import { startDelayProxy } from './delayProxy.js';
import { listingFloorMs, MISSING_EVERY, seedRows } from './quotaBench.js';
import { ensureReadyTable } from './readyTable.js';
import { startSimulatedCognito } from './simulatedCognito.js';

/** Options of {@link measureSlices}. */
export interface SlicesBenchOptions {
  /** Users in the pool. */
  readonly users: number;
  /** Time each invocation gets (Lambda's timeout, scaled down). */
  readonly invocationMs: number;
  /** The function's `listRate` (its default, 10, unless told). */
  readonly listRate: number;
  /** The simulated quota (requests/s). */
  readonly quotaRps: number;
  /** Added to every Cognito call. */
  readonly cognitoMs: number;
  /** Added to every DynamoDB request. */
  readonly dynamodbMs: number;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** One invocation of the scheduled function. */
export interface SliceRow {
  /** `start` (the schedule's event) or `continue`. */
  readonly event: 'start' | 'continue';
  /** Wall-clock time of the invocation. */
  readonly durationMs: number;
  /** Users listed by the run so far, or `skipped`. */
  readonly usersListed: number | 'skipped';
  /** The run's phase after it, in words. */
  readonly outcome: string;
}

/** A run of the scheduled function over several invocations. */
export interface SlicesBenchResult {
  readonly users: number;
  readonly invocationMs: number;
  readonly listRate: number;
  /** Invocations that worked on the run. */
  readonly invocations: number;
  readonly slices: readonly SliceRow[];
  /** The listing floor at `listRate`. */
  readonly floorMs: number;
  /** Sum of the invocations' durations. */
  readonly busyMs: number;
  /** Users Cognito served: equal to `users` when none was listed twice. */
  readonly usersServed: number;
  /** Rows created / missing before the run. */
  readonly created: number;
  readonly missing: number;
  /** Every user has one row, none listed twice, the state table empty at the end. */
  readonly correct: boolean;
}

/**
 * The scheduled function (its handler with the real state-table checkpoints)
 * invoked again and again with `invocationMs` per invocation, the way the
 * continuation schedule does, against a simulated Cognito at the quota and
 * dynalite behind a delay proxy, on a pool too big for one invocation; the
 * table starts with 99% of the rows. Checks that the run converged, that
 * Cognito served every user exactly once, and that the state table is empty.
 */
export async function measureSlices(options: SlicesBenchOptions): Promise<SlicesBenchResult> {
  const dynamo = await startDynamoServer({ host: '127.0.0.1', port: 0 });
  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
  const cognito = await startSimulatedCognito({
    users: options.users,
    requestsPerSecond: options.quotaRps,
    delayMs: options.cognitoMs,
  });
  const proxy = await startDelayProxy(dynamo.endpoint, options.dynamodbMs);
  const client = createDynamoDocumentClient({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    requestTimeoutMs: 10_000,
  });
  const cognitoClient = createCognitoClient({
    endpoint: cognito.endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
  });
  try {
    await ensureReadyTable(admin, { tableName: 'users', keyAttribute: 'username' });
    // The state table: partition key `id`, as the construct makes it.
    await ensureReadyTable(admin, { tableName: 'reconcile-state', keyAttribute: 'id' });
    const seeded = await seedRows(client, 'users', cognito.userPoolId, options.users);
    const config = readScheduledReconcileConfig({
      USER_POOL_ID: cognito.userPoolId,
      TABLE_NAME: 'users',
      LIST_RATE: String(options.listRate),
      STATE_TABLE_NAME: 'reconcile-state',
      LOG_LEVEL: 'silent',
    });
    const handler = createScheduledReconcileHandler({
      config,
      cognito: cognitoClient,
      dynamo: client,
      checkpoints: createRunCheckpoints(client, {
        tableName: 'reconcile-state',
        userPoolId: cognito.userPoolId,
        userTableName: 'users',
      }),
      logger: createLogger({ level: 'silent' }),
    });
    options.log(
      `slices: ${options.users} users (${seeded} rows present), ${options.invocationMs} ms per invocation, ${options.listRate} ListUsers/s…`,
    );
    const slices: SliceRow[] = [];
    let last: ReconcileSummary | undefined;
    for (let i = 0; i < 1000; i++) {
      const event = i === 0 ? 'start' : 'continue';
      const started = performance.now();
      const deadline = Date.now() + options.invocationMs;
      const result = await handler(
        event === 'start' ? { source: 'aws.events' } : { action: 'continue' },
        {
          awsRequestId: `bench-${i}`,
          getRemainingTimeInMillis: () => deadline - Date.now(),
        },
      );
      const durationMs = performance.now() - started;
      if ('skipped' in result) {
        slices.push({ event, durationMs, usersListed: 'skipped', outcome: result.skipped });
        break;
      }
      last = result;
      const outcome = result.complete
        ? `run complete (${result.converged ? 'converged' : 'NOT converged'})`
        : 'state saved, continues';
      slices.push({ event, durationMs, usersListed: result.usersListed, outcome });
      options.log(
        `slices: invocation ${i + 1}: ${Math.round(durationMs)} ms, ${result.usersListed} users listed, ${result.rowsScanned} rows swept, ${outcome}`,
      );
    }
    const missing = Math.ceil(options.users / MISSING_EVERY);
    const Count = await countItems(client, 'users');
    const stateItems = await countItems(client, 'reconcile-state');
    const served = cognito.stats().usersServed;
    const correct =
      last?.complete === true &&
      last.converged &&
      last.created === missing &&
      Count === options.users &&
      served === options.users &&
      stateItems === 0;
    const result: SlicesBenchResult = {
      users: options.users,
      invocationMs: options.invocationMs,
      listRate: options.listRate,
      invocations: slices.filter((slice) => slice.usersListed !== 'skipped').length,
      slices,
      floorMs: listingFloorMs(options.users, options.listRate),
      busyMs: slices.reduce((sum, slice) => sum + slice.durationMs, 0),
      usersServed: served,
      created: last?.created ?? 0,
      missing,
      correct,
    };
    if (!correct) {
      throw new Error(
        `the scheduled reconcile over several invocations left the table wrong: ${JSON.stringify({ ...result, slices: undefined, rows: Count, stateItems })}`,
      );
    }
    return result;
  } finally {
    client.destroy();
    cognitoClient.destroy();
    admin.destroy();
    await proxy.close();
    await cognito.close();
    await dynamo.close();
  }
}

/** Items in a table, over every Scan page (one page holds at most 1 MB). */
async function countItems(
  client: ReturnType<typeof createDynamoDocumentClient>,
  tableName: string,
): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}
