import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readRowMapping } from '../../../../src/domain/rowMapping/readRowMapping.js';
import { RowMappingError } from '../../../../src/shared/errors.js';
import { useTempDir } from '../../../helpers/tempDir.js';

describe('Function: readRowMapping', () => {
  const dir = useTempDir('row-mapping-');

  it('reads JSON text', () => {
    const mapping = readRowMapping(' { "fields": { "email": "useremail" } }', {
      source: 'ROW_MAPPING',
    });
    assert.equal(mapping.fields.email, 'useremail');
  });

  it('gives the default mapping for an absent or empty value', () => {
    for (const value of [undefined, '', '  ']) {
      const mapping = readRowMapping(value);
      assert.equal(mapping.key.attribute, 'username');
      assert.equal(mapping.fields.email, 'email');
    }
  });

  it('keeps the older keyAttribute setting for an absent value', () => {
    assert.equal(readRowMapping(undefined, { keyAttribute: 'id' }).key.attribute, 'id');
  });

  it('reads the path of a JSON file', () => {
    const file = join(dir.path, 'mapping.json');
    writeFileSync(file, '{ "key": { "attribute": "userId", "template": "{sub}" } }');
    assert.equal(readRowMapping(file, { source: '--row-mapping' }).key.attribute, 'userId');
  });

  it('fails naming the setting and the file when the file cannot be read', () => {
    assert.throws(
      () => readRowMapping('missing.json', { source: '--row-mapping' }),
      (error: unknown) =>
        error instanceof RowMappingError &&
        error.message ===
          '--row-mapping: expected a JSON document or the path of a JSON file, and cannot read file "missing.json": ENOENT',
    );
  });

  it('fails naming the setting when the text is not JSON', () => {
    assert.throws(
      () => readRowMapping('{ fields: 1 }', { source: 'ROW_MAPPING' }),
      (error: unknown) =>
        error instanceof RowMappingError &&
        error.name === 'RowMappingError' &&
        error.cause instanceof SyntaxError &&
        /^ROW_MAPPING is not valid JSON: /.test(error.message),
    );
  });

  it('fails naming the file and the path of each problem', () => {
    assert.throws(
      () =>
        readRowMapping('m.json', {
          source: '--row-mapping',
          readFile: () => '{ "fields": { "email": 3 } }',
        }),
      (error: unknown) =>
        error instanceof RowMappingError &&
        error.message ===
          '--row-mapping (file "m.json") is invalid: fields.email: expected a string or false, got 3',
    );
  });
});
