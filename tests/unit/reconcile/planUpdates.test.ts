import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolUser } from '../../../src/aws/pool/listPoolUsers.js';
import { rowKeyId } from '../../../src/domain/rowMapping/keys.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { readScheduledReconcileConfig } from '../../../src/domain/scheduledConfig.js';
import { planUpdates } from '../../../src/sync/reconcile/planUpdates.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const MAPPING = resolveRowMapping({});
const options = { userPoolId: 'us-east-1_P', rowMapping: MAPPING, now: NOW };

function user(name: string, patch: Partial<PoolUser> = {}): PoolUser {
  return {
    userName: name,
    status: 'CONFIRMED',
    enabled: true,
    attributes: { sub: `sub-${name}` },
    lastModifiedAt: '2026-11-29T10:00:00.000Z',
    ...patch,
  };
}

function scanned(
  name: string,
  row: Record<string, unknown> = {},
): [string, Record<string, unknown>] {
  return [
    rowKeyId(MAPPING, { username: name }),
    {
      username: name,
      sub: `sub-${name}`,
      userPoolId: 'us-east-1_P',
      attributes: { sub: `sub-${name}` },
      enabled: true,
      status: 'CONFIRMED',
      userLastModifiedAt: '2026-11-29T10:00:00.000Z',
      ...row,
    },
  ];
}

describe('Function: planUpdates', () => {
  it('plans a conditional update for each row whose managed fields differ, and only those', () => {
    const rows = new Map([scanned('same'), scanned('disabled'), scanned('renamed')]);
    const tasks = planUpdates(
      [
        user('same'),
        user('disabled', { enabled: false, lastModifiedAt: '2026-11-29T11:00:00.000Z' }),
        user('renamed', { attributes: { sub: 'sub-renamed', name: 'R' } }),
        user('no-row'),
      ],
      rows,
      options,
    );
    assert.deepEqual(
      tasks.map((task) => task.key),
      ['disabled', 'renamed'],
    );
    assert.deepEqual(tasks[0]?.update.notNewerThan, {
      column: 'userLastModifiedAt',
      value: '2026-11-29T11:00:00.000Z',
    });
    assert.deepEqual(tasks[0]?.update.expectSub, { column: 'sub', value: 'sub-disabled' });
    assert.deepEqual(
      tasks.map((task) => task.adopt),
      [false, false],
    );
  });

  it('never touches rows marked deleted, rows of another sub, or stale listings', () => {
    const rows = new Map([
      scanned('marked', { deletedAt: '2026-01-01T00:00:00.000Z', enabled: false }),
      scanned('reused', { sub: 'old-sub' }),
      scanned('newer', { userLastModifiedAt: '2026-11-29T11:59:00.000Z', enabled: false }),
    ]);
    const tasks = planUpdates([user('marked'), user('reused'), user('newer')], rows, options);
    assert.deepEqual(tasks, []);
  });

  it('plans nothing for a user whose row was not found', () => {
    assert.deepEqual(planUpdates([user('bare', { enabled: false })], new Map(), options), []);
  });

  it("adopts a row without sub at the user's key: adds the managed fields, names no other column", () => {
    const mapping = resolveRowMapping({ fields: { email: 'useremail' } });
    const rows = new Map([
      [
        rowKeyId(mapping, { username: 'tutorial' }),
        { username: 'tutorial', useremail: 'old@example.com', note: 'kept' },
      ],
    ]);
    const [task, ...others] = planUpdates(
      [user('tutorial', { attributes: { sub: 'sub-t', email: 'new@example.com' } })],
      rows,
      { ...options, rowMapping: mapping },
    );
    assert.deepEqual(others, []);
    assert.equal(task?.adopt, true);
    assert.deepEqual(task?.rowKey, { username: 'tutorial' });
    assert.deepEqual(task?.update.expectSub, { column: 'sub', value: undefined });
    assert.equal(task?.update.set.sub, 'sub-t');
    assert.equal(task?.update.set.useremail, 'new@example.com');
    assert.equal(task?.update.set.source, 'reconcile');
    assert.ok(!('note' in (task?.update.set ?? {})));
    assert.deepEqual(task?.update.remove, []);
  });
});

describe('Function: readScheduledReconcileConfig (UPDATE)', () => {
  it('turns --update on from UPDATE=true and rejects other text', () => {
    const env = { USER_POOL_ID: 'us-east-1_P', TABLE_NAME: 'users' };
    assert.equal(readScheduledReconcileConfig({ ...env, UPDATE: 'true' }).update, true);
    assert.equal(readScheduledReconcileConfig(env).update, undefined);
    assert.throws(() => readScheduledReconcileConfig({ ...env, UPDATE: 'maybe' }), {
      message: 'UPDATE must be true or false, got "maybe"',
    });
  });
});
