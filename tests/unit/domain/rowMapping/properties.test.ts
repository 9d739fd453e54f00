// Property-based tests (fast-check) of the one definition of "in sync": it
// agrees with today's converge decision for the default mapping, and for any
// valid mapping the row written for a user is in sync, one changed managed
// field differs on that field alone, and app-owned columns never count.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decideConverge, type UserState } from '../../../../src/domain/converge.js';
import { ROW_MANAGED_FIELDS, type RowMapping } from '../../../../src/domain/rowMapping/document.js';
import {
  compareRow,
  expectedRow,
  managedColumns,
  updateFor,
} from '../../../../src/domain/rowMapping/expectedRow.js';
import { isUserRow, matchRowKey, rowSubOf } from '../../../../src/domain/rowMapping/keys.js';
import { resolveRowMapping, rowMappingIssues } from '../../../../src/domain/rowMapping/validate.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const DATES = ['2026-11-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-12-31T00:00:00.000Z'];

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const user: fc.Arbitrary<UserState> = fc
  .record({
    username: fc.string({ minLength: 1, maxLength: 12 }),
    sub: fc.constantFrom('s-1', 's-2', '0f1e2d3c-aaaa'),
    email: optional(fc.constantFrom('', 'a@example.com', 'b@example.com')),
    emailVerified: optional(fc.constantFrom('true', 'false', 'TRUE')),
    givenName: optional(fc.constantFrom('Ann', 'Bo')),
    plan: optional(fc.constantFrom('free', 'pro')),
    enabled: fc.boolean(),
    status: fc.constantFrom('CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED'),
    lastModifiedAt: optional(fc.constantFrom(...DATES)),
  })
  .map((u) => ({
    username: u.username,
    userPoolId: 'eu-west-1_Pool',
    attributes: {
      sub: u.sub,
      'cognito:user_status': u.status,
      ...(u.email !== undefined ? { email: u.email } : {}),
      ...(u.emailVerified !== undefined ? { email_verified: u.emailVerified } : {}),
      ...(u.givenName !== undefined ? { given_name: u.givenName } : {}),
      ...(u.plan !== undefined ? { 'custom:plan': u.plan } : {}),
    },
    enabled: u.enabled,
    status: u.status,
    lastModifiedAt: u.lastModifiedAt,
  }));

/** A value for a column that may differ from the one written. */
const anyValue = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    true,
    false,
    'CONFIRMED',
    'a@example.com',
    's-1',
    'eu-west-1_Pool',
  ),
  fc.constantFrom<unknown>(...DATES),
  fc.constantFrom<unknown>({}, { sub: 's-1' }, { sub: 's-1', email: 'a@example.com' }),
);

/** App-owned columns, including names on Object.prototype. */
const appColumns = fc.dictionary(
  fc.constantFrom('plan', 'nickname', 'useremail', 'constructor', 'toString', 'orders'),
  fc.oneof(fc.string({ maxLength: 5 }), fc.integer()),
  { maxKeys: 3 },
);

/** Rows at the user's key: the row written for some user, with its managed fields tweaked. */
function rowFor(base: UserState) {
  return fc
    .record({
      written: fc.oneof(fc.constant(base), user),
      tweaks: fc.oneof(
        fc.constant({}),
        fc.dictionary(fc.constantFrom(...ROW_MANAGED_FIELDS), anyValue, { maxKeys: 4 }),
      ),
      subMode: fc.constantFrom('same', 'other', 'absent', 'as-tweaked'),
      app: appColumns,
    })
    .map(({ written, tweaks, subMode, app }) => {
      const row: Record<string, unknown> = {
        ...app,
        ...expectedRow(
          resolveRowMapping({}),
          { ...written, username: base.username },
          {
            now: new Date('2026-11-15T00:00:00.000Z'),
            source: 'PostConfirmation_ConfirmSignUp',
          },
        )?.item,
      };
      for (const [field, value] of Object.entries(tweaks)) {
        if (value === undefined) delete row[field];
        else row[field] = value;
      }
      if (subMode === 'same') row.sub = base.attributes.sub;
      if (subMode === 'other') row.sub = 'another-sub';
      if (subMode === 'absent') delete row.sub;
      return row;
    });
}

const withRow = user.chain((u) =>
  fc.tuple(
    fc.constant(u),
    optional(rowFor(u)),
    fc.constantFrom(undefined, ['email', 'given_name']),
  ),
);

const sorted = (values: readonly string[]) => [...values].sort();

