import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reconcile } from '../../../src/reconcile/reconcile.js';
import { testReconcileConfig } from '../../helpers/reconcileConfig.js';
import { cognitoUser, FakeCognito, FakeTable, NO_WAIT, sdkError } from './fakes.js';

const CONFIG = testReconcileConfig({ concurrency: 4, listRate: 1000, scanSegments: 2 });
const NOW = new Date('2030-05-01T12:00:00.000Z');
const OLD = '2030-01-01T00:00:00.000Z';

function setup(users = 70) {
  const cognito = new FakeCognito(Array.from({ length: users }, (_, i) => cognitoUser(`u${i}`)));
  const table = new FakeTable();
  return { cognito, table };
}

describe('Function: reconcile', () => {
  it('creates the missing rows, then a second run changes nothing', async () => {
    // Prepare
    const { cognito, table } = setup();
    table.put({ username: 'u1', source: 'PostConfirmation_ConfirmSignUp', createdAt: OLD });

    // Act
    const first = await reconcile({
      config: CONFIG,
      cognito,
      dynamo: table.client,
      now: () => NOW,
      retry: NO_WAIT,
    });
    const writesAfterFirst = table.calls.filter((name) => name !== 'ScanCommand').length;
    const second = await reconcile({
      config: CONFIG,
      cognito,
      dynamo: table.client,
      now: () => NOW,
      retry: NO_WAIT,
    });

    // Assess
    assert.equal(first.summary.created, 69);
    assert.equal(first.summary.converged, true);
    assert.equal(table.rows.size, 70);
    assert.equal(table.rows.get('u1')?.source, 'PostConfirmation_ConfirmSignUp');
    assert.equal(second.summary.toCreate, 0);
    assert.equal(second.summary.inSync, 70);
    assert.equal(table.calls.filter((name) => name !== 'ScanCommand').length, writesAfterFirst);
    assert.equal(second.problem, undefined);
  });

  it('writes nothing in a dry run and says the table is out of sync', async () => {
    const { cognito, table } = setup(3);
    const report = await reconcile({
      config: { ...CONFIG, dryRun: true },
      cognito,
      dynamo: table.client,
      now: () => NOW,
    });
    assert.equal(table.rows.size, 0);
    assert.deepEqual(
      table.calls.filter((name) => name !== 'ScanCommand'),
      [],
    );
    assert.equal(report.summary.toCreate, 3);
    assert.equal(report.summary.created, 0);
    assert.equal(report.summary.converged, false);
    assert.match(report.problem ?? '', /dry run: the table is out of sync \(3 rows to create/);
  });

  it('counts a dry run over a table in sync as converged', async () => {
    const { cognito, table } = setup(1);
    table.put({ username: 'u0', createdAt: OLD });
    const report = await reconcile({
      config: { ...CONFIG, dryRun: true },
      cognito,
      dynamo: table.client,
      now: () => NOW,
    });
    assert.equal(report.summary.converged, true);
  });

  it('is not converged when writes fail, and says how many', async () => {
    const { cognito, table } = setup(2);
    table.writeFailures.push(sdkError('AccessDeniedException'));
    const report = await reconcile({
      config: { ...CONFIG, concurrency: 1 },
      cognito,
      dynamo: table.client,
      now: () => NOW,
    });
    assert.equal(report.summary.converged, false);
    assert.equal(report.summary.failed, 1);
    assert.match(report.problem ?? '', /1 of 2 writes failed/);
  });

  it('reports orphans as converged unless failOnOrphans is set', async () => {
    const { cognito, table } = setup(0);
    table.put({ username: 'gone', createdAt: OLD });
    const lenient = await reconcile({
      config: CONFIG,
      cognito,
      dynamo: table.client,
      now: () => NOW,
    });
    const strict = await reconcile({
      config: { ...CONFIG, failOnOrphans: true },
      cognito,
      dynamo: table.client,
      now: () => NOW,
    });
    assert.equal(lenient.summary.converged, true);
    assert.equal(lenient.summary.orphansReported, 1);
    assert.equal(strict.summary.converged, false);
    assert.match(strict.problem ?? '', /1 orphaned rows left unmarked/);
    assert.equal(table.rows.get('gone')?.deletedAt, undefined);
  });

  it('never overwrites a row written just before its create is sent', async () => {
    const { cognito, table } = setup(2);
    const report = await reconcile({
      config: CONFIG,
      cognito,
      dynamo: table.client,
      now: () => NOW,
      beforeCreate: (row) => {
        if (row.username === 'u0')
          table.put({ username: 'u0', source: 'PostConfirmation_ConfirmSignUp' });
      },
    });
    assert.equal(report.summary.created, 1);
    assert.equal(report.summary.alreadyPresent, 1);
    assert.equal(table.rows.get('u0')?.source, 'PostConfirmation_ConfirmSignUp');
  });

  it('starts writing rows while the pool is still being listed', async () => {
    const { cognito, table } = setup(130);
    let takes = 0;
    let rowsWhenLastPageAsked = -1;
    const report = await reconcile({
      config: CONFIG,
      cognito,
      dynamo: table.client,
      now: () => NOW,
      retry: NO_WAIT,
      rateLimiter: {
        take: async () => {
          takes++;
          if (takes < 3) return;
          // Hold the last page until the first page's rows are written (or 2 s).
          const deadline = Date.now() + 2000;
          while (table.rows.size < 60 && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          rowsWhenLastPageAsked = table.rows.size;
        },
      },
    });
    assert.ok(
      rowsWhenLastPageAsked >= 60,
      `rows written before the last page: ${rowsWhenLastPageAsked}`,
    );
    assert.equal(report.summary.created, 130);
    assert.equal(report.summary.toCreate, 130);
    assert.equal(table.rows.size, 130);
  });

  it('when listing fails midway, writes only rows of listed users and no orphan, and says why', async () => {
    const { cognito, table } = setup(130);
    table.put({ username: 'gone', createdAt: OLD });
    let calls = 0;
    const flaky = {
      send: async (command: Parameters<FakeCognito['send']>[0]) => {
        calls++;
        if (calls === 2) throw sdkError('AccessDeniedException', 'not allowed');
        return cognito.send(command);
      },
    };
    const report = await reconcile({
      config: { ...CONFIG, orphans: 'delete' },
      cognito: flaky as unknown as FakeCognito,
      dynamo: table.client,
      now: () => NOW,
      retry: NO_WAIT,
      orphanGraceMs: 0,
    });
    assert.match(
      report.summary.stopReason ?? '',
      /could not list the users of pool "us-east-1_Pool1" \(page 2\): AccessDeniedException: not allowed/,
    );
    assert.equal(report.summary.converged, false);
    assert.equal(report.summary.orphansEvaluated, false);
    assert.equal(report.summary.usersListed, 60);
    assert.equal(report.summary.created, 60, 'the first page is written and counted');
    assert.equal(report.resumeToken, 'page-60', 'the run can resume at the failed page');
    assert.match(report.problem ?? '', /stopped early/);
    const firstPage = new Set(Array.from({ length: 60 }, (_, i) => `u${i}`));
    for (const key of table.rows.keys()) {
      assert.ok(key === 'gone' || firstPage.has(key), `unexpected row ${key}`);
    }
    assert.ok(table.rows.has('gone'), 'the orphan is left alone');
    assert.ok(!table.calls.includes('DeleteCommand') && !table.calls.includes('UpdateCommand'));
  });

  it('stops cleanly, with nothing left unhandled, when both the pool and the table fail', async () => {
    const { cognito, table } = setup(2);
    cognito.failures.push(sdkError('CredentialsProviderError', 'no credentials'));
    table.scanFailures.push(sdkError('CredentialsProviderError', 'no credentials'));
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const report = await reconcile({
        config: CONFIG,
        cognito,
        dynamo: table.client,
        retry: NO_WAIT,
      });
      assert.match(report.summary.stopReason ?? '', /could not (list the users|scan table)/);
      assert.equal(report.summary.converged, false);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', record);
    }
    assert.deepEqual(unhandled, []);
    assert.equal(table.rows.size, 0);
  });

  it('writes nothing when the pool cannot be listed', async () => {
    const { cognito, table } = setup(2);
    cognito.failures.push(sdkError('AccessDeniedException'));
    const report = await reconcile({ config: CONFIG, cognito, dynamo: table.client });
    assert.match(report.summary.stopReason ?? '', /could not list the users/);
    assert.equal(report.resumeToken, undefined, 'nothing to resume before the first page');
    assert.equal(table.rows.size, 0);
  });
});
