import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureReadyTable } from '../../bench/readyTable.js';
import { type SimulatedCognito, startSimulatedCognito } from '../../bench/simulatedCognito.js';
import { createCognitoClient } from '../../src/pool/cognitoClient.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { createDynamoDocumentClient } from '../../src/store/dynamoClient.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { testReconcileConfig } from '../helpers/reconcileConfig.js';

const USERS = 2400;
const KEYS_KEPT = 20;

describe('Integration: a first backfill keeps only the pages in flight (dynalite, simulated Cognito)', () => {
  let dynalite: TestDynalite;
  let cognito: SimulatedCognito;
  let dynamo: ReturnType<typeof createDynamoDocumentClient>;
  let cognitoClient: ReturnType<typeof createCognitoClient>;

  before(async () => {
    dynalite = await startDynalite();
    cognito = await startSimulatedCognito({ users: USERS, requestsPerSecond: 10_000, delayMs: 1 });
    dynamo = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
    cognitoClient = createCognitoClient({
      endpoint: cognito.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
    });
  });
  after(async () => {
    dynamo?.destroy();
    cognitoClient?.destroy();
    await cognito?.close();
    await dynalite?.close();
  });

  const config = (tableName: string, dryRun: boolean) =>
    testReconcileConfig({
      userPoolId: cognito.userPoolId,
      tableName,
      listRate: 1000,
      concurrency: 8,
      dryRun,
    });

  it('creates every row of an empty table, holding no more rows than the writes and pages in flight', async () => {
    const tableName = 'backfill';
    await ensureReadyTable(dynalite.client, { tableName, keyAttribute: 'username' });
    let listed = 0;
    let sent = 0;
    let mostWaiting = 0;

    const report = await reconcile({
      config: config(tableName, false),
      cognito: cognitoClient,
      dynamo,
      progress: {
        listing: (users) => {
          listed = users;
          mostWaiting = Math.max(mostWaiting, listed - sent);
        },
      },
      beforeCreate: () => {
        sent++;
      },
    });

    assert.equal(report.summary.converged, true);
    assert.equal(report.summary.toCreate, USERS);
    // A create whose answer was lost (a timeout on a loaded machine) is retried and counted apart.
    const { created, createdOrPresent, alreadyPresent } = report.summary;
    assert.equal(created + createdOrPresent + alreadyPresent, USERS);
    assert.ok(sent >= USERS, `${sent} creates sent`);
    // What the report keeps of the rows it created: a sample, not the work.
    assert.ok(
      report.plan.creates.length <= KEYS_KEPT,
      `the report kept ${report.plan.creates.length} of ${USERS} created rows`,
    );
    // Rows planned but not yet sent: at most the executor's backlog (256) and one page per chain.
    assert.ok(mostWaiting <= 256 + 16 * 60, `${mostWaiting} rows were waiting at once`);
  });

  it('plans every row in a dry run, keeping the first keys only', async () => {
    const tableName = 'backfill-dry';
    await ensureReadyTable(dynalite.client, { tableName, keyAttribute: 'username' });

    const report = await reconcile({
      config: config(tableName, true),
      cognito: cognitoClient,
      dynamo,
    });

    assert.equal(report.summary.toCreate, USERS);
    assert.equal(report.summary.created, 0);
    assert.equal(report.plan.creates.length, KEYS_KEPT);
  });
});
