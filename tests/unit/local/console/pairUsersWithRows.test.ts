import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PoolUser } from '../../../../src/aws/pool/listPoolUsers.js';
import type { RowMapping } from '../../../../src/domain/rowMapping/document.js';
import { expectedRow } from '../../../../src/domain/rowMapping/expectedRow.js';
import { resolveRowMapping } from '../../../../src/domain/rowMapping/validate.js';
import { isPairStatus, PAIR_STATUSES, type Pair } from '../../../../src/local/console/apiTypes.js';
import {
  countPairs,
  MAX_PAGE_LIMIT,
  pagePairs,
  pairUsersWithRows,
  rowDifferences,
} from '../../../../src/local/console/pairUsersWithRows.js';

const POOL = 'us-east-1_Pool1';
const options = { userPoolId: POOL, rowMapping: resolveRowMapping({}) };

function user(name: string, status = 'CONFIRMED', extra: Record<string, string> = {}): PoolUser {
  return {
    userName: name,
    status,
    enabled: true,
    attributes: { sub: `sub-${name}`, email: `${name}@example.com`, ...extra },
  };
}

/** The row the package writes for a user (`expectedRow`). */
function rowOf(
  poolUser: PoolUser,
  changes: Record<string, unknown> = {},
  mapping: RowMapping = options.rowMapping,
) {
  return {
    ...expectedRow(
      mapping,
      {
        username: poolUser.userName,
        userPoolId: POOL,
        attributes: poolUser.attributes,
        enabled: poolUser.enabled,
        status: poolUser.status,
      },
      { source: 'PostConfirmation_ConfirmSignUp', now: new Date('2026-01-01T00:00:00Z') },
    )?.item,
    ...changes,
  };
}

const statusOf = (pairs: Pair[], key: string) => pairs.find((pair) => pair.key === key)?.status;

describe('Function: pairUsersWithRows', () => {
  it('gives each user and row the status a person reads at a glance', () => {
    const ada = user('ada');
    const bob = user('bob');
    const cy = user('cy');
    const dee = user('dee', 'UNCONFIRMED');
    const eve = user('eve');
    const pairs = pairUsersWithRows(
      [ada, bob, cy, dee, eve],
      [
        rowOf(ada),
        rowOf(cy, { email: 'old@example.com' }),
        rowOf(eve, { deletedAt: '2026-01-02T00:00:00Z' }),
        { username: 'gone', sub: 'sub-gone', createdAt: '2025-01-01T00:00:00Z' },
        { username: 'gone-marked', deletedAt: '2026-01-02T00:00:00Z' },
      ],
      options,
    );

    assert.equal(statusOf(pairs, 'ada'), 'in-sync');
    assert.equal(statusOf(pairs, 'bob'), 'row-missing');
    assert.equal(statusOf(pairs, 'cy'), 'attributes-differ');
    assert.equal(statusOf(pairs, 'dee'), 'unconfirmed');
    assert.equal(statusOf(pairs, 'eve'), 'row-marked-deleted');
    assert.equal(statusOf(pairs, 'gone'), 'orphaned-row');
    assert.equal(statusOf(pairs, 'gone-marked'), 'row-marked-deleted');
    assert.equal(pairs.find((pair) => pair.key === 'gone')?.user, undefined);
    assert.deepEqual(pairs.find((pair) => pair.key === 'cy')?.differences, ['email']);
  });

  it('sorts the worst status first, then by e-mail address', () => {
    const pairs = pairUsersWithRows(
      [user('zed'), user('amy'), user('bea')],
      [rowOf(user('zed')), rowOf(user('amy'))],
      options,
    );
    assert.deepEqual(
      pairs.map((pair) => [pair.key, pair.status]),
      [
        ['bea', 'row-missing'],
        ['amy', 'in-sync'],
        ['zed', 'in-sync'],
      ],
    );
  });

  it('expects a row for a disabled user whose status calls for one', () => {
    const disabled = { ...user('dan'), enabled: false };
    const [pair] = pairUsersWithRows([disabled], [], options);
    assert.equal(pair?.status, 'row-missing');
    assert.equal(pair?.user?.enabled, false);
  });

  it('follows the status filter it is given', () => {
    const pairs = pairUsersWithRows([user('dee', 'UNCONFIRMED')], [], {
      ...options,
      statusFilter: { except: [] },
    });
    assert.equal(pairs[0]?.status, 'row-missing');
  });

  it('reads the key from the configured key attribute and lists a duplicated user once', () => {
    const ada = user('ada');
    const rowMapping = resolveRowMapping({}, { keyAttribute: 'userId' });
    const row = rowOf(ada, {}, rowMapping);
    assert.equal(row.userId, 'ada');
    const pairs = pairUsersWithRows([ada, ada], [row], { ...options, rowMapping });
    assert.equal(pairs.length, 1);
    assert.equal(pairs[0]?.status, 'in-sync');
  });
});

