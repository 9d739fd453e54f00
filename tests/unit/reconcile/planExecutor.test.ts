import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { rowKeyId } from '../../../src/domain/rowMapping/keys.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { judgeOrphan, planPage, type ReconcilePlan } from '../../../src/sync/reconcile/plan.js';
import {
  type ApplyOptions,
  type ApplyResult,
  createPlanExecutor,
} from '../../../src/sync/reconcile/planExecutor.js';
import { FakeTable, NO_WAIT, sdkError } from './fakes.js';

const NOW = new Date('2030-05-01T12:00:00.000Z');
const OLD = '2030-01-01T00:00:00.000Z';

type Writes = Pick<ReconcilePlan, 'creates' | 'marks' | 'deletes'>;

/** The writes reconcile plans for these users and rows (see `planPage`, `judgeOrphan`). */
function planFor(
  users: string[],
  rows: { key: string; deletedAt?: string }[],
  orphans: 'report' | 'mark' | 'delete',
): Writes {
  const planOptions = {
    userPoolId: 'us-east-1_Pool1',
    rowMapping: resolveRowMapping({}),
    statusFilter: { except: ['UNCONFIRMED'] },
    orphans,
    now: NOW,
  };
  const page = planPage(
    users.map((userName) => ({
      userName,
      status: 'CONFIRMED',
      enabled: true,
      attributes: { sub: `sub-${userName}` },
    })),
    new Map(
      rows.map((row) => [
        rowKeyId(planOptions.rowMapping, { username: row.key }),
        {
          username: row.key,
          createdAt: OLD,
          ...(row.deletedAt ? { deletedAt: row.deletedAt } : {}),
        },
      ]),
    ),
    planOptions,
  );
  const orphaned = rows.filter((row) => !users.includes(row.key));
  const decide = (row: { deletedAt?: string }) =>
    judgeOrphan({ ...row, createdAt: OLD }, planOptions);
  return {
    creates: page.creates,
    marks: orphaned.filter((row) => decide(row) === 'mark').map((row) => row.key),
    deletes: orphaned.filter((row) => decide(row) === 'delete').map((row) => row.key),
  };
}

const options = (table: FakeTable, concurrency = 4) => ({
  client: table.client,
  tableName: 'users',
  keyAttribute: 'username',
  concurrency,
  now: NOW,
  retry: NO_WAIT,
});

/** Feeds a whole plan (creates, then orphans) to an executor and waits for it. */
function applyPlan(plan: Writes, options: ApplyOptions): Promise<ApplyResult> {
  const executor = createPlanExecutor(options);
  executor.create(plan.creates);
  executor.orphans(plan);
  return executor.finish();
}

