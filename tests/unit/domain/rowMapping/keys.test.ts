import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isUserRow,
  keyValuesOf,
  matchRowKey,
  renderRowKey,
  rowKeyId,
  rowSubOf,
} from '../../../../src/domain/rowMapping/keys.js';
import { resolveRowMapping } from '../../../../src/domain/rowMapping/validate.js';
import { EXAMPLES } from './examples.js';

const USER = {
  username: 'jane',
  userPoolId: 'eu-west-1_P',
  attributes: { sub: 'S-1', email: 'x' },
};

describe('Function: renderRowKey', () => {
  it('renders each example’s key for a user', () => {
    const values = keyValuesOf(USER);
    assert.deepEqual(renderRowKey(resolveRowMapping(EXAMPLES.tutorial), values), {
      username: 'jane',
    });
    assert.deepEqual(renderRowKey(resolveRowMapping(EXAMPLES.singleTable), values), {
      pk: 'USER#S-1',
      sk: 'PROFILE',
    });
    assert.deepEqual(renderRowKey(resolveRowMapping(EXAMPLES.bySub), values), { userId: 'S-1' });
  });

  it('gives no key when the template needs a sub the user lacks', () => {
    const values = keyValuesOf({ ...USER, attributes: {} });
    assert.equal(renderRowKey(resolveRowMapping(EXAMPLES.singleTable), values), undefined);
  });
});

describe('Function: matchRowKey / isUserRow', () => {
  const mapping = resolveRowMapping(EXAMPLES.singleTable);

  it('counts only items whose partition and sort keys both match in a shared table', () => {
    assert.deepEqual(matchRowKey(mapping, { pk: 'USER#S-1', sk: 'PROFILE', plan: 'pro' }), {
      key: { pk: 'USER#S-1', sk: 'PROFILE' },
      values: { sub: 'S-1' },
    });
    assert.equal(isUserRow(mapping, { pk: 'USER#S-1', sk: 'ORDER#7' }), false);
    assert.equal(isUserRow(mapping, { pk: 'ORDER#7', sk: 'PROFILE' }), false);
    assert.equal(isUserRow(mapping, { pk: 'USER#S-1' }), false);
    assert.equal(isUserRow(mapping, { pk: 1, sk: 'PROFILE' }), false);
  });

  it('never reads a key attribute from the prototype', () => {
    const byConstructor = resolveRowMapping({ keyAttribute: 'constructor' });
    assert.equal(isUserRow(byConstructor, {}), false);
  });
});

describe('Function: rowKeyId', () => {
  it('gives one string per key, distinct for distinct keys', () => {
    const mapping = resolveRowMapping(EXAMPLES.singleTable);
    const a = rowKeyId(mapping, { pk: 'USER#a', sk: 'PROFILE' });
    assert.equal(a, rowKeyId(mapping, { sk: 'PROFILE', pk: 'USER#a' }));
    assert.notEqual(a, rowKeyId(mapping, { pk: 'USER#a', sk: 'PROFILE2' }));
  });
});

describe('Function: rowSubOf', () => {
  it('reads the sub column, under its mapped name', () => {
    const mapping = resolveRowMapping({ fields: { sub: 'cognitoSub' } });
    assert.equal(rowSubOf(mapping, { username: 'jane', cognitoSub: 'S-1', sub: 'other' }), 'S-1');
    assert.equal(rowSubOf(mapping, { username: 'jane', sub: 'other' }), undefined);
  });

  it('reads the sub from the key when the mapping leaves the sub column out', () => {
    const mapping = resolveRowMapping({
      key: { attribute: 'id', template: 'U#{sub}' },
      fields: { sub: false },
    });
    assert.equal(rowSubOf(mapping, { id: 'U#S-1' }), 'S-1');
    assert.equal(rowSubOf(mapping, { id: 'ORDER' }), undefined);
  });
});
