import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDynamoName, parseEnum } from '../../../src/shared/parse.js';

describe('Function: parseEnum', () => {
  const MODES = ['report', 'mark', 'delete'] as const;

  it('reads a word of the list, case-insensitive, and the fallback when empty or absent', () => {
    assert.equal(parseEnum(' MARK ', 'ORPHANS', MODES, 'report'), 'mark');
    assert.equal(parseEnum(undefined, 'ORPHANS', MODES, 'report'), 'report');
    assert.equal(parseEnum('  ', 'ORPHANS', MODES, 'report'), 'report');
  });

  it('names the source, the words and the value given when it is none of them', () => {
    assert.throws(() => parseEnum('keep', 'ORPHANS', MODES, 'report'), {
      name: 'ConfigError',
      message: 'ORPHANS must be one of report, mark, delete, got "keep"',
    });
  });
});

describe('Function: parseDynamoName', () => {
  it('trims a valid table or index name', () => {
    assert.equal(
      parseDynamoName(' app-users.v2 ', 'TABLE_NAME', 'the DynamoDB table name'),
      'app-users.v2',
    );
    assert.equal(parseDynamoName('bySub', 'SUB_INDEX'), 'bySub');
  });

  it('says what is required when a required name is missing, and means none otherwise', () => {
    assert.throws(() => parseDynamoName(' ', 'TABLE_NAME', 'the DynamoDB table name'), {
      message: 'TABLE_NAME is required (the DynamoDB table name)',
    });
    assert.equal(parseDynamoName(undefined, 'SUB_INDEX'), undefined);
    assert.equal(parseDynamoName('', 'SUB_INDEX'), undefined);
  });

  it('refuses a name DynamoDB would, naming the source and the value', () => {
    for (const name of ['ab', 'a b c', 'x'.repeat(256), 'users!']) {
      assert.throws(() => parseDynamoName(name, 'SUB_INDEX'), {
        message: `SUB_INDEX must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${name}"`,
      });
    }
  });
});
