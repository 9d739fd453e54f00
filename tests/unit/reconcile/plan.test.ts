import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolUser } from '../../../src/pool/listPoolUsers.js';
import type { OrphanMode } from '../../../src/reconcile/config.js';
import { type PlanOptions, planReconcile } from '../../../src/reconcile/plan.js';

const NOW = new Date('2030-05-01T12:00:00.000Z');
const OLD = '2030-01-01T00:00:00.000Z';

function user(
  userName: string,
  status = 'CONFIRMED',
  extra: Record<string, string> = {},
): PoolUser {
  return {
    userName,
    status,
    enabled: true,
    attributes: { sub: `sub-${userName}`, email: `${userName}@example.com`, ...extra },
  };
}

function options(patch: Partial<PlanOptions> = {}): PlanOptions {
  return {
    userPoolId: 'us-east-1_Pool1',
    mapping: { keyAttribute: 'username' },
    statusFilter: { except: ['UNCONFIRMED'] },
    orphans: 'report',
    now: NOW,
    ...patch,
  };
}

describe('Function: planReconcile', () => {
  it('plans a row for every listed user without one, mapped like the trigger with source reconcile', () => {
    // Prepare
    const users = [
      user('alice', 'CONFIRMED', { email_verified: 'true', 'cognito:mfa_enabled': 'x' }),
    ];

    // Act
    const plan = planReconcile(users, [], options());

    // Assess
    assert.deepEqual(plan.creates, [
      {
        username: 'alice',
        sub: 'sub-alice',
        userPoolId: 'us-east-1_Pool1',
        source: 'reconcile',
        createdAt: NOW.toISOString(),
        attributes: { sub: 'sub-alice', email: 'alice@example.com', email_verified: 'true' },
        email: 'alice@example.com',
        emailVerified: true,
      },
    ]);
    assert.equal(plan.counts.toCreate, 1);
  });

  it('applies the key attribute and the attribute allowlist', () => {
    const plan = planReconcile(
      [user('bob', 'CONFIRMED', { given_name: 'Bob' })],
      [],
      options({ mapping: { keyAttribute: 'pk', userAttributes: ['given_name'] } }),
    );
    assert.equal(plan.creates[0]?.pk, 'bob');
    assert.deepEqual(plan.creates[0]?.attributes, { given_name: 'Bob' });
  });

  it('skips users that already have a row, whatever the row holds', () => {
    const plan = planReconcile([user('alice'), user('bob')], [{ key: 'alice' }], options());
    assert.deepEqual(
      plan.creates.map((row) => row.username),
      ['bob'],
    );
    assert.equal(plan.counts.inSync, 1);
  });

  it('includes admin-created and federated users but not UNCONFIRMED ones by default', () => {
    const plan = planReconcile(
      [
        user('admin-made', 'FORCE_CHANGE_PASSWORD'),
        user('Google_123', 'EXTERNAL_PROVIDER'),
        user('pending', 'UNCONFIRMED'),
        user('reset', 'RESET_REQUIRED'),
      ],
      [],
      options(),
    );
    assert.deepEqual(
      plan.creates.map((row) => row.username),
      ['admin-made', 'Google_123', 'reset'],
    );
    assert.equal(plan.counts.usersListed, 4);
    assert.equal(plan.counts.usersEligible, 3);
  });

  it('honours an explicit status list', () => {
    const plan = planReconcile(
      [user('a', 'CONFIRMED'), user('b', 'FORCE_CHANGE_PASSWORD'), user('c', 'UNCONFIRMED')],
      [],
      options({ statusFilter: { only: ['CONFIRMED', 'UNCONFIRMED'] } }),
    );
    assert.deepEqual(
      plan.creates.map((row) => row.username),
      ['a', 'c'],
    );
  });

  it('does not treat the row of a user filtered out by status as orphaned', () => {
    const plan = planReconcile(
      [user('pending', 'UNCONFIRMED')],
      [{ key: 'pending', createdAt: OLD }],
      options(),
    );
    assert.equal(plan.counts.orphans, 0);
    assert.deepEqual(plan.reported, []);
  });

  it('ignores a user listed twice', () => {
    const plan = planReconcile([user('alice'), user('alice')], [], options());
    assert.equal(plan.creates.length, 1);
    assert.equal(plan.counts.usersListed, 1);
  });

  const orphanCases: [OrphanMode, { reported: string[]; marks: string[]; deletes: string[] }][] = [
    ['report', { reported: ['gone'], marks: [], deletes: [] }],
    ['mark', { reported: [], marks: ['gone'], deletes: [] }],
    ['delete', { reported: [], marks: [], deletes: ['gone', 'gone-marked'] }],
  ];
  for (const [mode, expected] of orphanCases) {
    it(`in ${mode} mode, plans orphaned rows as ${JSON.stringify(expected)}`, () => {
      const plan = planReconcile(
        [user('alice')],
        [
          { key: 'alice', createdAt: OLD },
          { key: 'gone', createdAt: OLD },
          { key: 'gone-marked', createdAt: OLD, deletedAt: OLD },
        ],
        options({ orphans: mode }),
      );
      assert.deepEqual(
        { reported: plan.reported, marks: plan.marks, deletes: plan.deletes },
        expected,
      );
      assert.equal(plan.counts.orphans, 2);
      assert.equal(plan.counts.orphansAlreadyMarked, 1);
    });
  }

  it('leaves orphaned rows younger than the grace period alone', () => {
    const recent = new Date(NOW.getTime() - 60_000).toISOString();
    const plan = planReconcile(
      [],
      [{ key: 'recent', createdAt: recent }, { key: 'old', createdAt: OLD }, { key: 'undated' }],
      options({ orphans: 'delete', orphanGraceMs: 5 * 60_000 }),
    );
    assert.deepEqual(plan.deletes.toSorted(), ['old', 'undated']);
    assert.equal(plan.counts.orphansTooRecent, 1);
  });

  it('reports a marked row whose username is listed again and plans no write for it', () => {
    const plan = planReconcile(
      [user('back')],
      [{ key: 'back', createdAt: OLD, deletedAt: OLD }],
      options({ orphans: 'mark' }),
    );
    assert.deepEqual(plan.markedButPresent, ['back']);
    assert.deepEqual(plan.creates, []);
    assert.deepEqual(plan.marks, []);
    assert.equal(plan.counts.markedButPresent, 1);
    assert.equal(plan.counts.inSync, 1);
  });

  it('plans nothing when the table matches the pool', () => {
    const plan = planReconcile(
      [user('a'), user('b')],
      [
        { key: 'a', createdAt: OLD },
        { key: 'b', createdAt: OLD },
      ],
      options({ orphans: 'delete' }),
    );
    assert.equal(plan.creates.length + plan.marks.length + plan.deletes.length, 0);
    assert.deepEqual(plan.counts, {
      usersListed: 2,
      usersEligible: 2,
      rowsScanned: 2,
      inSync: 2,
      toCreate: 0,
      orphans: 0,
      orphansAlreadyMarked: 0,
      orphansTooRecent: 0,
      toMark: 0,
      toDelete: 0,
      orphansReported: 0,
      markedButPresent: 0,
    });
  });
});
