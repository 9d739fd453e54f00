import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { reconcile } from '../../../src/sync/reconcile/reconcile.js';
import { parseRunState, serializeRunState } from '../../../src/sync/reconcile/runState.js';
import { testReconcileConfig } from '../../helpers/reconcileConfig.js';
import { cognitoUser, FakeCognito, FakeTable, NO_WAIT, sdkError } from './fakes.js';

/** Whether a recorded call wrote (reads are Scan and BatchGetItem). */
const isWrite = (name: string): boolean => name !== 'ScanCommand' && name !== 'BatchGetCommand';

/** `reconcile` with the tests' defaults (CONFIG, the fixed clock, no backoff waits), `patch` over them. */
function withDefaults(
  cognito: Pick<FakeCognito, 'send'>,
  dynamo: FakeTable['client'],
  patch: Partial<Parameters<typeof reconcile>[0]> = {},
) {
  return reconcile({
    config: CONFIG,
    cognito,
    dynamo,
    now: () => NOW,
    retry: NO_WAIT,
    ...patch,
  });
}

// One unfiltered listing (`listChains: 1`), so that the pages are the pool's.
const CONFIG = testReconcileConfig({
  concurrency: 4,
  listRate: 1000,
  scanSegments: 2,
  listChains: 1,
});
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
    const first = await withDefaults(cognito, table.client);
    const writesAfterFirst = table.calls.filter(isWrite).length;
    const second = await withDefaults(cognito, table.client);

    // Assess
    assert.equal(first.summary.created, 69);
    assert.equal(first.summary.converged, true);
    assert.equal(table.rows.size, 70);
    assert.equal(table.rows.get('u1')?.source, 'PostConfirmation_ConfirmSignUp');
    assert.equal(second.summary.toCreate, 0);
    assert.equal(second.summary.inSync, 70);
    assert.equal(table.calls.filter(isWrite).length, writesAfterFirst);
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
    assert.deepEqual(table.calls.filter(isWrite), []);
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
    assert.match(strict.problem ?? '', /1 orphaned row left unmarked/);
    assert.equal(table.rows.get('gone')?.deletedAt, undefined);
  });

  it('asks the pool about an orphaned row without createdAt before marking it, and leaves it when the user is there', async () => {
    // Prepare: 'late' signs up after the listing; the rows of 'late' and 'gone'
    // were written by something else than this package (no createdAt).
    const listed = new FakeCognito([cognitoUser('u0')]);
    const poolNow = new FakeCognito([cognitoUser('u0'), cognitoUser('late')]);
    const cognito = {
      send: (command: Parameters<FakeCognito['send']>[0]) =>
        command.constructor.name === 'AdminGetUserCommand'
          ? poolNow.send(command)
          : listed.send(command),
    };
    const table = new FakeTable();
    table.put({ username: 'u0', createdAt: OLD });
    table.put({ username: 'late', useremail: 'late@example.com' });
    table.put({ username: 'gone', useremail: 'gone@example.com' });
    table.put({ username: 'old', createdAt: OLD });

    // Act
    const report = await withDefaults(cognito, table.client, {
      config: { ...CONFIG, orphans: 'mark' },
    });

    // Assess
    assert.deepEqual([...poolNow.lookups].sort(), ['gone', 'late'], 'only rows without createdAt');
    assert.equal(table.rows.get('late')?.deletedAt, undefined);
    assert.equal(table.rows.get('late')?.useremail, 'late@example.com');
    assert.equal(typeof table.rows.get('gone')?.deletedAt, 'string');
    assert.equal(typeof table.rows.get('old')?.deletedAt, 'string');
    assert.equal(report.summary.orphansInPool, 1);
    assert.equal(report.summary.orphans, 2);
    assert.equal(report.summary.marked, 2);
    assert.equal(report.summary.converged, true);
  });

  it('leaves an orphaned row without createdAt alone, and says why, when the pool cannot be asked', async () => {
    const { cognito, table } = setup(0);
    table.put({ username: 'gone', useremail: 'gone@example.com' });
    const denied = {
      send: (command: Parameters<FakeCognito['send']>[0]) =>
        command.constructor.name === 'AdminGetUserCommand'
          ? Promise.reject(sdkError('AccessDeniedException', 'no AdminGetUser'))
          : cognito.send(command),
    };
    const report = await withDefaults(denied, table.client, {
      config: { ...CONFIG, orphans: 'delete' },
    });
    assert.ok(table.rows.has('gone'), 'the row is left as it was');
    assert.match(report.summary.stopReason ?? '', /AdminGetUser.*AccessDeniedException/);
    assert.equal(report.summary.converged, false);
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
    const report = await withDefaults(cognito, table.client, {
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
    const report = await withDefaults(flaky as unknown as FakeCognito, table.client, {
      config: { ...CONFIG, orphans: 'delete' },
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
    assert.deepEqual(
      report.state?.listing,
      { shards: [{ prefix: '', token: 'page-60', done: false }] },
      'the run can continue at the failed page',
    );
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
    assert.equal(report.state?.counts.usersListed, 0, 'nothing listed before the first page');
    assert.equal(table.rows.size, 0);
  });

  it('lists in concurrent chains over the 16 sub shards, every user exactly once, and never deletes a row no shard covers', async () => {
    const { cognito, table } = setup(500);
    table.put({ username: 'gone', sub: '0f0e0d0c-1111-4222-8333-444455556666', createdAt: OLD });
    table.put({ username: 'odd-sub', sub: 'Z-not-hex', createdAt: OLD });
    table.put({ username: 'no-sub', createdAt: OLD });
    const report = await withDefaults(cognito, table.client, {
      config: { ...CONFIG, listChains: 4, orphans: 'delete' },
      orphanGraceMs: 0,
    });
    const filters = new Set(cognito.calls.map((call) => call.Filter));
    assert.deepEqual(
      [...filters].toSorted(),
      [...'0123456789abcdef'].map((digit) => `sub ^= "${digit}"`),
    );
    assert.equal(report.summary.usersListed, 500);
    assert.equal(report.summary.created, 500);
    assert.equal(report.summary.orphansEvaluated, true);
    assert.equal(report.summary.deleted, 1);
    assert.equal(report.summary.orphansOutsideShards, 2);
    assert.equal(table.rows.has('gone'), false);
    assert.ok(table.rows.has('odd-sub') && table.rows.has('no-sub'), 'rows no shard covers stay');
    assert.equal(table.rows.size, 502);
  });

  it('continues a run stopped at page boundaries, slice after slice, until it converges: no user skipped or listed twice, orphans judged once the pool is listed', async () => {
    // Prepare: 700 users, 10 of them without a row; 3 orphans.
    const { cognito, table } = setup(700);
    for (let i = 10; i < 700; i++) table.put({ username: `u${i}`, createdAt: OLD });
    for (const key of ['gone1', 'gone2', 'gone3']) table.put({ username: key, createdAt: OLD });
    const listedByCognito: string[] = [];
    const counting = {
      send: async (command: Parameters<FakeCognito['send']>[0]) => {
        const page = await cognito.send(command);
        listedByCognito.push(...(page.Users ?? []).map((user) => String(user.Username)));
        return page;
      },
    };

    // Act: each slice may start at most 4 new pages (ListUsers or Scan).
    let state: Awaited<ReturnType<typeof reconcile>>['state'];
    let last: Awaited<ReturnType<typeof reconcile>> | undefined;
    let slices = 0;
    do {
      const callsAtStart =
        cognito.calls.length + table.calls.filter((c) => c === 'ScanCommand').length;
      last = await withDefaults(counting as unknown as FakeCognito, table.client, {
        config: { ...CONFIG, orphans: 'delete' },
        orphanGraceMs: 0,
        ...(state ? { state } : {}),
        shouldStop: () =>
          cognito.calls.length +
            table.calls.filter((c) => c === 'ScanCommand').length -
            callsAtStart >=
          4,
      });
      state = last.state;
      slices++;
      if (state) {
        assert.equal(last.summary.stopReason, 'time budget spent');
        assert.equal(last.summary.converged, false);
        // Through the serialised form, as a checkpoint stores it.
        state = parseRunState(serializeRunState(state));
      }
    } while (state && slices < 100);

    // Assess
    assert.ok(slices > 5, `took ${slices} slices`);
    assert.equal(last.summary.complete, true);
    assert.equal(last.summary.converged, true);
    assert.equal(last.summary.slices, slices);
    assert.equal(listedByCognito.length, 700, 'every user listed exactly once');
    assert.equal(new Set(listedByCognito).size, 700);
    assert.equal(last.summary.usersListed, 700);
    assert.equal(last.summary.toCreate, 10);
    assert.equal(last.summary.created, 10);
    assert.equal(last.summary.deleted, 3);
    assert.equal(last.summary.orphans, 3);
    assert.equal(last.summary.rowsScanned, 703);
    assert.equal(table.rows.size, 700);
    for (const key of ['gone1', 'gone2', 'gone3']) assert.equal(table.rows.has(key), false);
  });

  it('refuses to continue the state of another pool or table', async () => {
    const { cognito, table } = setup(1);
    const first = await reconcile({
      config: CONFIG,
      cognito,
      dynamo: table.client,
      retry: NO_WAIT,
      shouldStop: () => true,
    });
    assert.ok(first.state, 'a run stopped before its first page still has a state');
    await assert.rejects(
      reconcile({
        config: { ...CONFIG, tableName: 'other' },
        cognito,
        dynamo: table.client,
        state: first.state,
      }),
      (error: Error) =>
        error.name === 'ConfigError' &&
        /belongs to pool "us-east-1_Pool1" and table "users", not to pool "us-east-1_Pool1" and table "other"/.test(
          error.message,
        ),
    );
  });

  it("reads each listed page's rows with one BatchGetItem, and keeps no scanned key (the sweep streams)", async () => {
    const { cognito, table } = setup(120);
    for (let i = 0; i < 120; i++) table.put({ username: `u${i}`, createdAt: OLD });
    const report = await withDefaults(cognito, table.client);
    assert.equal(table.calls.filter((name) => name === 'BatchGetCommand').length, 2);
    assert.equal(report.summary.inSync, 120);
    assert.equal(report.summary.toCreate, 0);
    assert.equal(report.summary.orphans, 0);
    assert.equal(report.summary.rowsScanned, 120);
  });

  it("when reading a page's rows fails, stops with a state that lists that page again, and only that one", async () => {
    const { cognito, table } = setup(180);
    let reads = 0;
    const failing = {
      send: async (command: Parameters<FakeTable['send']>[0]) => {
        if (command.constructor.name === 'BatchGetCommand' && ++reads === 2) {
          throw sdkError('AccessDeniedException', 'no BatchGetItem');
        }
        return table.send(command);
      },
    };
    const first = await withDefaults(cognito, failing as unknown as FakeTable['client']);
    assert.match(first.summary.stopReason ?? '', /AccessDeniedException: no BatchGetItem/);
    assert.equal(first.summary.usersListed, 60, 'only the page whose rows were read counts');
    assert.ok(first.state);
    const second = await withDefaults(cognito, table.client, {
      state: first.state,
    });
    assert.equal(second.summary.converged, true);
    assert.equal(second.summary.usersListed, 180);
    assert.equal(cognito.calls.length, 4, 'three pages, the failed one listed twice');
    assert.equal(table.rows.size, 180);
  });
});

describe('Function: reconcile (row mapping)', () => {
  it('stops before reading the pool when the table has another key, and keeps no state to continue', async () => {
    const { cognito, table } = setup(3);
    const rowMapping = resolveRowMapping({
      key: { attribute: 'pk', template: 'USER#{sub}' },
      sortKey: { attribute: 'sk', template: 'PROFILE' },
    });
    const report = await withDefaults(cognito, table.client, {
      config: { ...CONFIG, rowMapping },
    });
    assert.equal(cognito.calls.length, 0);
    assert.deepEqual(table.calls, []);
    assert.equal(report.summary.converged, false);
    assert.equal(report.state, undefined);
    assert.match(
      report.problem ?? '',
      /its partition key is "username", but the row mapping's key attribute is "pk"/,
    );
    assert.doesNotMatch(report.problem ?? '', /run again/);
  });

  it('skips the key schema check when DescribeTable is denied, and stops when the table does not exist', async () => {
    const denied = setup(2);
    denied.table.describeFailures.push(sdkError('AccessDeniedException', 'not authorized'));
    const report = await withDefaults(denied.cognito, denied.table.client);
    assert.equal(report.summary.converged, true, report.problem);
    assert.equal(report.summary.created, 2);

    const missing = setup(2);
    missing.table.describeFailures.push(
      sdkError('ResourceNotFoundException', 'Requested resource not found'),
    );
    const stopped = await withDefaults(missing.cognito, missing.table.client);
    assert.equal(stopped.summary.converged, false);
    assert.match(stopped.problem ?? '', /table "users" does not exist/);
    assert.doesNotMatch(stopped.problem ?? '', /run again/);
    assert.equal(missing.cognito.calls.length, 0);
  });

  it('starts a new run instead of continuing a state saved under other row keys', async () => {
    const { cognito, table } = setup(3);
    const first = await withDefaults(cognito, table.client, { shouldStop: () => true });
    assert.ok(first.state);
    const restarts: string[] = [];
    const rowMapping = resolveRowMapping({}, { keyAttribute: 'username' });
    const other = { ...first.state, rowKeys: 'pk=USER#{sub}' };
    const report = await withDefaults(cognito, table.client, {
      config: { ...CONFIG, rowMapping },
      state: other,
      progress: { restarted: (reason) => restarts.push(reason) },
    });
    assert.equal(report.summary.resumed, false);
    assert.notEqual(report.summary.runId, first.state.runId);
    assert.match(
      restarts[0] ?? '',
      /started with the row keys pk=USER#\{sub\}, not username=\{username\}/,
    );
    assert.equal(report.summary.created, 3);
  });
});
