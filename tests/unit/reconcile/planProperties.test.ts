// Property-based tests (fast-check): for random users, rows and row
// mappings, reconcile's plan and the console's status both follow the one
// definition of "in sync" (compareRow): the plan creates exactly the missing
// rows, updates exactly the rows that differ, adopts exactly the rows without
// sub, and the console shows "attributes differ" exactly for the rows
// `reconcile --update` writes (a row whose version alone differs is in sync).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PoolUser } from '../../../src/aws/pool/listPoolUsers.js';
import type { RowMapping } from '../../../src/domain/rowMapping/document.js';
import {
  compareRow,
  describeDifference,
  expectedRow,
  managedColumns,
  updateFor,
} from '../../../src/domain/rowMapping/expectedRow.js';
import { keyValuesOf, renderRowKey, rowKeyId } from '../../../src/domain/rowMapping/keys.js';
import { resolveRowMapping, rowMappingIssues } from '../../../src/domain/rowMapping/validate.js';
import { pairUsersWithRows } from '../../../src/local/console/pairUsersWithRows.js';
import { mappedUserOf, planPage, RECONCILE_SOURCE } from '../../../src/sync/reconcile/plan.js';

const POOL = 'eu-west-1_Pool';
const NOW = new Date('2026-12-01T10:00:00.000Z');
const WRITE_TIME = new Date('2026-12-01T10:05:00.000Z');
const DATES = ['2026-11-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-12-31T00:00:00.000Z'];
const STATUS_FILTER = { except: ['UNCONFIRMED'] };

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** Valid row mappings: the contract's four and variations of keys, fields, attributes, constants. */
const mapping: fc.Arbitrary<RowMapping> = fc
  .record({
    key: fc.constantFrom(
      undefined,
      { attribute: 'pk', template: 'USER#{sub}' },
      { attribute: 'userId', template: '{sub}' },
      { attribute: 'id', template: 'U#{username}' },
    ),
    sortKey: fc.constantFrom(undefined, { attribute: 'sk', template: 'PROFILE' }),
    fields: fc.record(
      {
        email: fc.constantFrom<string | false>('useremail', false),
        emailVerified: fc.constant<string | false>(false),
        attributes: fc.constantFrom<string | false>('attrs', false),
        enabled: fc.constant<string | false>(false),
        status: fc.constantFrom<string | false>('state', false),
        sub: fc.constantFrom<string | false>('userSub', false),
        lastSignInAt: fc.constant<string | false>(false),
      },
      { requiredKeys: [] },
    ),
    attributes: optional(fc.constantFrom({ given_name: 'firstName' }, { 'custom:plan': 'plan' })),
    constants: optional(fc.constantFrom({ entityType: 'User' }, { version: 1 })),
    allowlist: fc.constantFrom(undefined, ['email', 'given_name']),
  })
  .map(({ key, sortKey, fields, attributes, constants, allowlist }) => ({
    document: {
      ...(key ? { key } : {}),
      ...(sortKey ? { sortKey } : {}),
      fields,
      ...(attributes ? { attributes } : {}),
      ...(constants ? { constants } : {}),
    },
    allowlist,
  }))
  .filter(({ document }) => rowMappingIssues(document).length === 0)
  .map(({ document, allowlist }) =>
    resolveRowMapping(document, allowlist ? { attributeAllowlist: allowlist } : {}),
  );

const poolUser: fc.Arbitrary<PoolUser> = fc
  .record({
    userName: fc.constantFrom('ann', 'bo', 'Google_1'),
    sub: fc.constantFrom('s-1', '0f1e2d3c-aaaa'),
    email: optional(fc.constantFrom('a@example.com', 'b@example.com')),
    emailVerified: optional(fc.constantFrom('true', 'false')),
    givenName: optional(fc.constantFrom('Ann', 'Bo')),
    plan: optional(fc.constantFrom('free', 'pro')),
    enabled: fc.boolean(),
    status: fc.constantFrom('CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD'),
    lastModifiedAt: optional(fc.constantFrom(...DATES)),
  })
  .map((u) => ({
    userName: u.userName,
    status: u.status,
    enabled: u.enabled,
    attributes: {
      sub: u.sub,
      ...(u.email !== undefined ? { email: u.email } : {}),
      ...(u.emailVerified !== undefined ? { email_verified: u.emailVerified } : {}),
      ...(u.givenName !== undefined ? { given_name: u.givenName } : {}),
      ...(u.plan !== undefined ? { 'custom:plan': u.plan } : {}),
    },
    ...(u.lastModifiedAt !== undefined ? { lastModifiedAt: u.lastModifiedAt } : {}),
  }));

const anyValue = fc.constantFrom<unknown>(
  undefined,
  true,
  false,
  'CONFIRMED',
  'a@example.com',
  's-1',
  POOL,
  {},
  { sub: 's-1' },
  ...DATES,
);

