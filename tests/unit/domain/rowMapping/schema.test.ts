import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  KEY_PLACEHOLDERS,
  OPT_IN_FIELDS,
  REQUIRED_FIELDS,
  ROW_MANAGED_FIELDS,
} from '../../../../src/domain/rowMapping/document.js';
import {
  DOCUMENT_MEMBERS,
  KEY_ATTRIBUTE_NAME,
  rowMappingIssues,
} from '../../../../src/domain/rowMapping/validate.js';
import { schemaAccepts } from '../../../helpers/jsonSchemaSubset.js';
import { EXAMPLES } from './examples.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'row-mapping.schema.json'), 'utf8'));

const VALID: unknown[] = [
  ...Object.values(EXAMPLES),
  { keyAttribute: 'id' },
  { fields: { email: false, attributes: 'attrs', sub: 'cognitoSub' } },
  { key: { attribute: 'id', template: '{sub}' }, fields: { sub: false } },
  { constants: { version: 2, live: true, kind: 'user' } },
  {
    $schema: './node_modules/cognito-user-sync/row-mapping.schema.json',
    fields: { email: 'useremail' },
  },
  {
    key: { attribute: 'pk', template: 'POOL#{userPoolId}' },
    sortKey: { attribute: 'sk', template: 'USER#{username}' },
  },
];

const INVALID: [string, unknown][] = [
  ['an array', []],
  ['a string', 'fields'],
  ['an unknown member', { field: {} }],
  ['a field that is a number', { fields: { email: 3 } }],
  ['a field that is true', { fields: { email: true } }],
  ['a field renamed to ""', { fields: { email: '' } }],
  ['an unknown managed field', { fields: { mail: 'x' } }],
  ['createdAt left out', { fields: { createdAt: false } }],
  ['deletedAt left out', { fields: { deletedAt: false } }],
  ['userLastModifiedAt left out', { fields: { userLastModifiedAt: false } }],
  ['a mutable placeholder', { key: { attribute: 'pk', template: 'USER#{email}' } }],
  ['an unknown placeholder', { key: { attribute: 'pk', template: '{id}' } }],
  ['an unbalanced brace', { key: { attribute: 'pk', template: 'USER#{sub' } }],
  ['an empty template', { key: { attribute: 'pk', template: '' } }],
  ['a key without template', { key: { attribute: 'pk' } }],
  ['a key with an extra member', { key: { attribute: 'pk', template: '{sub}', type: 'S' } }],
  ['a key attribute with a space', { key: { attribute: 'p k', template: '{sub}' } }],
  ['key and keyAttribute', { key: { attribute: 'pk', template: '{sub}' }, keyAttribute: 'pk' }],
  ['an internal attribute as a column', { attributes: { 'cognito:user_status': 'st' } }],
  ['an attribute column that is not a string', { attributes: { given_name: false } }],
  ['a constant that is an object', { constants: { entityType: { a: 1 } } }],
  ['a constant that is null', { constants: { entityType: null } }],
  ['a constant that is an array', { constants: { tags: ['a'] } }],
  ['a $schema that is not a string', { $schema: 1 }],
];

/** Rules the schema states only in its description: the validator alone enforces them. */
const VALIDATOR_ONLY: [string, unknown][] = [
  ['two managed fields mapped to one name', { fields: { email: 'contact', status: 'contact' } }],
  ['a constant colliding with a field', { constants: { email: 'x' } }],
  [
    'a key that does not name the user',
    { key: { attribute: 'pk', template: 'POOL#{userPoolId}' } },
  ],
  ['two placeholders side by side', { key: { attribute: 'pk', template: '{sub}{username}' } }],
  ['a placeholder twice', { key: { attribute: 'pk', template: '{sub}#{sub}' } }],
  ['sub left out with a key by username', { fields: { sub: false } }],
];

describe('Schema: row-mapping.schema.json', () => {
  it('accepts what the validator accepts: the four examples and other valid documents', () => {
    for (const document of VALID) {
      assert.deepEqual(rowMappingIssues(document), [], JSON.stringify(document));
      assert.ok(schemaAccepts(SCHEMA, document), `the schema accepts ${JSON.stringify(document)}`);
    }
  });

  for (const [what, document] of INVALID) {
    it(`rejects ${what}, as the validator does`, () => {
      assert.notDeepEqual(rowMappingIssues(document), []);
      assert.equal(schemaAccepts(SCHEMA, document), false);
    });
  }

  it('leaves to the validator the rules its description names, which the validator rejects', () => {
    for (const [what, document] of VALIDATOR_ONLY) {
      assert.notDeepEqual(rowMappingIssues(document), [], what);
      assert.equal(schemaAccepts(SCHEMA, document), true, what);
    }
    for (const rule of ['{sub}', 'side by side', 'share a name', '`fields.sub`']) {
      assert.ok(SCHEMA.description.includes(rule), rule);
    }
  });

  it('lists the members, managed fields, placeholders and key names of the code', () => {
    assert.deepEqual(
      Object.keys(SCHEMA.properties).sort(),
      ['$schema', ...DOCUMENT_MEMBERS].sort(),
    );
    const fields = SCHEMA.properties.fields.properties;
    assert.deepEqual(Object.keys(fields), [...ROW_MANAGED_FIELDS, ...OPT_IN_FIELDS]);
    for (const field of OPT_IN_FIELDS) {
      assert.equal(fields[field].default, false, field);
      assert.ok(JSON.stringify(fields[field]).includes('"const":false'), field);
    }
    for (const field of ROW_MANAGED_FIELDS) {
      assert.equal(fields[field].default, field);
      const mayBeFalse = JSON.stringify(fields[field]).includes('"const":false');
      assert.equal(mayBeFalse, field === 'sub' || !Object.hasOwn(REQUIRED_FIELDS, field), field);
    }
    assert.equal(SCHEMA.$defs.keyAttributeName.pattern, KEY_ATTRIBUTE_NAME.source);
    assert.ok(SCHEMA.$defs.template.pattern.includes(`(?:${KEY_PLACEHOLDERS.join('|')})`));
  });

  it('ships in the package, exported as cognito-user-sync/row-mapping.schema.json', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.ok(manifest.files.includes('row-mapping.schema.json'));
    assert.equal(manifest.exports['./row-mapping.schema.json'], './row-mapping.schema.json');
  });
});
