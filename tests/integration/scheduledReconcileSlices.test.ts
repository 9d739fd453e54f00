import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureReadyTable } from '../../bench/readyTable.js';
import { readScheduledReconcileConfig } from '../../src/domain/scheduledConfig.js';
import { createLogger } from '../../src/shared/logger.js';
import { createScheduledReconcileHandler } from '../../src/sync/handler/scheduledReconcile.js';
import type { ReconcileSummary } from '../../src/sync/reconcile/reconcile.js';
import { createRunCheckpoints } from '../../src/sync/reconcile/runCheckpoints.js';
import { type SimulatedServers, useSimulatedServers } from '../helpers/simulatedServers.js';
import { createStateTable } from '../helpers/stateTable.js';

const USERS = 600;
type Result = ReconcileSummary | { skipped: string };

describe('Scheduled reconcile over several invocations (dynalite, simulated Cognito)', () => {
  const servers = useSimulatedServers({ users: USERS, requestsPerSecond: 100, delayMs: 2 });
  let dynalite: SimulatedServers['dynalite'];
  let cognito: SimulatedServers['cognito'];
  let dynamo: SimulatedServers['dynamo'];
  let cognitoClient: SimulatedServers['cognitoClient'];
  before(() => {
    ({ dynalite, cognito, dynamo, cognitoClient } = servers());
  });

  /** The scheduled function on its own user table and state table; `invoke` gives each call 2.2 s. */
  async function scheduledFunction(tableName: string, stateTableName: string) {
    /** The bytes of each segment item the checkpoints write. */
    const segmentPuts: number[] = [];
    const counted = {
      send: ((command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const data = (command.input.Item as { data?: Uint8Array } | undefined)?.data;
        if (command.constructor.name === 'PutCommand' && data) segmentPuts.push(data.byteLength);
        return (dynamo.send as (c: unknown) => Promise<unknown>)(command);
      }) as typeof dynamo.send,
    };
    await ensureReadyTable(dynalite.client, { tableName, keyAttribute: 'username' });
    await createStateTable(dynalite.client, stateTableName);
    const config = readScheduledReconcileConfig({
      USER_POOL_ID: cognito.userPoolId,
      TABLE_NAME: tableName,
      // The 16 shards' pages (10 pages' worth of users) at 5/s: a burst of 2 (half a
      // second's), then 1 page per 200 ms of an invocation (the reserve keeps 2 s of
      // 2.2), so at least 3 invocations whatever the machine's speed.
      LIST_RATE: '5',
      STATE_TABLE_NAME: stateTableName,
      LOG_LEVEL: 'silent',
    });
    const handler = createScheduledReconcileHandler({
      config,
      cognito: cognitoClient,
      dynamo,
      checkpoints: createRunCheckpoints(counted, {
        tableName: stateTableName,
        userPoolId: cognito.userPoolId,
        userTableName: tableName,
      }),
      logger: createLogger({ level: 'silent' }),
    });
    let calls = 0;
    const invoke = (event: unknown): Promise<Result> => {
      const deadline = Date.now() + 2200;
      return handler(event, {
        awsRequestId: `invocation-${calls++}`,
        getRemainingTimeInMillis: () => deadline - Date.now(),
      });
    };
    /** Continuation events until one finds no run in progress; every result. */
    const continueToEnd = async (): Promise<Result[]> => {
      const results: Result[] = [];
      for (let i = 0; i < 40; i++) {
        const result = await invoke({ action: 'continue' });
        results.push(result);
        if ('skipped' in result) break;
      }
      return results;
    };
    const items = async (name: string) =>
      (await dynamo.send(new ScanCommand({ TableName: name }))).Items ?? [];
    return { invoke, continueToEnd, items, segmentPuts };
  }

  it('continues from the checkpoint in the state table until every user has a row, listing each user once', async () => {
    const fn = await scheduledFunction('users', 'state');
    const results = [await fn.invoke({ source: 'aws.events' }), ...(await fn.continueToEnd())];
    const runs = results.filter((result): result is ReconcileSummary => !('skipped' in result));
    const last = runs.at(-1);
    assert.ok(last, 'no invocation ran');
    assert.ok(runs.length >= 3, `only ${runs.length} invocations were needed`);
    assert.deepEqual(results.at(-1), { skipped: 'no run in progress' }, 'the run ended');
    assert.equal(last.complete, true);
    assert.equal(last.converged, true);
    assert.equal(last.created, USERS);
    assert.equal(last.slices, runs.length);
    assert.equal(cognito.stats().usersServed, USERS, 'every user listed exactly once');
    assert.equal((await fn.items('users')).length, USERS);
    assert.equal((await fn.items('state')).length, 0, 'nothing left in the state table');
    // Each save wrote only the fingerprints listed since the one before: every
    // user's 8 bytes once in all, however many invocations the run took.
    // (The last invocation ends the run and saves nothing.) Past 9 saves a save
    // may write the whole state once, to keep the segments few (segmentBudget).
    const written = fn.segmentPuts.reduce((sum, bytes) => sum + bytes, 0);
    const saves = runs.length - 1;
    const listedBeforeLast = runs.at(-2)?.usersListed ?? 0;
    assert.ok(listedBeforeLast > 0);
    assert.ok(
      saves <= 9
        ? written === listedBeforeLast * 8
        : written <= listedBeforeLast * 8 * (1 + Math.floor(saves / 9)),
      `${written} bytes in ${fn.segmentPuts.length} segment items over ${saves} saves, for ${listedBeforeLast} users`,
    );
  });

  it('deletes a checkpoint of the earlier format found by a continuation event, and starts a new run', async () => {
    const fn = await scheduledFunction('users-format-1', 'state-format-1');
    const id = `reconcile#${cognito.userPoolId}#users-format-1`;
    const body = '{"format":"cognito-user-sync/reconcile-run@1"}';
    await dynamo.send(
      new PutCommand({
        TableName: 'state-format-1',
        Item: {
          id,
          generation: 2,
          reserved: 2,
          chunks: 1,
          chunkBytes: 350_000,
          bytes: 8,
          sha256: 'aa',
          body,
          leaseOwner: 'an-earlier-version',
          leaseUntil: 0,
        },
      }),
    );
    await dynamo.send(
      new PutCommand({
        TableName: 'state-format-1',
        Item: { id: `${id}#2#0`, data: new Uint8Array(new Float64Array([1]).buffer) },
      }),
    );
    const first = await fn.invoke({ action: 'continue' });
    assert.ok(!('skipped' in first), 'a new run started on the continuation event');
    const results = [first, ...(await fn.continueToEnd())];
    const last = results
      .filter((result): result is ReconcileSummary => !('skipped' in result))
      .at(-1);
    assert.equal(last?.complete, true);
    assert.equal(last?.converged, true);
    assert.equal(last?.created, USERS);
    assert.equal((await fn.items('state-format-1')).length, 0, 'the old items are gone');
  });

  it('starts over when a segment of the saved fingerprints is missing, and still converges', async () => {
    const fn = await scheduledFunction('users-again', 'state-again');
    const first = await fn.invoke({ source: 'aws.events' });
    assert.ok(!('skipped' in first) && !first.complete, 'the first invocation saved a run');
    const stateItems = await fn.items('state-again');
    const chunk = stateItems.find((item) => /#\d+#\d+$/.test(String(item.id)));
    assert.ok(chunk, `a chunk item among ${stateItems.map((item) => item.id).join(', ')}`);
    await dynamo.send(new DeleteCommand({ TableName: 'state-again', Key: { id: chunk.id } }));

    const results = await fn.continueToEnd();
    const runs = results.filter((result): result is ReconcileSummary => !('skipped' in result));
    const last = runs.at(-1);
    assert.ok(last);
    assert.equal(last.complete, true);
    assert.equal(last.converged, true);
    assert.notEqual(last.runId, first.runId, 'a new run');
    assert.equal((await fn.items('users-again')).length, USERS);
    assert.equal((await fn.items('state-again')).length, 0);
  });
});