/** A user, a mapping, and the row at the user's key (or none): written for some user, then tweaked. */
const scenario = fc.tuple(mapping, poolUser, poolUser).chain(([rowMapping, user, writtenFor]) =>
  fc.tuple(
    fc.constant(rowMapping),
    fc.constant(user),
    optional(
      fc
        .record({
          written: fc.constantFrom(user, { ...writtenFor, userName: user.userName }),
          tweaks: fc.dictionary(fc.constantFrom(...managedColumns(rowMapping)), anyValue, {
            maxKeys: 3,
          }),
          app: fc.dictionary(fc.constantFrom('orders', 'nickname'), fc.integer(), { maxKeys: 2 }),
        })
        .map(({ written, tweaks, app }) => {
          const base = expectedRow(rowMapping, mappedUserOf(written, POOL), {
            now: new Date('2026-11-15T00:00:00.000Z'),
            source: 'PostConfirmation_ConfirmSignUp',
          });
          const row: Record<string, unknown> = { ...app, ...base?.item };
          for (const [column, value] of Object.entries(tweaks)) {
            if (value === undefined) delete row[column];
            else row[column] = value;
          }
          // Always at the user's own key, whatever was written or tweaked.
          return {
            ...row,
            ...renderRowKey(rowMapping, keyValuesOf(mappedUserOf(user, POOL))),
          };
        }),
    ),
  ),
);

describe('Properties: the plan and the console agree with compareRow', () => {
  it('creates, updates and adopts exactly what compareRow says, with updateFor as the write', () => {
    fc.assert(
      fc.property(scenario, ([rowMapping, user, row]) => {
        const mapped = mappedUserOf(user, POOL);
        const key = renderRowKey(rowMapping, keyValuesOf(mapped));
        assert.ok(key);
        const rows = new Map(row ? [[rowKeyId(rowMapping, key), row]] : []);
        const plan = planPage([user], rows, {
          userPoolId: POOL,
          rowMapping,
          statusFilter: STATUS_FILTER,
          now: NOW,
          update: true,
          writeTime: WRITE_TIME,
        });
        const comparison = compareRow(rowMapping, mapped, row, {
          now: NOW,
          source: RECONCILE_SOURCE,
          versionAloneDiffers: false,
        });
        const eligible = user.status !== 'UNCONFIRMED';
        const marked = row !== undefined && row.deletedAt !== undefined;

        const creates = comparison.kind === 'missing' && eligible;
        assert.deepEqual(
          plan.creates,
          creates
            ? [expectedRow(rowMapping, mapped, { now: NOW, source: RECONCILE_SOURCE })?.item]
            : [],
        );
        const writes =
          !marked && (comparison.kind === 'differs' || comparison.kind === 'adopt')
            ? [
                {
                  key: plan.updates[0]?.key,
                  rowKey: key,
                  update: updateFor(rowMapping, mapped, comparison, { now: WRITE_TIME }),
                  adopt: comparison.kind === 'adopt',
                },
              ]
            : [];
        assert.deepEqual(plan.updates, writes);
        assert.deepEqual(plan.markedButPresent.length, marked ? 1 : 0);
      }),
      { numRuns: 600 },
    );
  });

  it('shows "attributes differ" exactly for the rows reconcile --update writes, naming what differs', () => {
    fc.assert(
      fc.property(scenario, ([rowMapping, user, row]) => {
        const mapped = mappedUserOf(user, POOL);
        const key = renderRowKey(rowMapping, keyValuesOf(mapped));
        assert.ok(key);
        const plan = planPage([user], new Map(row ? [[rowKeyId(rowMapping, key), row]] : []), {
          userPoolId: POOL,
          rowMapping,
          statusFilter: STATUS_FILTER,
          now: NOW,
          update: true,
        });
        const [pair, ...others] = pairUsersWithRows([user], row ? [row] : [], {
          userPoolId: POOL,
          rowMapping,
          statusFilter: STATUS_FILTER,
          now: NOW,
        });
        assert.deepEqual(others, []);
        assert.equal(pair?.status === 'attributes-differ', plan.updates.length === 1);
        assert.equal(pair?.status === 'row-missing', plan.creates.length === 1);
        const comparison = compareRow(rowMapping, mapped, row, {
          now: NOW,
          source: RECONCILE_SOURCE,
          versionAloneDiffers: false,
        });
        if (pair?.status === 'attributes-differ') {
          assert.ok(comparison.kind === 'differs' || comparison.kind === 'adopt');
          assert.deepEqual(pair.differences, comparison.differences.map(describeDifference));
        }
        if (pair?.status === 'in-sync') {
          assert.ok(['in-sync', 'stale'].includes(comparison.kind), comparison.kind);
        }
      }),
      { numRuns: 600 },
    );
  });
});