describe('Properties: compareRow for the default mapping agrees with decideConverge', () => {
  it('gives the same create, in-sync, stale, reused-username and update (SET, REMOVE, restore) as converge', () => {
    fc.assert(
      fc.property(withRow, ([u, row, allowlist]) => {
        const mapping = resolveRowMapping({}, { attributeAllowlist: allowlist });
        const decision = decideConverge({
          row,
          user: u,
          mapping: { keyAttribute: 'username', userAttributes: allowlist },
          now: NOW,
          source: 'converge',
          isEligible: () => true,
        });
        const comparison = compareRow(mapping, u, row, { now: NOW, source: 'converge' });
        if (row !== undefined && typeof row.sub !== 'string') {
          // A row without sub is a row from before: adopted (unless it holds a
          // newer state), never a reused username; converge decides the same.
          assert.ok(comparison.kind === 'adopt' || comparison.kind === 'stale', comparison.kind);
          if (comparison.kind === 'stale') {
            assert.deepEqual(decision, { kind: 'none', reason: 'stale' });
            return;
          }
          assert.ok(decision.kind === 'update' && decision.adopt === true);
          const update = updateFor(mapping, u, comparison, { now: NOW });
          assert.deepEqual(decision.set, update.set);
          assert.deepEqual(decision.remove, update.remove);
          assert.equal(decision.expectSub, undefined);
          return;
        }
        switch (comparison.kind) {
          case 'missing':
            assert.equal(decision.kind, 'create');
            assert.ok(decision.kind === 'create');
            assert.deepEqual(expectedRow(mapping, u, { now: NOW, source: 'converge' })?.item, {
              ...decision.row,
            });
            return;
          case 'adopt':
            assert.fail('a row with a sub is never adopted');
            return;
          case 'reused-username':
            assert.deepEqual(decision, { kind: 'none', reason: 'username-reused' });
            return;
          case 'stale':
            assert.deepEqual(decision, { kind: 'none', reason: 'stale' });
            return;
          case 'in-sync':
            assert.deepEqual(decision, { kind: 'none', reason: 'in-sync' });
            return;
          case 'differs': {
            assert.ok(decision.kind === 'update');
            const { updatedAt, ...set } = decision.set;
            assert.equal(updatedAt, NOW.toISOString());
            assert.deepEqual(comparison.set, set);
            assert.deepEqual(sorted(comparison.remove), sorted(decision.remove));
            assert.equal(comparison.restore, decision.restore);
            const update = updateFor(mapping, u, comparison, { now: NOW });
            assert.deepEqual(update.set, decision.set);
            assert.equal(update.expectSub?.value, decision.expectSub);
            assert.equal(update.notNewerThan?.value, decision.notNewerThan);
            return;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('meets every kind of row on the way (the generators reach each branch)', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(withRow, ([u, row]) => {
        kinds.add(compareRow(resolveRowMapping({}), u, row, { now: NOW }).kind);
      }),
      { numRuns: 500, seed: 7 },
    );
    assert.deepEqual(
      sorted([...kinds]),
      sorted(['missing', 'adopt', 'reused-username', 'stale', 'in-sync', 'differs']),
    );
  });
});

/** Valid mappings: key templates, sort keys, renamed and left-out fields, attribute columns, constants. */
const mappingDocument = fc
  .record({
    key: fc.constantFrom(
      undefined,
      { attribute: 'pk', template: 'USER#{sub}' },
      { attribute: 'id', template: '{sub}' },
      { attribute: 'userKey', template: '{userPoolId}#{username}' },
      { attribute: 'pk', template: 'U#{username}#S' },
    ),
    sortKey: fc.constantFrom(
      undefined,
      { attribute: 'sk', template: 'PROFILE' },
      { attribute: 'sk', template: 'P#{userPoolId}' },
    ),
    fields: fc.dictionary(
      fc.constantFrom(...ROW_MANAGED_FIELDS),
      fc.constantFrom<'rename' | 'omit'>('rename', 'omit'),
      { maxKeys: 6 },
    ),
    attributes: fc.subarray(['given_name', 'custom:plan', 'email', 'locale']),
    constants: fc.constantFrom(
      undefined,
      { entityType: 'User' },
      { entityType: 'User', version: 1, live: true },
    ),
  })
  .map(({ key, sortKey, fields, attributes, constants }) => {
    const keyHasSub = `${key?.template ?? ''}${sortKey?.template ?? ''}`.includes('{sub}');
    const required = [
      'createdAt',
      'deletedAt',
      'userLastModifiedAt',
      ...(keyHasSub ? [] : ['sub']),
    ];
    return {
      ...(key ? { key } : {}),
      ...(sortKey ? { sortKey } : {}),
      fields: Object.fromEntries(
        Object.entries(fields).map(([field, how]) => [
          field,
          how === 'omit' && !required.includes(field) ? false : `m_${field}`,
        ]),
      ),
      attributes: Object.fromEntries(
        attributes.map((name) => [name, `col_${name.replace(':', '_')}`]),
      ),
      ...(constants ? { constants } : {}),
    };
  });

const mapped = mappingDocument.map((document) => {
  assert.deepEqual(rowMappingIssues(document), [], JSON.stringify(document));
  return resolveRowMapping(document);
});

/** A managed column's value changed to something else. */
function changed(value: unknown): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string')
    return value.startsWith('20') ? '2000-01-01T00:00:00.000Z' : `${value}-changed`;
  if (value === undefined) return 'appeared';
  return { changed: 'yes' };
}

/** The columns the user's state decides (not timestamps, source, constants). */
function comparedColumns(mapping: RowMapping, u: UserState): [string, string][] {
  const fields = [
    'userPoolId',
    'email',
    'emailVerified',
    'attributes',
    'enabled',
    'status',
    'userLastModifiedAt',
  ] as const;
  return [
    ...fields.flatMap((field): [string, string][] => {
      const column = mapping.fields[field];
      if (column === undefined) return [];
      if (field === 'userLastModifiedAt' && u.lastModifiedAt === undefined) return [];
      return [[field, column]];
    }),
    ...Object.entries(mapping.attributeColumns).map(([, column]): [string, string] => [
      'attributeColumn',
      column,
    ]),
  ];
}

describe('Properties: compareRow over random valid mappings', () => {
  it('finds the row written for a user in sync, a user row by its key, with the user’s sub', () => {
    fc.assert(
      fc.property(mapped, user, appColumns, (mapping, u, app) => {
        const expected = expectedRow(mapping, u, { now: NOW, source: 'reconcile' });
        assert.ok(expected);
        const row = { ...app, ...expected.item };
        assert.equal(compareRow(mapping, u, row, { now: NOW }).kind, 'in-sync');
        assert.ok(isUserRow(mapping, row));
        assert.equal(rowSubOf(mapping, row), u.attributes.sub);
        const values = matchRowKey(mapping, row)?.values;
        if (values?.username !== undefined) assert.equal(values.username, u.username);
        if (values?.sub !== undefined) assert.equal(values.sub, u.attributes.sub);
      }),
      { numRuns: 300 },
    );
  });

  it('makes a row with one managed column changed differ on exactly that field, and only write that column', () => {
    fc.assert(
      fc.property(mapped, user, fc.nat(), (mapping, u, pick) => {
        const expected = expectedRow(mapping, u, { now: NOW, source: 'reconcile' });
        assert.ok(expected);
        const columns = comparedColumns(mapping, u);
        fc.pre(columns.length > 0);
        const [field, column] = columns[pick % columns.length] as [string, string];
        const row: Record<string, unknown> = {
          ...expected.item,
          [column]: changed(expected.item[column]),
        };
        const comparison = compareRow(mapping, u, row, { now: NOW });

        assert.ok(comparison.kind === 'differs', `${field} ${column}: ${comparison.kind}`);
        assert.deepEqual([...new Set(comparison.differences.map((d) => d.field))], [field]);
        assert.deepEqual([...new Set(comparison.differences.map((d) => d.column))], [column]);
        assert.deepEqual([...Object.keys(comparison.set), ...comparison.remove], [column]);
      }),
      { numRuns: 300 },
    );
  });

  it('never counts, sets or removes an app-owned column, a constant, source or a timestamp', () => {
    fc.assert(
      fc.property(mapped, user, user, appColumns, (mapping, u, other, app) => {
        const written = expectedRow(
          mapping,
          { ...other, attributes: { ...other.attributes, sub: u.attributes.sub ?? '' } },
          {
            now: new Date('2026-01-01T00:00:00.000Z'),
            source: 'old',
            signIn: true,
          },
        );
        assert.ok(written);
        const row = { ...app, ...written.item };
        for (const column of Object.keys(mapping.constants)) row[column] = 'tampered';
        const comparison = compareRow(mapping, u, row, { now: NOW });
        if (comparison.kind !== 'differs') return;
        const managed = new Set(managedColumns(mapping));
        const never = [
          mapping.fields.source,
          mapping.fields.createdAt,
          mapping.fields.updatedAt,
          mapping.fields.lastSignInAt,
        ];
        for (const column of [
          ...Object.keys(comparison.set),
          ...comparison.remove,
          ...comparison.differences.map((d) => d.column),
        ]) {
          assert.ok(managed.has(column), `${column} is managed`);
          assert.ok(!never.includes(column), `${column} is never compared`);
          assert.ok(!Object.hasOwn(mapping.constants, column), `${column} is not a constant`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
