import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolUser } from '../../../src/aws/pool/listPoolUsers.js';
import type { OrphanMode } from '../../../src/domain/reconcileConfig.js';
import { rowKeyId } from '../../../src/domain/rowMapping/keys.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { judgeOrphan, type PlanOptions, planPage } from '../../../src/sync/reconcile/plan.js';

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
    rowMapping: DEFAULT_MAPPING,
    statusFilter: { except: ['UNCONFIRMED'] },
    orphans: 'report',
    now: NOW,
    ...patch,
  };
}

const DEFAULT_MAPPING = resolveRowMapping({});

/** Rows of the default mapping by `rowKeyId`: the key and the given fields. */
function rows(
  ...keys: { key: string; createdAt?: string; deletedAt?: string }[]
): Map<string, Record<string, unknown>> {
  return new Map(
    keys.map(({ key, ...fields }) => [
      rowKeyId(DEFAULT_MAPPING, { username: key }),
      { username: key, ...fields },
    ]),
  );
}

describe('Function: planPage', () => {
  it('plans for every listed user without one the row converge would create, with source reconcile', () => {
    // Prepare
    const users = [
      {
        ...user('alice', 'CONFIRMED', { email_verified: 'true', 'cognito:mfa_enabled': 'x' }),
        enabled: false,
        lastModifiedAt: '2026-11-01T10:00:00.000Z',
      },
    ];

    // Act
    const plan = planPage(users, rows(), options());

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
        enabled: false,
        status: 'CONFIRMED',
        updatedAt: NOW.toISOString(),
        userLastModifiedAt: '2026-11-01T10:00:00.000Z',
      },
    ]);
    assert.equal(plan.eligible, 1);
    assert.equal(plan.inSync, 0);
  });

  it('applies the key attribute and the attribute allowlist', () => {
    const plan = planPage(
      [user('bob', 'CONFIRMED', { given_name: 'Bob' })],
      rows(),
      options({
        rowMapping: resolveRowMapping(
          {},
          { keyAttribute: 'pk', attributeAllowlist: ['given_name'] },
        ),
      }),
    );
    assert.equal(plan.creates[0]?.pk, 'bob');
    assert.deepEqual(plan.creates[0]?.attributes, { given_name: 'Bob' });
  });

  it('skips users that already have a row, whatever the row holds', () => {
    const plan = planPage([user('alice'), user('bob')], rows({ key: 'alice' }), options());
    assert.deepEqual(
      plan.creates.map((row) => row.username),
      ['bob'],
    );
    assert.equal(plan.inSync, 1);
  });

  it('includes admin-created and federated users but not UNCONFIRMED ones by default', () => {
    const plan = planPage(
      [
        user('admin-made', 'FORCE_CHANGE_PASSWORD'),
        user('Google_123', 'EXTERNAL_PROVIDER'),
        user('pending', 'UNCONFIRMED'),
        user('reset', 'RESET_REQUIRED'),
      ],
      rows(),
      options(),
    );
    assert.deepEqual(
      plan.creates.map((row) => row.username),
      ['admin-made', 'Google_123', 'reset'],
    );
    assert.equal(plan.eligible, 3);
  });

  it('honours an explicit status list', () => {
    const plan = planPage(
      [user('a', 'CONFIRMED'), user('b', 'FORCE_CHANGE_PASSWORD'), user('c', 'UNCONFIRMED')],
      rows(),
      options({ statusFilter: { only: ['CONFIRMED', 'UNCONFIRMED'] } }),
    );
    assert.deepEqual(
      plan.creates.map((row) => row.username),
      ['a', 'c'],
    );
  });

  it('ignores a user listed twice in a page', () => {
    const plan = planPage([user('alice'), user('alice')], rows(), options());
    assert.equal(plan.creates.length, 1);
    assert.equal(plan.eligible, 1);
  });

  it('reports a marked row whose username is listed again and plans no write for it', () => {
    const plan = planPage(
      [user('back')],
      rows({ key: 'back', createdAt: OLD, deletedAt: OLD }),
      options({ orphans: 'mark' }),
    );
    assert.deepEqual(plan.markedButPresent, ['back']);
    assert.deepEqual(plan.creates, []);
    assert.equal(plan.inSync, 1);
  });

  it('plans nothing when every user has a row', () => {
    const plan = planPage(
      [user('a'), user('b')],
      rows({ key: 'a', createdAt: OLD }, { key: 'b', createdAt: OLD }),
      options(),
    );
    assert.deepEqual(plan, {
      eligible: 2,
      inSync: 2,
      creates: [],
      markedButPresent: [],
      updates: [],
    });
  });
});

describe('Function: judgeOrphan', () => {
  const cases: [OrphanMode, { unmarked: string; marked: string }][] = [
    ['report', { unmarked: 'report', marked: 'already-marked' }],
    ['mark', { unmarked: 'mark', marked: 'already-marked' }],
    ['delete', { unmarked: 'delete', marked: 'delete' }],
  ];
  for (const [mode, expected] of cases) {
    it(`in ${mode} mode, decides ${JSON.stringify(expected)}`, () => {
      assert.equal(judgeOrphan({ createdAt: OLD }, options({ orphans: mode })), expected.unmarked);
      assert.equal(
        judgeOrphan({ createdAt: OLD, deletedAt: OLD }, options({ orphans: mode })),
        expected.marked,
      );
    });
  }

  it('leaves orphaned rows younger than the grace period alone, and judges undated ones', () => {
    const recent = new Date(NOW.getTime() - 60_000).toISOString();
    const grace = options({ orphans: 'delete', orphanGraceMs: 5 * 60_000 });
    assert.equal(judgeOrphan({ createdAt: recent }, grace), 'too-recent');
    assert.equal(judgeOrphan({ createdAt: OLD }, grace), 'delete');
    assert.equal(judgeOrphan({}, grace), 'delete');
    assert.equal(judgeOrphan({ createdAt: 'not a date' }, grace), 'delete');
  });

  it('uses a 10-minute grace period by default', () => {
    const nineMinutes = new Date(NOW.getTime() - 9 * 60_000).toISOString();
    const elevenMinutes = new Date(NOW.getTime() - 11 * 60_000).toISOString();
    assert.equal(judgeOrphan({ createdAt: nineMinutes }, options()), 'too-recent');
    assert.equal(judgeOrphan({ createdAt: elevenMinutes }, options()), 'report');
  });
});
