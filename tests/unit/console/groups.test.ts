import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeGroups, groupsView } from '../../../console/src/groups.js';
import type { Pair } from '../../../src/local/console/apiTypes.js';

function pair(
  groups: string[] | undefined,
  row?: Record<string, unknown>,
  differences: string[] = [],
): Pair {
  return {
    key: 'u1',
    status: differences.length > 0 ? 'attributes-differ' : 'in-sync',
    user: {
      userName: 'u1',
      status: 'CONFIRMED',
      enabled: true,
      attributes: {},
      ...(groups ? { groups } : {}),
    },
    ...(row ? { row } : {}),
    differences,
  };
}

describe('Function: groupsView', () => {
  it("shows the row's groups sorted beside the user's, and the server's difference", () => {
    const view = groupsView(
      pair(['admins', 'readers'], { roles: ['readers'] }, ['roles']),
      'roles',
    );
    assert.deepEqual(view, { user: ['admins', 'readers'], row: ['readers'], differs: true });
    const same = groupsView(pair(['a', 'b'], { roles: ['b', 'a', 'b'] }), 'roles');
    assert.deepEqual(same, { user: ['a', 'b'], row: ['a', 'b'], differs: false });
  });

  it('says the column is absent when the row has no list of names there', () => {
    assert.equal(groupsView(pair([], { username: 'u1' }, ['roles']), 'roles').row, 'absent');
    assert.equal(groupsView(pair([], { roles: 'admins' }), 'roles').row, 'absent');
    assert.equal(groupsView(pair([], { roles: [1] }), 'roles').row, 'absent');
  });

  it('shows no row column when the mapping keeps no groups or there is no row', () => {
    assert.deepEqual(groupsView(pair(['admins'], { groups: ['x'] }), undefined), {
      user: ['admins'],
      row: undefined,
      differs: false,
    });
    assert.equal(groupsView(pair(['admins']), 'groups').row, undefined);
  });
});

describe('Function: describeGroups', () => {
  it('joins the names, or says no group', () => {
    assert.equal(describeGroups(['admins', 'readers']), 'admins, readers');
    assert.equal(describeGroups([]), 'no group');
  });
});
