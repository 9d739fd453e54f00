import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type StackProcess, spawnStack } from '../harness/localStack.js';
import { createCognitoClient } from '../src/aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../src/aws/store/dynamoClient.js';
import { parseReconcileSettings, valuesSource } from '../src/domain/reconcileSettings.js';
import { reconcile } from '../src/sync/reconcile/reconcile.js';
import { naiveReconcile } from './baseline/naiveReconcile.js';
import { type DelayProxy, startDelayProxy } from './delayProxy.js';
import { ensureReadyTable } from './readyTable.js';
import { seedPoolFile } from './seedPool.js';

/** Simulated round trips, per request. */
export interface NetworkDelay {
  /** Added to each DynamoDB request. */
  readonly dynamodbMs: number;
  /** Added to each Cognito request. */
  readonly cognitoMs: number;
}

/** One measured pair (naive loop, reconcile) at one pool size and network. */
export interface ReconcileBenchRow {
  /** Users in the pool, none of them in the table. */
  readonly users: number;
  /** `raw` local servers, or `simulated` round trips in front of them. */
  readonly network: 'raw' | 'simulated';
  /** Naive loop duration. */
  readonly naiveMs: number;
  /** Reconcile duration (list ∥ scan, plan, apply). */
  readonly reconcileMs: number;
  /** Part of it spent listing and scanning, until the plan was ready. */
  readonly reconcileListMs: number;
  /** naiveMs / reconcileMs. */
  readonly speedup: number;
  /** Users written per second by the naive loop. */
  readonly naiveUsersPerSecond: number;
  /** Users written per second by reconcile. */
  readonly reconcileUsersPerSecond: number;
}

/** Options of {@link measureReconcile}. */
export interface ReconcileBenchOptions {
  /** Pool sizes, e.g. [1000, 10000]. */
  readonly sizes: readonly number[];
  /** The simulated network. */
  readonly delay: NetworkDelay;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/**
 * For each pool size: seeds a local stack (running in its own process) with
 * that many users and an empty table, then times the naive loop and reconcile
 * (default settings) one after the other, on the raw servers and behind delay
 * proxies. The table is emptied before each run and every run must write
 * every user, or the benchmark fails.
 */
export async function measureReconcile(
  options: ReconcileBenchOptions,
): Promise<ReconcileBenchRow[]> {
  const rows: ReconcileBenchRow[] = [];
  for (const users of options.sizes) {
    const dataDir = await mkdtemp(join(tmpdir(), 'cus-bench-'));
    let stack: StackProcess | undefined;
    try {
      stack = await spawnStack(dataDir);
      const { userPoolId } = stack.facts;
      await stopStack(stack);
      options.log(`seeding ${users} users…`);
      await seedPoolFile(dataDir, userPoolId, users);
      stack = await spawnStack(dataDir);
      for (const network of ['raw', 'simulated'] as const) {
        rows.push(await measurePair(stack, users, network, options));
        const last = rows.at(-1) as ReconcileBenchRow;
        options.log(
          `${users} users, ${network}: naive ${Math.round(last.naiveMs)} ms, reconcile ${Math.round(last.reconcileMs)} ms (×${last.speedup.toFixed(2)})`,
        );
      }
    } finally {
      if (stack) await stopStack(stack);
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function measurePair(
  stack: StackProcess,
  users: number,
  network: 'raw' | 'simulated',
  options: ReconcileBenchOptions,
): Promise<ReconcileBenchRow> {
  const { facts } = stack;
  const proxies: DelayProxy[] = [];
  if (network === 'simulated') {
    proxies.push(await startDelayProxy(facts.cognitoEndpoint, options.delay.cognitoMs));
    proxies.push(await startDelayProxy(facts.dynamodbEndpoint, options.delay.dynamodbMs));
  }
  const cognitoEndpoint = proxies[0]?.endpoint ?? facts.cognitoEndpoint;
  const dynamodbEndpoint = proxies[1]?.endpoint ?? facts.dynamodbEndpoint;
  const cognito = createCognitoClient({ endpoint: cognitoEndpoint, region: facts.region });
  const dynamo = createDynamoDocumentClient({
    endpoint: dynamodbEndpoint,
    region: facts.region,
    requestTimeoutMs: 10_000,
    connectionTimeoutMs: 3000,
  });
  const admin = new DynamoDBClient({ endpoint: facts.dynamodbEndpoint, region: facts.region });
  // A fresh, empty table per run: dynalite deletes tables in the background,
  // so a table deleted and created again under the same name is not reliable.
  let tableName = '';
  let tables = 0;
  const freshTable = async () => {
    tableName = `bench-${users}-${network}-${++tables}`;
    await ensureReadyTable(admin, { tableName, keyAttribute: 'username' });
  };
  const countRows = async () => {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  };
  try {
    await freshTable();
    let started = performance.now();
    const written = await naiveReconcile({
      cognito,
      dynamo,
      userPoolId: facts.userPoolId,
      tableName,
    });
    const naiveMs = performance.now() - started;
    if (written !== users || (await countRows()) !== users) {
      throw new Error(`the naive loop wrote ${written} rows, expected ${users}`);
    }
    await freshTable();
    started = performance.now();
    let planned = 0;
    const report = await reconcile({
      // Every setting but the pool and the table keeps its default.
      config: parseReconcileSettings(valuesSource({ userPoolId: facts.userPoolId, tableName })),
      cognito,
      dynamo,
      progress: { planned: () => (planned = performance.now() - started) },
    });
    const reconcileMs = performance.now() - started;
    const wrote = report.summary.created + report.summary.createdOrPresent;
    if (wrote !== users || (await countRows()) !== users) {
      throw new Error(
        `reconcile created ${wrote} rows, expected ${users}${report.summary.stopReason ? ` (stopped early: ${report.summary.stopReason})` : ''}`,
      );
    }
    return {
      users,
      network,
      naiveMs,
      reconcileMs,
      reconcileListMs: planned,
      speedup: naiveMs / reconcileMs,
      naiveUsersPerSecond: (users * 1000) / naiveMs,
      reconcileUsersPerSecond: (users * 1000) / reconcileMs,
    };
  } finally {
    cognito.destroy();
    dynamo.destroy();
    admin.destroy();
    for (const proxy of proxies) await proxy.close();
  }
}

async function stopStack(stack: StackProcess): Promise<void> {
  if (stack.child.exitCode !== null || stack.child.signalCode !== null) return;
  stack.child.kill('SIGTERM');
  await stack.exited;
}
