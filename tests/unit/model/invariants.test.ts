// The model-based test is only as strict as its checks: these pin them down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLogs } from '../../helpers/model/logChecks.js';
import {
  DEFAULT_MAPPING,
  expectedRow,
  type ModelUser,
  reconciled,
  rowProblems,
  toleratedRows,
} from '../../helpers/model/poolModel.js';

const context = { mapping: DEFAULT_MAPPING, userPoolId: 'local_pool' };
const SUB = '0f0e0d0c-0000-4000-8000-000000000001';

function user(overrides: Partial<ModelUser> = {}): ModelUser {
  return {
    label: 'u0',
    username: SUB,
    sub: SUB,
    attributes: { sub: SUB, email: 'mb-x-0@example.com', given_name: 'Ada' },
    enabled: true,
    status: 'CONFIRMED',
    deleted: false,
    password: 'p',
    row: 'yes',
    rowBy: 'call',
    sinceSync: [],
    source: 'PostConfirmation_ConfirmSignUp',
    lastSignIn: 'no',
    appFields: { plan: 'pro' },
    drift: {},
    ...overrides,
  };
}

const goodRow = {
  username: SUB,
  sub: SUB,
  userPoolId: 'local_pool',
  email: 'mb-x-0@example.com',
  attributes: { sub: SUB, email: 'mb-x-0@example.com', given_name: 'Ada' },
  enabled: true,
  status: 'CONFIRMED',
  source: 'PostConfirmation_ConfirmSignUp',
  createdAt: '2026-12-03T10:00:00.000Z',
  updatedAt: '2026-12-03T10:00:01.000Z',
  plan: 'pro',
};

describe('Model-based test: the row checks', () => {
  it('accepts the row the model expects', () => {
    assert.deepEqual(rowProblems(goodRow, expectedRow(user(), context)), []);
  });

  it('flags an app-owned field changed, removed, or a field nobody owns', () => {
    const expected = expectedRow(user(), context);
    assert.match(rowProblems({ ...goodRow, plan: 'free' }, expected).join(), /plan is "free"/);
    const { plan: _plan, ...withoutPlan } = goodRow;
    assert.match(rowProblems(withoutPlan, expected).join(), /plan is undefined/);
    assert.match(
      rowProblems({ ...goodRow, stray: 1 }, expected).join(),
      /stray should not be there/,
    );
  });

  it('flags a row of another user, a missing row and a row that should not exist', () => {
    const expected = expectedRow(user(), context);
    assert.match(rowProblems({ ...goodRow, sub: 'other' }, expected).join(), /sub is "other"/);
    assert.deepEqual(rowProblems(undefined, expected), ['the row is missing']);
    const unconfirmed = expectedRow(user({ status: 'UNCONFIRMED', row: 'no' }), context);
    assert.match(rowProblems(goodRow, unconfirmed).join(), /there should be no row/);
  });

  it('expects a deleted user’s row marked and erased, keeping the app’s fields', () => {
    const expected = expectedRow(user({ deleted: true }), context);
    assert.match(rowProblems(goodRow, expected).join(), /deletedAt is missing/);
    const { email: _email, attributes: _attributes, ...erased } = goodRow;
    const marked = { ...erased, deletedAt: '2026-12-03T10:00:02.000Z' };
    assert.deepEqual(rowProblems(marked, expected), []);
    assert.match(rowProblems({ ...marked, plan: 'free' }, expected).join(), /plan/);
    assert.match(
      rowProblems({ ...marked, email: goodRow.email }, expected).join(),
      /email should not be there/,
    );
    assert.match(
      rowProblems({ ...marked, attributes: goodRow.attributes }, expected).join(),
      /attributes should not be there/,
    );
  });

  it('tolerates a trigger row without enabled and status only while the drift is listed', () => {
    const { enabled: _enabled, status: _status, ...triggerRow } = goodRow;
    const drifted = user({ drift: { triggerRow: true } });
    const tolerant = toleratedRows(
      drifted,
      context,
      new Set(['trigger-row-lacks-enabled-and-status'] as const),
    );
    assert.ok(tolerant.some((expected) => rowProblems(triggerRow, expected).length === 0));
    const strict = toleratedRows(drifted, context, new Set());
    assert.equal(strict.length, 1);
    assert.notDeepEqual(rowProblems(triggerRow, strict[0] ?? assert.fail()), []);
  });

  it('after a reconcile, expects a row for every eligible user and forgets the drift', () => {
    const later = reconciled(user({ row: 'no', source: undefined, drift: { triggerRow: true } }));
    assert.equal(later.row, 'yes');
    assert.equal(later.source, 'reconcile');
    assert.equal(later.drift.triggerRow, undefined);
  });
});

describe('Model-based test: the log checks', () => {
  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({ level: 'info', message: 'post confirmation handled', ...fields });

  it('passes lines with ids and durations within the deadline', () => {
    assert.deepEqual(checkLogs([line({ sub: SUB, durationMs: 40 })], ['{"converged":true}']), []);
  });

  it('flags an e-mail address or a phone number, in a function’s line or reconcile’s output', () => {
    assert.equal(checkLogs([line({ error: 'no user mb-x-0@example.com' })], []).length, 1);
    assert.equal(checkLogs([], ['created +15550100999']).length, 1);
  });

  it('flags an invocation past its deadline', () => {
    assert.match(checkLogs([line({ durationMs: 9000 })], []).join(), /past its 4000 ms deadline/);
    const signal = JSON.stringify({ message: 'change signal converged', durationMs: 31_000 });
    assert.match(checkLogs([signal], []).join(), /past its 30000 ms deadline/);
  });
});
