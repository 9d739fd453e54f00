import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSignInUpsert } from '../../../src/aws/store/signInRow.js';

const AT = '2026-11-29T12:00:00.000Z';
const row = {
  username: 'jane',
  sub: 's-1',
  userPoolId: 'pool',
  email: undefined,
  attributes: { sub: 's-1' },
  source: 'PostAuthentication_Authentication',
  createdAt: AT,
};

describe('Function: buildSignInUpsert', () => {
  it('SETs managed fields, source and createdAt only if absent, REMOVEs deletedAt and missing optional fields', () => {
    const update = buildSignInUpsert('username', {
      row,
      enabled: true,
      status: 'CONFIRMED',
      signedInAt: AT,
      create: true,
    });
    const names = update.ExpressionAttributeNames;
    const aliasOf = (field: string) => Object.keys(names).find((alias) => names[alias] === field);
    assert.equal(aliasOf('username'), undefined, 'the key is never SET');
    const expression = update.UpdateExpression;
    for (const field of ['source', 'createdAt']) {
      const alias = aliasOf(field);
      assert.match(expression, new RegExp(`${alias} = if_not_exists\\(${alias}, :v\\d+\\)`));
    }
    for (const field of [
      'sub',
      'userPoolId',
      'attributes',
      'enabled',
      'status',
      'updatedAt',
      'lastSignInAt',
    ]) {
      assert.match(expression, new RegExp(`${aliasOf(field)} = :v\\d+`), field);
    }
    const removed = expression.slice(expression.indexOf(' REMOVE ') + 8).split(', ');
    assert.deepEqual(
      removed.map((alias) => names[alias]),
      ['deletedAt', 'email', 'emailVerified'],
    );
    assert.equal(
      update.ConditionExpression,
      '(attribute_not_exists(#sub) OR #sub = :sub) AND (attribute_not_exists(#version) OR #version <= :signedInAt)',
    );
    assert.deepEqual(update.ExpressionAttributeValues[':sub'], { S: 's-1' });
  });

  it('REMOVEs the expiry a mark may have set when the policy names one', () => {
    const update = buildSignInUpsert('username', {
      row: { ...row, email: 'jane@example.com' },
      enabled: true,
      status: 'CONFIRMED',
      signedInAt: AT,
      create: true,
      expiryAttribute: 'expiresAt',
    });
    const names = update.ExpressionAttributeNames;
    const expression = update.UpdateExpression;
    const removed = expression.slice(expression.indexOf(' REMOVE ') + 8).split(', ');
    assert.deepEqual(
      removed.map((alias) => names[alias]),
      ['deletedAt', 'expiresAt', 'emailVerified'],
    );
  });

  it('requires the row to exist when the user may not get a new one', () => {
    const update = buildSignInUpsert('username', {
      row,
      enabled: true,
      status: 'UNCONFIRMED',
      signedInAt: AT,
      create: false,
    });
    assert.match(update.ConditionExpression, /^attribute_exists\(#key\) AND /);
    assert.equal(update.ExpressionAttributeNames['#key'], 'username');
  });
});
