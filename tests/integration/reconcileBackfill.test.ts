import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureReadyTable } from '../../bench/readyTable.js';
import { reconcile } from '../../src/sync/reconcile/reconcile.js';
import { testReconcileConfig } from '../helpers/reconcileConfig.js';
import { type SimulatedServers, useSimulatedServers } from '../helpers/simulatedServers.js';

const USERS = 2400;
const KEYS_KEPT = 20;

describe('Integration: a first backfill keeps only the pages in flight (dynalite, simulated Cognito)', () => {
  const servers = useSimulatedServers({ users: USERS, requestsPerSecond: 10_000, delayMs: 1 });
  let dynalite: SimulatedServers['dynalite'];
  let cognito: SimulatedServers['cognito'];
  let dynamo: SimulatedServers['dynamo'];
  let cognitoClient: SimulatedServers['cognitoClient'];
  before(() => {
    ({ dynalite, cognito, dynamo, cognitoClient } = servers());
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
