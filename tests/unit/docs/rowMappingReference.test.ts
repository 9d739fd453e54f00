import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT } from '../../../scripts/reference/render.js';
import {
  renderRowMappingReference,
  schemaType,
} from '../../../scripts/reference/rowMappingSchema.js';
import { ROW_MANAGED_FIELDS } from '../../../src/domain/rowMapping/document.js';
import { DOCUMENT_MEMBERS } from '../../../src/domain/rowMapping/validate.js';

describe('Function: renderRowMappingReference', () => {
  const text = renderRowMappingReference(ROOT, '<!-- notice -->');

  it('has a row for every member and every managed field, from the schema', () => {
    for (const member of ['$schema', ...DOCUMENT_MEMBERS])
      assert.match(text, new RegExp(`^\\| \`${member.replace('$', '\\$')}\` \\|`, 'm'));
    for (const field of ROW_MANAGED_FIELDS) {
      assert.match(
        text,
        new RegExp(`^\\| \`${field}\` \\| \`[^\`]+\` \\| \`${field}\` \\|`, 'm'),
        field,
      );
    }
  });

  it('says which fields cannot be left out', () => {
    assert.match(text, /^\| `createdAt` \| `columnName` \|/m);
    assert.match(text, /^\| `email` \| `columnName \\\| false` \|/m);
  });
});

describe('Function: schemaType', () => {
  it('names references, unions, constants and maps', () => {
    assert.equal(schemaType({ $ref: '#/$defs/key' }), 'key');
    assert.equal(
      schemaType({ anyOf: [{ $ref: '#/$defs/columnName' }, { const: false }] }),
      'columnName | false',
    );
    assert.equal(
      schemaType({ type: 'object', additionalProperties: { type: ['string', 'number'] } }),
      'object of string | number',
    );
  });
});
