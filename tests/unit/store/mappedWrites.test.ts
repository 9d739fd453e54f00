import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { buildAdoptRow } from '../../../src/aws/store/adoptRow.js';
import { conditionalWrite } from '../../../src/aws/store/conditionalWrite.js';
import { buildManagedUpdate, getUserRow } from '../../../src/aws/store/managedRows.js';
import { buildMarkDeleted } from '../../../src/aws/store/markRowDeleted.js';
import { findRowsByAlias } from '../../../src/aws/store/rowsByAlias.js';
import { buildSignInUpsert } from '../../../src/aws/store/signInRow.js';
import { describeFailure } from '../../../src/aws/store/userTable.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { TableWriteError } from '../../../src/shared/errors.js';
import { exampleMapping } from '../../helpers/rowMappings.js';

const AT = new Date('2026-11-29T12:00:00.000Z');
const SUB = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

/** The column each placeholder of a REMOVE clause names, in order. */
function removed(built: {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
}) {
  const clause = built.UpdateExpression.split(' REMOVE ')[1];
  return clause ? clause.split(', ').map((alias) => built.ExpressionAttributeNames[alias]) : [];
}

function recording(answer: () => Promise<unknown> = async () => ({})) {
  const calls: Record<string, unknown>[] = [];
  const client = {
    send: (command: { input: Record<string, unknown> }) => {
      calls.push(command.input);
      return answer();
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}

describe('Function: buildMarkDeleted, under a row mapping', () => {
  it('erases the mapped e-mail, the map and lastSignInAt (tutorial)', () => {
    const built = buildMarkDeleted(exampleMapping('tutorial'), {
      deletedAt: AT,
      sub: { equals: SUB },
    });
    assert.deepEqual(removed(built), ['useremail', 'emailVerified', 'attributes', 'lastSignInAt']);
    assert.equal(built.ExpressionAttributeNames['#key'], 'username');
  });

  it('erases the top-level attribute columns too, and names the mapped key (bySub)', () => {
    const built = buildMarkDeleted(exampleMapping('bySub'), { deletedAt: AT, sub: 'any' });
    assert.deepEqual(removed(built), [
      'email',
      'emailVerified',
      'lastSignInAt',
      'firstName',
      'plan',
    ]);
    assert.equal(built.ExpressionAttributeNames['#key'], 'userId');
  });

  it('writes renamed deletedAt and updatedAt columns, and no updatedAt when it is left out', () => {
    const renamed = buildMarkDeleted(
      resolveRowMapping({ fields: { deletedAt: 'removedOn', updatedAt: 'modified' } }),
      { deletedAt: AT, sub: 'absent' },
    );
    assert.equal(renamed.ExpressionAttributeNames['#deletedAt'], 'removedOn');
    assert.equal(renamed.ExpressionAttributeNames['#updatedAt'], 'modified');
    assert.match(renamed.ConditionExpression, /attribute_not_exists\(#sub\)$/);
    const without = buildMarkDeleted(resolveRowMapping({ fields: { updatedAt: false } }), {
      deletedAt: AT,
      sub: 'any',
    });
    assert.match(without.UpdateExpression, /^SET #deletedAt = :deletedAt REMOVE /);
  });
});

describe('Function: buildManagedUpdate, under a row mapping', () => {
  it('names the mapped key, sub and version columns', () => {
    const mapping = resolveRowMapping({
      key: { attribute: 'pk', template: 'USER#{sub}' },
      fields: { sub: 'userSub', userLastModifiedAt: 'cognitoModified' },
    });
    const built = buildManagedUpdate(mapping, {
      set: { firstName: 'Jane' },
      remove: ['plan'],
      expectSub: SUB,
      notNewerThan: 'v',
    });
    assert.equal(built.ExpressionAttributeNames['#key'], 'pk');
    assert.equal(built.ExpressionAttributeNames['#sub'], 'userSub');
    assert.equal(built.ExpressionAttributeNames['#version'], 'cognitoModified');
    assert.equal(built.UpdateExpression, 'SET #s0 = :s0 REMOVE #r0');
  });

  it('has no sub condition when the key carries the sub and no sub column is kept', () => {
    const mapping = resolveRowMapping({
      key: { attribute: 'id', template: '{sub}' },
      fields: { sub: false },
    });
    const built = buildManagedUpdate(mapping, {
      set: { enabled: false },
      remove: [],
      expectSub: SUB,
      notNewerThan: undefined,
    });
    assert.equal(built.ConditionExpression, 'attribute_exists(#key)');
  });
});

describe('Function: buildSignInUpsert, under a row mapping', () => {
  it('never SETs the key attributes, and writes the constants only if absent (singleTable)', () => {
    const built = buildSignInUpsert(exampleMapping('singleTable'), {
      row: { pk: `USER#${SUB}`, sk: 'PROFILE', sub: SUB, entityType: 'User' },
      enabled: true,
      status: 'CONFIRMED',
      signedInAt: AT.toISOString(),
      create: true,
    });
    const names = Object.values(built.ExpressionAttributeNames);
    assert.equal(names.includes('pk'), false);
    assert.equal(names.includes('sk'), false);
    const alias = Object.entries(built.ExpressionAttributeNames).find(
      ([, name]) => name === 'entityType',
    )?.[0];
    assert.match(
      built.UpdateExpression,
      new RegExp(`${alias} = if_not_exists\\(${alias}, :v\\d+\\)`),
    );
  });

  it('REMOVEs the absent attribute columns, writes the renamed e-mail (tutorial, bySub)', () => {
    const tutorial = buildSignInUpsert(exampleMapping('tutorial'), {
      row: { username: 'jane', sub: SUB },
      enabled: true,
      status: 'CONFIRMED',
      signedInAt: AT.toISOString(),
      create: true,
    });
    assert.deepEqual(removed(tutorial), ['deletedAt', 'useremail', 'emailVerified']);
    const bySub = buildSignInUpsert(exampleMapping('bySub'), {
      row: { userId: SUB, sub: SUB, firstName: 'Jane' },
      enabled: true,
      status: 'CONFIRMED',
      signedInAt: AT.toISOString(),
      create: true,
      absent: ['plan'],
    });
    assert.deepEqual(removed(bySub), ['deletedAt', 'plan']);
  });
});

describe('Function: buildAdoptRow', () => {
  it('adopts only a row without sub, SETting the managed columns, keeping the others', () => {
    const built = buildAdoptRow(exampleMapping('tutorial'), {
      row: { username: 'jane', sub: SUB, useremail: 'jane@example.com', source: 's' },
      absent: ['emailVerified'],
      notNewerThan: AT.toISOString(),
    });
    assert.ok(built);
    assert.equal(
      built.ConditionExpression,
      'attribute_exists(#key) AND attribute_not_exists(#sub) AND (attribute_not_exists(#version) OR #version <= :version)',
    );
    assert.deepEqual(removed(built), ['deletedAt', 'emailVerified']);
    assert.deepEqual(unmarshall(built.ExpressionAttributeValues), {
      ':v1': SUB,
      ':v2': 'jane@example.com',
      ':v3': 's',
      ':version': AT.toISOString(),
    });
  });

  it('has nothing to adopt when the mapping keeps no sub column (the key carries it)', () => {
    const mapping = resolveRowMapping({
      key: { attribute: 'id', template: '{sub}' },
      fields: { sub: false },
    });
    assert.equal(
      buildAdoptRow(mapping, { row: { id: SUB }, absent: [], notNewerThan: 'v' }),
      undefined,
    );
  });
});

describe('Function: getUserRow, under a row mapping', () => {
  it('reads at the mapped key: a username stands for the partition key with a constant sort key', async () => {
    const { client, calls } = recording(async () => ({ Item: undefined }));
    const mapping = resolveRowMapping({
      key: { attribute: 'pk', template: '{username}' },
      sortKey: { attribute: 'sk', template: 'PROFILE' },
    });
    await getUserRow(
      { client, tableName: 't', keyAttribute: 'username', rowMapping: mapping },
      'jane',
    );
    assert.deepEqual(calls[0]?.Key, { pk: 'jane', sk: 'PROFILE' });
  });
});

describe('Function: findRowsByAlias, under a row mapping', () => {
  it('matches the mapped e-mail column and attribute columns, narrowed to the key pattern', async () => {
    const mapping = resolveRowMapping({
      key: { attribute: 'pk', template: 'USER#{sub}' },
      sortKey: { attribute: 'sk', template: 'PROFILE' },
      fields: { email: 'mail', attributes: false },
      attributes: { phone_number: 'phone' },
    });
    const { client, calls } = recording(async () => ({
      Items: [
        { pk: `USER#${SUB}`, sk: 'PROFILE', sub: SUB },
        { pk: 'ORG#1', sk: 'PROFILE', sub: 'x' },
      ],
    }));
    const rows = await findRowsByAlias(
      { client, tableName: 't', keyAttribute: 'username', rowMapping: mapping },
      '+15550100',
    );
    assert.deepEqual(rows, [{ key: { pk: `USER#${SUB}`, sk: 'PROFILE' }, sub: SUB }]);
    const input = calls[0] as {
      FilterExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, string>;
    };
    assert.equal(
      input.FilterExpression,
      '(#a0 = :alias OR #a1 = :alias) AND begins_with(#rk0, :rk0) AND #rk1 = :rk1',
    );
    assert.equal(input.ExpressionAttributeNames['#a0'], 'mail');
    assert.equal(input.ExpressionAttributeNames['#a1'], 'phone');
    assert.equal(input.ExpressionAttributeValues[':rk0'], 'USER#');
  });

  it('scans nothing when the mapping keeps no column an alias can be in', async () => {
    const { client, calls } = recording();
    const mapping = resolveRowMapping({ fields: { email: false, attributes: false } });
    const table = { client, tableName: 't', keyAttribute: 'username', rowMapping: mapping };
    assert.deepEqual(await findRowsByAlias(table, 'jane@example.com'), []);
    assert.equal(calls.length, 0);
  });
});

describe('Function: conditionalWrite', () => {
  it('turns a failed condition into an outcome and any other failure into a TableWriteError', async () => {
    const failed = await conditionalWrite(
      async () => {
        throw Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });
      },
      { failure: 'could not write' },
    );
    assert.equal(failed.kind, 'condition-failed');
    assert.deepEqual(await conditionalWrite(async () => 7, { failure: 'x' }), {
      kind: 'written',
      output: 7,
    });
    await assert.rejects(
      conditionalWrite(
        async () => {
          throw Object.assign(new Error('no such table'), { name: 'ResourceNotFoundException' });
        },
        { failure: 'could not write the row to table "t"' },
      ),
      (error: unknown) =>
        error instanceof TableWriteError &&
        /^could not write the row to table "t": /.test(error.message),
    );
  });
});

describe('Function: describeFailure, for a refused key', () => {
  const missing = (name: string) =>
    Object.assign(
      new Error(`One or more parameter values were invalid: Missing the key ${name} in the item`),
      { name: 'ValidationException' },
    );

  it('names a missing sort key as one the row mapping must give', () => {
    const text = describeFailure(missing('sk'), exampleMapping('today'));
    assert.match(text, /the table's key attribute "sk" is missing from the row/);
    assert.match(text, /"sk" is the table's sort key, which the row mapping must give \(sortKey\)/);
    assert.match(text, /the row mapping's key is "username" with no sort key/);
  });

  it('names the mapped sort key when the table has another one', () => {
    const text = describeFailure(missing('range'), exampleMapping('singleTable'));
    assert.match(
      text,
      /"range" is the table's sort key, and the row mapping's sortKey.attribute must name it/,
    );
    assert.match(text, /with the sort key "sk"/);
  });

  it('keeps naming the key attribute settings for a partition key', () => {
    assert.match(
      describeFailure(missing('id')),
      /not the configured key attribute \(KEY_ATTRIBUTE/,
    );
  });
});
