import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROW_FIELDS, ROW_MANAGED_FIELDS } from '../../../../src/domain/rowMapping/document.js';
import {
  compareRow,
  describeDifference,
  expectedRow,
  type MappedUser,
  managedColumns,
  updateFor,
} from '../../../../src/domain/rowMapping/expectedRow.js';
import { rowColumns } from '../../../../src/domain/rowMapping/scan.js';
import { resolveRowMapping, rowMappingIssues } from '../../../../src/domain/rowMapping/validate.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const SUB = '11111111-2222-3333-4444-555555555555';
const USER: MappedUser = {
  username: 'jane',
  userPoolId: 'eu-west-1_Pool',
  attributes: { sub: SUB, email: 'jane@example.com', email_verified: 'true' },
  enabled: true,
  status: 'CONFIRMED',
  lastModifiedAt: '2026-11-30T09:00:00.000Z',
};
const ON = resolveRowMapping({ fields: { groups: 'memberOf' } });
const OFF = resolveRowMapping({});

function rowOf(mapping = ON, user: MappedUser = USER): Record<string, unknown> {
  const row = expectedRow(mapping, user, { now: NOW, source: 'converge' });
  assert.ok(row);
  return { ...row.item };
}

describe('Managed field: groups', () => {
  it('is off for {} and for false: no column, the default row unchanged', () => {
    assert.equal(OFF.fields.groups, undefined);
    assert.equal(Object.hasOwn(OFF.fields, 'groups'), false);
    assert.equal(resolveRowMapping({ fields: { groups: false } }).fields.groups, undefined);
    assert.deepEqual(managedColumns(OFF), [...ROW_MANAGED_FIELDS]);
    const row = rowOf(OFF, { ...USER, groups: ['admins'] });
    assert.equal(Object.values(row).some(Array.isArray), false);
    assert.equal(Object.hasOwn(row, 'groups'), false);
  });

  it('is on under any column name the mapping gives it', () => {
    assert.equal(ON.fields.groups, 'memberOf');
    assert.deepEqual(managedColumns(ON), [...ROW_MANAGED_FIELDS, 'memberOf']);
    assert.ok(rowColumns(ON).includes('memberOf'));
    assert.equal(rowColumns(ON, ['sub']).includes('memberOf'), false);
  });

  it('rejects a value that is not a column name or false, and a column another field has', () => {
    assert.deepEqual(
      rowMappingIssues({ fields: { groups: 3 } }).map((issue) => issue.path),
      ['fields.groups'],
    );
    assert.match(
      rowMappingIssues({ fields: { groups: true } })[0]?.message ?? '',
      /expected a column name or false, got true/,
    );
    assert.match(
      rowMappingIssues({ fields: { groups: 'email' } })[0]?.message ?? '',
      /column "email" is already the column of the managed field email/,
    );
    assert.ok(ROW_FIELDS.includes('groups'));
  });

  it('writes the groups sorted, each once, and an empty list for a user in no group', () => {
    assert.deepEqual(rowOf(ON, { ...USER, groups: ['b', 'a', 'b'] }).memberOf, ['a', 'b']);
    assert.deepEqual(rowOf(ON, { ...USER, groups: [] }).memberOf, []);
  });

  it('leaves the column out when the groups were not read', () => {
    assert.equal(Object.hasOwn(rowOf(ON, USER), 'memberOf'), false);
  });

  it('finds a row in sync whatever the order or form of its groups', () => {
    const user = { ...USER, groups: ['a', 'b'] };
    const row = rowOf(ON, user);
    for (const held of [['b', 'a'], new Set(['a', 'b'])]) {
      assert.equal(compareRow(ON, user, { ...row, memberOf: held }).kind, 'in-sync');
    }
  });

  it('reports a difference and SETs the list when the memberships differ or the column is absent', () => {
    const user = { ...USER, groups: ['a', 'c'] };
    const row = rowOf(ON, user);
    for (const held of [['a'], [], undefined]) {
      const item = { ...row };
      if (held === undefined) delete item.memberOf;
      else item.memberOf = held;
      const comparison = compareRow(ON, user, item);
      assert.equal(comparison.kind, 'differs', JSON.stringify(held));
      if (comparison.kind !== 'differs') continue;
      assert.deepEqual(comparison.differences, [{ field: 'groups', column: 'memberOf' }]);
      assert.equal(describeDifference({ field: 'groups', column: 'memberOf' }), 'memberOf');
      const update = updateFor(ON, user, comparison, { now: NOW });
      assert.deepEqual(update.set.memberOf, ['a', 'c']);
      assert.deepEqual(update.remove, []);
    }
  });

  it('never touches the column when the groups were not read, or when the field is off', () => {
    const row = { ...rowOf(ON, USER), memberOf: ['stale'] };
    assert.equal(compareRow(ON, USER, row).kind, 'in-sync');
    assert.equal(compareRow(OFF, { ...USER, groups: ['a'] }, row).kind, 'in-sync');
  });
});
