import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolUser } from '../../../src/aws/pool/listPoolUsers.js';
import type { TableKey } from '../../../src/aws/store/scanPages.js';
import { readScheduledReconcileConfig } from '../../../src/domain/scheduledConfig.js';
import { planUpdates } from '../../../src/sync/reconcile/planUpdates.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const options = { userPoolId: 'us-east-1_P', mapping: { keyAttribute: 'username' }, now: NOW };

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

function scanned(name: string, row: Record<string, unknown> = {}): [string, TableKey] {
  return [
    name,
    {
      key: name,
      row: {
        username: name,
        sub: `sub-${name}`,
        userPoolId: 'us-east-1_P',
        attributes: { sub: `sub-${name}` },
        enabled: true,
        status: 'CONFIRMED',
        userLastModifiedAt: '2026-11-29T10:00:00.000Z',
        ...row,
      },
      ...(typeof row.deletedAt === 'string' ? { deletedAt: row.deletedAt } : {}),
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
    assert.equal(tasks[0]?.update.notNewerThan, '2026-11-29T11:00:00.000Z');
    assert.equal(tasks[0]?.update.expectSub, 'sub-disabled');
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

  it('plans nothing for rows scanned without their managed fields', () => {
    const rows = new Map<string, TableKey>([['bare', { key: 'bare' }]]);
    assert.deepEqual(planUpdates([user('bare', { enabled: false })], rows, options), []);
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
