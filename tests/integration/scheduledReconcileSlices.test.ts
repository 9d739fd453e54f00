import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureReadyTable } from '../../bench/readyTable.js';
import { type SimulatedCognito, startSimulatedCognito } from '../../bench/simulatedCognito.js';
import { createScheduledReconcileHandler } from '../../src/handler/scheduledReconcile.js';
import { createLogger } from '../../src/logger.js';
import { createCognitoClient } from '../../src/pool/cognitoClient.js';
import type { ReconcileSummary } from '../../src/reconcile/reconcile.js';
import { createRunCheckpoints } from '../../src/reconcile/runCheckpoints.js';
import { readScheduledReconcileConfig } from '../../src/reconcile/scheduledConfig.js';
import { createDynamoDocumentClient } from '../../src/store/dynamoClient.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { createStateTable } from '../helpers/stateTable.js';

const USERS = 600;

describe('Scheduled reconcile over several invocations (dynalite, simulated Cognito)', () => {
  let dynalite: TestDynalite;
  let cognito: SimulatedCognito;
  before(async () => {
    dynalite = await startDynalite();
    cognito = await startSimulatedCognito({ users: USERS, requestsPerSecond: 100, delayMs: 2 });
    await ensureReadyTable(dynalite.client, { tableName: 'users', keyAttribute: 'username' });
    await createStateTable(dynalite.client, 'state');
  });
  after(async () => {
    await cognito.close();
    await dynalite.close();
  });

  it('continues from the checkpoint in the state table until every user has a row, listing each user once', async () => {
    const dynamo = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
    const cognitoClient = createCognitoClient({
      endpoint: cognito.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
    });
    const config = readScheduledReconcileConfig({
      USER_POOL_ID: cognito.userPoolId,
      TABLE_NAME: 'users',
      // 10 pages at 5/s: a burst of 5, then 1 page per 200 ms of an invocation, so at
      // least 3 invocations whatever the machine's speed.
      LIST_RATE: '5',
      STATE_TABLE_NAME: 'state',
      LOG_LEVEL: 'silent',
    });
    const handler = createScheduledReconcileHandler({
      config,
      cognito: cognitoClient,
      dynamo,
      checkpoints: createRunCheckpoints(dynamo, {
        tableName: 'state',
        userPoolId: cognito.userPoolId,
        userTableName: 'users',
      }),
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const results: (ReconcileSummary | { skipped: string })[] = [];
      // Each invocation has 2.2 s; the reserve (2 s at least) leaves ~200 ms of listing.
      const invoke = (event: unknown, id: string) => {
        const deadline = Date.now() + 2200;
        return handler(event, {
          awsRequestId: id,
          getRemainingTimeInMillis: () => deadline - Date.now(),
        });
      };
      results.push(await invoke({ source: 'aws.events' }, 'start'));
      for (let i = 0; i < 40; i++) {
        const result = await invoke({ action: 'continue' }, `continue-${i}`);
        results.push(result);
        if ('skipped' in result) break;
      }
      const runs = results.filter((result): result is ReconcileSummary => !('skipped' in result));
      const last = runs.at(-1);
      assert.ok(last, 'no invocation ran');
      assert.ok(runs.length >= 3, `only ${runs.length} invocations were needed`);
      assert.deepEqual(
        results.at(-1),
        { skipped: 'no run in progress' },
        'the run ended and was forgotten',
      );
      assert.equal(last.complete, true);
      assert.equal(last.converged, true);
      assert.equal(last.created, USERS);
      assert.equal(last.slices, runs.length);
      assert.equal(cognito.stats().usersServed, USERS, 'every user listed exactly once');
      const { Count } = await dynamo.send(new ScanCommand({ TableName: 'users', Select: 'COUNT' }));
      assert.equal(Count, USERS);
      const state = await dynamo.send(new ScanCommand({ TableName: 'state' }));
      assert.equal(state.Count, 0, 'nothing left in the state table');
    } finally {
      dynamo.destroy();
      cognitoClient.destroy();
    }
  });
});