describe('Function: createPlanExecutor', () => {
  it('creates the planned rows with at most `concurrency` writes in flight', async () => {
    // Prepare
    const table = new FakeTable();
    table.beforeWrite = () => delay(1);
    const plan = planFor(
      Array.from({ length: 40 }, (_, i) => `u${i}`),
      [],
      'report',
    );
    const progress: number[] = [];

    // Act
    const result = await applyPlan(plan, {
      ...options(table, 5),
      onProgress: (done) => progress.push(done),
    });

    // Assess
    assert.equal(result.created, 40);
    assert.equal(table.rows.size, 40);
    assert.equal(table.maxInFlight, 5);
    assert.equal(progress.length, 40);
    assert.equal(table.rows.get('u3')?.source, 'reconcile');
  });

  it('never overwrites a row written after planning', async () => {
    const table = new FakeTable();
    const plan = planFor(['alice', 'bob'], [], 'report');
    table.put({ username: 'alice', source: 'PostConfirmation_ConfirmSignUp' });
    const result = await applyPlan(plan, options(table));
    assert.equal(result.created, 1);
    assert.equal(result.alreadyPresent, 1);
    assert.equal(table.rows.get('alice')?.source, 'PostConfirmation_ConfirmSignUp');
  });

  it('marks orphaned rows with deletedAt, skipping rows gone or marked meanwhile', async () => {
    const table = new FakeTable();
    table.put({ username: 'gone1', createdAt: OLD });
    table.put({ username: 'gone2', createdAt: OLD, deletedAt: OLD });
    const plan = planFor([], [{ key: 'gone1' }, { key: 'gone2' }, { key: 'gone3' }], 'mark');
    const result = await applyPlan(plan, options(table));
    assert.equal(result.marked, 1);
    assert.equal(result.markSkipped, 2);
    assert.equal(table.rows.get('gone1')?.deletedAt, NOW.toISOString());
    assert.equal(table.rows.get('gone2')?.deletedAt, OLD);
    assert.equal(table.rows.has('gone3'), false);
  });

  it('deletes orphaned rows and counts rows already gone', async () => {
    const table = new FakeTable();
    table.put({ username: 'gone1' });
    const plan = planFor([], [{ key: 'gone1' }, { key: 'gone2' }], 'delete');
    const result = await applyPlan(plan, options(table));
    assert.equal(result.deleted, 1);
    assert.equal(result.deleteSkipped, 1);
    assert.equal(table.rows.size, 0);
  });

  it('retries throttled writes and counts the retries', async () => {
    const table = new FakeTable();
    table.writeFailures.push(
      sdkError('ProvisionedThroughputExceededException'),
      sdkError('ThrottlingException'),
    );
    const result = await applyPlan(planFor(['a', 'b'], [], 'report'), options(table, 1));
    assert.equal(result.created, 2);
    assert.equal(result.throttledRetries, 2);
    assert.deepEqual(result.failures, []);
  });

  it('records a write that keeps failing and goes on with the others', async () => {
    const table = new FakeTable();
    table.writeFailures.push(sdkError('AccessDeniedException', 'not allowed'));
    const result = await applyPlan(planFor(['a', 'b', 'c'], [], 'report'), options(table, 1));
    assert.equal(result.created, 2);
    assert.equal(result.failures.length, 1);
    assert.equal(result.failures[0]?.key, 'a');
    assert.equal(result.failures[0]?.action, 'create');
    assert.match(result.failures[0]?.reason ?? '', /AccessDeniedException: not allowed/);
  });

  it('counts a write whose answer was lost as created-or-present, not as failed or as someone else’s', async () => {
    // Each write lands, then its answer is lost (a reset): the retry finds the row.
    const table = new FakeTable();
    const lost = new Set<string>();
    table.beforeWrite = (name, key) => {
      if (lost.has(key) || name !== 'PutCommand') return;
      lost.add(key);
      table.put({ username: key, source: 'reconcile' });
      throw Object.assign(new Error('read ECONNRESET'), {
        name: 'TimeoutError',
        code: 'ECONNRESET',
      });
    };
    const result = await applyPlan(planFor(['a', 'b'], [], 'mark'), options(table, 1));
    assert.equal(result.created, 0);
    assert.equal(result.createdOrPresent, 2);
    assert.equal(result.alreadyPresent, 0);
    assert.equal(result.retries, 2);
    assert.deepEqual(result.failures, []);
  });

  it('retries 5xx answers, resets and timeouts, not only throttling', async () => {
    const table = new FakeTable();
    table.writeFailures.push(
      Object.assign(new Error('boom'), {
        name: 'InternalServerError',
        $metadata: { httpStatusCode: 500 },
      }),
      Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError', code: 'ECONNRESET' }),
      Object.assign(new Error('timed out'), { name: 'TimeoutError', code: 'ETIMEDOUT' }),
    );
    const result = await applyPlan(planFor(['a'], [], 'report'), options(table, 1));
    assert.equal(result.created, 1);
    assert.equal(result.retries, 3);
    assert.deepEqual(result.failures, []);
  });
});
