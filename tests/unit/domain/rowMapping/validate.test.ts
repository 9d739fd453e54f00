import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseColumnName } from '../../../../src/domain/config.js';
import { PERSONAL_DATA_FIELDS } from '../../../../src/domain/converge.js';
import { ROW_FIELDS, ROW_MANAGED_FIELDS } from '../../../../src/domain/rowMapping/document.js';
import { managedColumns } from '../../../../src/domain/rowMapping/expectedRow.js';
import { resolveRowMapping, rowMappingIssues } from '../../../../src/domain/rowMapping/validate.js';
import { ConfigError, RowMappingError } from '../../../../src/shared/errors.js';
import { EXAMPLES } from './examples.js';

const sameNames = (column: string) =>
  Object.fromEntries(
    ROW_MANAGED_FIELDS.map((field) => [field, field === column ? undefined : field]),
  );

function messages(document: unknown): string[] {
  return rowMappingIssues(document).map((issue) => `${issue.path}: ${issue.message}`);
}

describe('Function: resolveRowMapping', () => {
  it('reads example 1 (the tutorial table) as key username, the e-mail in useremail, all else as today', () => {
    const mapping = resolveRowMapping(EXAMPLES.tutorial);

    assert.equal(mapping.key.attribute, 'username');
    assert.equal(mapping.key.template, '{username}');
    assert.equal(mapping.sortKey, undefined);
    assert.deepEqual(mapping.fields, {
      ...Object.fromEntries(ROW_MANAGED_FIELDS.map((field) => [field, field])),
      email: 'useremail',
    });
    assert.deepEqual(mapping.attributeColumns, {});
    assert.deepEqual(mapping.constants, {});
  });

  it('reads example 2 (single table) as pk USER#{sub}, sk PROFILE, entityType User on create', () => {
    const mapping = resolveRowMapping(EXAMPLES.singleTable);

    assert.deepEqual(mapping.key, {
      attribute: 'pk',
      template: 'USER#{sub}',
      parts: [{ literal: 'USER#' }, { placeholder: 'sub' }],
    });
    assert.deepEqual(mapping.sortKey, {
      attribute: 'sk',
      template: 'PROFILE',
      parts: [{ literal: 'PROFILE' }],
    });
    assert.deepEqual(mapping.constants, { entityType: 'User' });
    assert.deepEqual(mapping.fields, Object.fromEntries(ROW_MANAGED_FIELDS.map((f) => [f, f])));
  });

  it('reads example 3 as keyed by sub under userId, no attribute map, two attribute columns', () => {
    const mapping = resolveRowMapping(EXAMPLES.bySub);

    assert.equal(mapping.key.attribute, 'userId');
    assert.deepEqual(mapping.key.parts, [{ placeholder: 'sub' }]);
    assert.deepEqual(mapping.fields, sameNames('attributes'));
    assert.deepEqual(mapping.attributeColumns, { given_name: 'firstName', 'custom:plan': 'plan' });
  });

  it('reads example 4 ({}) as today: every managed field under its name, from the one list', () => {
    const mapping = resolveRowMapping(EXAMPLES.today);

    assert.equal(mapping.key.attribute, 'username');
    assert.deepEqual(managedColumns(mapping), [...ROW_MANAGED_FIELDS]);
  });

  it('reserves the one list of managed fields for the key and Time to Live columns, and erases from it', () => {
    for (const field of ROW_MANAGED_FIELDS) {
      assert.throws(() => parseColumnName(field, 'KEY_ATTRIBUTE'), {
        message: new RegExp(
          `^KEY_ATTRIBUTE must not be one of the row's own fields \\(${ROW_MANAGED_FIELDS.join(', ')}\\), got "${field}"$`,
        ),
      });
    }
    assert.equal(parseColumnName('pk', 'KEY_ATTRIBUTE'), 'pk');
    for (const field of PERSONAL_DATA_FIELDS) assert.ok(ROW_MANAGED_FIELDS.includes(field), field);
  });

  it('takes keyAttribute, in the document or as the older setting, as key.attribute with {username}', () => {
    const fromDocument = resolveRowMapping({ keyAttribute: 'id' });
    const fromSetting = resolveRowMapping({}, { keyAttribute: 'id' });

    for (const mapping of [fromDocument, fromSetting]) {
      assert.equal(mapping.key.attribute, 'id');
      assert.equal(mapping.key.template, '{username}');
    }
    assert.equal(
      resolveRowMapping(EXAMPLES.singleTable, { keyAttribute: 'pk' }).key.attribute,
      'pk',
    );
  });

  it('fails when the keyAttribute setting names another key than the document', () => {
    assert.throws(
      () =>
        resolveRowMapping(EXAMPLES.singleTable, {
          keyAttribute: 'username',
          source: 'ROW_MAPPING',
        }),
      (error: unknown) =>
        error instanceof RowMappingError &&
        error.message ===
          'ROW_MAPPING: key.attribute: names key attribute "pk", but the keyAttribute setting is "username": give one of them',
    );
  });

  it('keeps the attribute allowlist it is given', () => {
    assert.deepEqual(resolveRowMapping({}, { attributeAllowlist: ['email'] }).attributeAllowlist, [
      'email',
    ]);
  });

  it('fails with a RowMappingError (a ConfigError) naming the source and every problem by its path', () => {
    assert.throws(
      () => resolveRowMapping({ fields: { email: 3, status: true } }, { source: '--row-mapping' }),
      (error: unknown) => {
        assert.ok(error instanceof RowMappingError);
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          '--row-mapping is invalid: fields.email: expected a string or false, got 3; fields.status: expected a string or false, got true',
        );
        assert.deepEqual(error.issues, [
          { path: 'fields.email', message: 'expected a string or false, got 3' },
          { path: 'fields.status', message: 'expected a string or false, got true' },
        ]);
        return true;
      },
    );
  });
});

