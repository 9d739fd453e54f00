import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRecord, sameValue } from '../../../src/shared/values.js';

describe('Function: isRecord', () => {
  it('takes plain objects only', () => {
    assert.equal(isRecord({ a: 1 }), true);
    for (const value of [null, undefined, [], 'x', 3, true]) assert.equal(isRecord(value), false);
  });
});

describe('Function: sameValue', () => {
  it('compares scalars, and flat maps by their keys and values', () => {
    assert.equal(sameValue('a', 'a'), true);
    assert.equal(sameValue(true, 'true'), false);
    assert.equal(sameValue({ a: '1', b: '2' }, { b: '2', a: '1' }), true);
    assert.equal(sameValue({ a: '1' }, { a: '1', b: '2' }), false);
    assert.equal(sameValue({ a: '1' }, { a: '2' }), false);
    assert.equal(sameValue(['a'], ['a']), false, 'lists are not maps');
  });
});