describe('Function: rowDifferences', () => {
  it('names each attribute that is missing, extra or changed, and ignores source and createdAt', () => {
    const ada = user('ada', 'CONFIRMED', { name: 'Ada' });
    const row = rowOf(ada, {
      source: 'reconcile',
      createdAt: '2020-01-01T00:00:00Z',
      attributes: { sub: 'sub-ada', email: 'ada@example.com', locale: 'en' },
    });
    assert.deepEqual(rowDifferences(ada, row, options), ['attributes.locale', 'attributes.name']);
  });

  it('compares enabled and status, which reconcile --update writes, whether the row has them or not', () => {
    const disabled = { ...user('ada'), enabled: false };
    assert.deepEqual(rowDifferences(disabled, rowOf(disabled), options), []);
    assert.deepEqual(
      rowDifferences(disabled, rowOf(disabled, { enabled: true, status: 'CONFIRMED' }), options),
      ['enabled'],
    );
    const { enabled: _, status: __, ...older } = rowOf(disabled);
    assert.deepEqual(rowDifferences(disabled, older, options), ['enabled', 'status']);
  });

  it('names a field the user no longer has', () => {
    const ada = user('ada');
    const { email: _, ...withoutEmail } = ada.attributes;
    const noEmail = { ...ada, attributes: withoutEmail };
    assert.deepEqual(rowDifferences(noEmail, rowOf(ada), options), ['email', 'attributes.email']);
  });

  it('finds nothing for the row the trigger writes', () => {
    const ada = user('ada', 'CONFIRMED', { email_verified: 'true', 'custom:team': 'blue' });
    assert.deepEqual(rowDifferences(ada, rowOf(ada), options), []);
  });

  it('compares only the allowlisted attributes when the mapping has an allowlist', () => {
    const ada = user('ada', 'CONFIRMED', { name: 'Ada' });
    const rowMapping = resolveRowMapping({}, { attributeAllowlist: ['email'] });
    const row = rowOf(ada, {}, rowMapping);
    assert.deepEqual(row.attributes, { email: 'ada@example.com' });
    assert.deepEqual(rowDifferences(ada, row, { userPoolId: POOL, rowMapping }), []);
  });
});

describe('Function: countPairs', () => {
  it('counts every status, zero included, and the total', () => {
    const pairs = pairUsersWithRows([user('a'), user('b')], [rowOf(user('a'))], options);
    const counts = countPairs(pairs);
    assert.equal(counts.total, 2);
    assert.equal(counts['in-sync'], 1);
    assert.equal(counts['row-missing'], 1);
    for (const status of PAIR_STATUSES) assert.equal(typeof counts[status], 'number');
  });
});

describe('Function: pagePairs', () => {
  const many = pairUsersWithRows(
    Array.from({ length: 125 }, (_, i) => user(`user${String(i).padStart(3, '0')}`)),
    [],
    options,
  );

  it('cuts pages of the requested size and says how many pairs match', () => {
    const first = pagePairs(many, { offset: 0, limit: 50 });
    const last = pagePairs(many, { offset: 100, limit: 50 });
    assert.equal(first.total, 125);
    assert.equal(first.items.length, 50);
    assert.equal(first.items[0]?.key, 'user000');
    assert.equal(last.items.length, 25);
    assert.equal(last.items[0]?.key, 'user100');
  });

  it('filters by status and by text in the key or e-mail, in any case', () => {
    const mixed = pairUsersWithRows([user('Ada'), user('bob')], [rowOf(user('bob'))], options);
    assert.deepEqual(
      pagePairs(mixed, { status: 'in-sync' }).items.map((pair) => pair.key),
      ['bob'],
    );
    assert.deepEqual(
      pagePairs(mixed, { search: 'ADA@EXAMPLE' }).items.map((pair) => pair.key),
      ['Ada'],
    );
    assert.equal(pagePairs(mixed, { search: 'nobody' }).total, 0);
  });

  it('keeps the limit between 1 and the maximum and the offset at 0 or more', () => {
    assert.equal(pagePairs(many, { limit: 100_000 }).limit, MAX_PAGE_LIMIT);
    assert.equal(pagePairs(many, { limit: 0 }).limit, 1);
    assert.equal(pagePairs(many, { offset: -5 }).offset, 0);
  });
});

describe('Function: isPairStatus', () => {
  it('accepts the statuses and nothing else', () => {
    assert.equal(isPairStatus('row-missing'), true);
    assert.equal(isPairStatus('missing'), false);
  });
});
