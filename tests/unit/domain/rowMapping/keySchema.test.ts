import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keySchemaMismatch } from '../../../../src/domain/rowMapping/keySchema.js';
import { resolveRowMapping } from '../../../../src/domain/rowMapping/validate.js';

const SINGLE_TABLE = resolveRowMapping({
  key: { attribute: 'pk', template: 'USER#{sub}' },
  sortKey: { attribute: 'sk', template: 'PROFILE' },
});
const TODAY = resolveRowMapping({});

describe('Function: keySchemaMismatch', () => {
  it('finds nothing when the table has the mapping keys, as strings', () => {
    assert.equal(
      keySchemaMismatch(TODAY, { partitionKey: { name: 'username', type: 'S' } }, 't'),
      undefined,
    );
    assert.equal(
      keySchemaMismatch(
        SINGLE_TABLE,
        { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' } },
        't',
      ),
      undefined,
    );
  });

  const cases: [
    string,
    Parameters<typeof keySchemaMismatch>[0],
    Parameters<typeof keySchemaMismatch>[1],
    string,
  ][] = [
    [
      'a missing sort key',
      SINGLE_TABLE,
      { partitionKey: { name: 'pk', type: 'S' } },
      'it has no sort key, but the row mapping\'s sortKey is "sk"',
    ],
    [
      'an extra sort key',
      TODAY,
      { partitionKey: { name: 'username', type: 'S' }, sortKey: { name: 'sk', type: 'S' } },
      'it has the sort key "sk", but the row mapping has no sortKey',
    ],
    [
      'another partition key name',
      TODAY,
      { partitionKey: { name: 'id', type: 'S' } },
      'its partition key is "id", but the row mapping\'s key attribute is "username"',
    ],
    [
      'another sort key name',
      SINGLE_TABLE,
      { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'type', type: 'S' } },
      'its sort key is "type", but the row mapping\'s sortKey attribute is "sk"',
    ],
    [
      'a number partition key',
      TODAY,
      { partitionKey: { name: 'username', type: 'N' } },
      'its partition key "username" is of type N, but the row mapping writes strings (S)',
    ],
    [
      'a binary sort key',
      SINGLE_TABLE,
      { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'B' } },
      'its sort key "sk" is of type B, but the row mapping writes strings (S)',
    ],
  ];
  for (const [name, mapping, schema, expected] of cases) {
    it(`names ${name}`, () => {
      const message = keySchemaMismatch(mapping, schema, 'users');
      assert.ok(
        message?.startsWith('table "users" does not have the row mapping\'s keys: '),
        message,
      );
      assert.ok(message?.includes(expected), message);
      assert.match(message ?? '', /fix the row mapping's key and sortKey, or keyAttribute/);
    });
  }
});
