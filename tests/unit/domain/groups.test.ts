import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { groupsOfRow, normalizeGroups, sameGroups } from '../../../src/domain/groups.js';

describe('Function: normalizeGroups', () => {
  it('keeps each name once, sorted by code unit, whatever the locale', () => {
    assert.deepEqual(normalizeGroups(['b', 'admins', 'B', 'b', 'Éditeurs', 'editors']), [
      'B',
      'admins',
      'b',
      'editors',
      'Éditeurs',
    ]);
    assert.deepEqual(normalizeGroups([]), []);
  });

  it('gives the same list for any order and repetition of the same names', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 12 }), (names) => {
        const shuffled = [...names, ...names].reverse();
        assert.deepEqual(normalizeGroups(shuffled), normalizeGroups(names));
        assert.equal(new Set(normalizeGroups(names)).size, normalizeGroups(names).length);
      }),
    );
  });
});

describe('Function: groupsOfRow', () => {
  it('reads a list or a string set, and nothing else', () => {
    assert.deepEqual(groupsOfRow(['b', 'a']), ['a', 'b']);
    assert.deepEqual(groupsOfRow(new Set(['b', 'a'])), ['a', 'b']);
    assert.deepEqual(groupsOfRow([]), []);
    assert.equal(groupsOfRow(undefined), undefined);
    assert.equal(groupsOfRow('admins'), undefined);
    assert.equal(groupsOfRow(['admins', 3]), undefined);
    assert.equal(groupsOfRow({ admins: true }), undefined);
  });
});

describe('Function: sameGroups', () => {
  it('is true for the same names in any order or form, false for any other value', () => {
    assert.equal(sameGroups(['b', 'a'], ['a', 'b']), true);
    assert.equal(sameGroups(new Set(['a', 'b']), ['b', 'a']), true);
    assert.equal(sameGroups([], []), true);
    assert.equal(sameGroups(['a'], ['a', 'b']), false);
    assert.equal(sameGroups(['a', 'c'], ['a', 'b']), false);
  });

  it('says an absent value differs even from no groups, so that older rows get the field', () => {
    assert.equal(sameGroups(undefined, []), false);
    assert.equal(sameGroups(null, []), false);
  });
});