describe('Function: rowMappingIssues', () => {
  it('finds the four examples valid', () => {
    for (const [name, document] of Object.entries(EXAMPLES)) {
      assert.deepEqual(rowMappingIssues(document), [], name);
    }
  });

  const cases: [string, unknown, string][] = [
    ['a non-object document', [], '(document): expected an object, got an array'],
    ['null', null, '(document): expected an object, got null'],
    [
      'an unknown member',
      { field: {} },
      'field: unknown member (expected key, keyAttribute, sortKey, fields, attributes, constants)',
    ],
    [
      'a field that is a number',
      { fields: { email: 3 } },
      'fields.email: expected a string or false, got 3',
    ],
    [
      'a field renamed to ""',
      { fields: { email: '' } },
      'fields.email: expected a string or false, got ""',
    ],
    [
      'an unknown managed field',
      { fields: { mail: 'x' } },
      `fields.mail: unknown managed field (expected one of ${ROW_FIELDS.join(', ')})`,
    ],
    [
      'two managed fields mapped to one name',
      { fields: { email: 'contact', userPoolId: 'contact' } },
      'fields.email: column "contact" is already the column of the managed field userPoolId (fields.userPoolId): every column of the row has one job',
    ],
    [
      'a field renamed to another field’s own name',
      { fields: { email: 'status' } },
      'fields.status: column "status" is already the column of the managed field email (fields.email): every column of the row has one job',
    ],
    [
      'a constant colliding with a field',
      { constants: { status: 'x' } },
      'constants.status: column "status" is already the column of the managed field status (fields.status): every column of the row has one job',
    ],
    [
      'a constant colliding with the key',
      { constants: { username: 'x' } },
      'constants.username: column "username" is already the key attribute (key.attribute): every column of the row has one job',
    ],
    [
      'a constant colliding with the sort key',
      { ...(EXAMPLES.singleTable as object), constants: { sk: 'x' } },
      'constants.sk: column "sk" is already the sort key (sortKey.attribute): every column of the row has one job',
    ],
    [
      'an attribute column colliding with a field',
      { attributes: { given_name: 'email' } },
      'attributes.given_name: column "email" is already the column of the managed field email (fields.email): every column of the row has one job',
    ],
    [
      'a key attribute colliding with a field',
      { keyAttribute: 'sub' },
      'fields.sub: column "sub" is already the key attribute (key.attribute): every column of the row has one job',
    ],
    [
      'the sort key on the partition key’s attribute',
      { key: { attribute: 'pk', template: '{sub}' }, sortKey: { attribute: 'pk', template: 'P' } },
      'sortKey.attribute: column "pk" is already the key attribute (key.attribute): every column of the row has one job',
    ],
    [
      'a mutable placeholder',
      { key: { attribute: 'pk', template: 'USER#{email}' } },
      'key.template: {email} can change over a user\'s life, so a key cannot hold it (a key may use {sub}, {username}, {userPoolId}), in "USER#{email}"',
    ],
    [
      'a custom attribute placeholder',
      { key: { attribute: 'pk', template: '{custom:plan}#{sub}' } },
      'key.template: {custom:plan} can change over a user\'s life, so a key cannot hold it (a key may use {sub}, {username}, {userPoolId}), in "{custom:plan}#{sub}"',
    ],
    [
      'an unknown placeholder',
      { key: { attribute: 'pk', template: 'USER#{id}' } },
      'key.template: unknown placeholder {id} (a key may use {sub}, {username}, {userPoolId}), in "USER#{id}"',
    ],
    [
      'a key that does not name the user',
      { key: { attribute: 'pk', template: 'POOL#{userPoolId}' } },
      'key.template: the key must name the user: put {sub} or {username} in key.template ("POOL#{userPoolId}" holds neither)',
    ],
    [
      'a key and sort key that do not name the user',
      {
        key: { attribute: 'pk', template: 'USERS' },
        sortKey: { attribute: 'sk', template: 'PROFILE' },
      },
      'key.template: the key must name the user: put {sub} or {username} in key.template or sortKey.template ("USERS" and "PROFILE" hold neither)',
    ],
    [
      'a key without a template',
      { key: { attribute: 'pk' } },
      'key.template: expected a template such as "USER#{sub}", got nothing',
    ],
    [
      'a key attribute with a space',
      { key: { attribute: 'p k', template: '{sub}' } },
      'key.attribute: expected 1-255 characters of A-Z a-z 0-9 _ . : -, got "p k"',
    ],
    [
      'key and keyAttribute both',
      { key: { attribute: 'pk', template: '{sub}' }, keyAttribute: 'pk' },
      'keyAttribute: give either keyAttribute or key, not both',
    ],
    [
      'sub left out with a key by username',
      { fields: { sub: false } },
      'fields.sub: cannot be left out: converge, the sign-in refresh, change signals and reconcile (--update, orphan detection) tell the user a row belongs to by it; rename it instead, or key rows by {sub}',
    ],
    [
      'createdAt left out',
      { fields: { createdAt: false } },
      "fields.createdAt: cannot be left out: reconcile's orphan detection skips rows created after the pool listing started by it; rename it instead",
    ],
    [
      'deletedAt left out',
      { fields: { deletedAt: false } },
      "fields.deletedAt: cannot be left out: converge and change signals mark a deleted user's row with it, reconcile --orphans mark does too, and every path leaves marked rows alone by it; rename it instead",
    ],
    [
      'userLastModifiedAt left out',
      { fields: { userLastModifiedAt: false } },
      'fields.userLastModifiedAt: cannot be left out: converge, change signals and reconcile --update make every write conditional on it, so that an older read never replaces a newer one; rename it instead',
    ],
    [
      'an internal attribute as a column',
      { attributes: { 'cognito:user_status': 'st' } },
      "attributes.cognito:user_status: Cognito's internal attributes (cognito:*) are never copied into a row; fields.status holds the user's status",
    ],
    [
      'an attribute column that is not a string',
      { attributes: { given_name: false } },
      'attributes.given_name: expected a column name (a string), got false',
    ],
    [
      'a constant that is an object',
      { constants: { entityType: { a: 1 } } },
      'constants.entityType: expected a string, a number or a boolean, got an object',
    ],
    [
      'a constant that is null',
      { constants: { entityType: null } },
      'constants.entityType: expected a string, a number or a boolean, got null',
    ],
    [
      'fields as an array',
      { fields: ['email'] },
      'fields: expected an object of managed fields, got an array',
    ],
  ];
  for (const [what, document, message] of cases) {
    it(`rejects ${what}, naming the path`, () => {
      assert.deepEqual(messages(document), [message]);
    });
  }

  it('lets sub be left out when the key carries {sub}', () => {
    assert.deepEqual(
      messages({ key: { attribute: 'id', template: '{sub}' }, fields: { sub: false } }),
      [],
    );
    assert.deepEqual(
      messages({
        key: { attribute: 'pk', template: 'POOL' },
        sortKey: { attribute: 'sk', template: 'USER#{sub}' },
        fields: { sub: false },
      }),
      [],
    );
  });

  it('reports a bad sort key once, not again as a key that does not name the user', () => {
    assert.deepEqual(
      messages({
        key: { attribute: 'pk', template: 'POOL' },
        sortKey: { attribute: 'sk', template: 'USER#{id}' },
        fields: { sub: false },
      }),
      [
        'sortKey.template: unknown placeholder {id} (a key may use {sub}, {username}, {userPoolId}), in "USER#{id}"',
      ],
    );
  });

  it('lets a managed field take the name another left out', () => {
    assert.deepEqual(messages({ fields: { email: false, attributes: 'email' } }), []);
  });

  it('treats __proto__ as a name like any other, never as the prototype', () => {
    assert.deepEqual(messages(JSON.parse('{"fields": {"__proto__": "x"}}')), [
      `fields.__proto__: unknown managed field (expected one of ${ROW_FIELDS.join(', ')})`,
    ]);
    assert.deepEqual(messages(JSON.parse('{"constants": {"__proto__": "x"}}')), []);
  });
});
