import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildManagedUpdate } from '../../../src/aws/store/managedRows.js';
import { buildMarkDeleted } from '../../../src/aws/store/markRowDeleted.js';
import { PERSONAL_DATA_FIELDS } from '../../../src/domain/converge.js';

const DELETED_AT = new Date('2030-01-01T00:00:00.000Z');
const ERASED = {
  '#p0': 'email',
  '#p1': 'emailVerified',
  '#p2': 'attributes',
  '#p3': 'lastSignInAt',
};

describe('Function: buildMarkDeleted', () => {
  it('SETs deletedAt and updatedAt and REMOVEs the personal data by default, on an unmarked row with the sub', () => {
    assert.deepEqual(
      buildMarkDeleted('username', { deletedAt: DELETED_AT, sub: { equals: 's' } }),
      {
        UpdateExpression:
          'SET #deletedAt = :deletedAt, #updatedAt = :deletedAt REMOVE #p0, #p1, #p2, #p3',
        ConditionExpression:
          'attribute_exists(#key) AND attribute_not_exists(#deletedAt) AND #sub = :expectSub',
        ExpressionAttributeNames: {
          '#key': 'username',
          '#deletedAt': 'deletedAt',
          '#updatedAt': 'updatedAt',
          ...ERASED,
          '#sub': 'sub',
        },
        ExpressionAttributeValues: { ':deletedAt': DELETED_AT.toISOString(), ':expectSub': 's' },
      },
    );
  });

  it('erases exactly the personal-data fields: e-mail, its verification, the attributes map, the last sign-in', () => {
    assert.deepEqual(
      [...PERSONAL_DATA_FIELDS],
      ['email', 'emailVerified', 'attributes', 'lastSignInAt'],
    );
  });

  it('SETs the Time to Live attribute to the mark plus the retention, in epoch seconds', () => {
    const built = buildMarkDeleted('pk', {
      deletedAt: new Date('2030-01-01T00:00:00.900Z'),
      sub: 'any',
      policy: { retainPersonalData: false, retentionDays: 30, timeToLiveAttribute: 'expiresAt' },
    });
    assert.equal(
      built.UpdateExpression,
      'SET #deletedAt = :deletedAt, #updatedAt = :deletedAt, #expiry = :expiry REMOVE #p0, #p1, #p2, #p3',
    );
    assert.equal(built.ExpressionAttributeNames['#expiry'], 'expiresAt');
    assert.equal(
      built.ExpressionAttributeValues[':expiry'],
      Date.parse('2030-01-31T00:00:00.000Z') / 1000,
    );
    // Reconcile's orphans are found by key: no sub condition, and no unused name.
    assert.equal(
      built.ConditionExpression,
      'attribute_exists(#key) AND attribute_not_exists(#deletedAt)',
    );
    assert.equal('#sub' in built.ExpressionAttributeNames, false);
  });

  it('keeps the personal data under a legal hold, still writing the expiry', () => {
    const built = buildMarkDeleted('pk', {
      deletedAt: DELETED_AT,
      sub: 'absent',
      policy: { retainPersonalData: true, retentionDays: 1, timeToLiveAttribute: 'ttl' },
    });
    assert.equal(
      built.UpdateExpression,
      'SET #deletedAt = :deletedAt, #updatedAt = :deletedAt, #expiry = :expiry',
    );
    assert.equal(
      built.ConditionExpression,
      'attribute_exists(#key) AND attribute_not_exists(#deletedAt) AND attribute_not_exists(#sub)',
    );
    for (const name of Object.keys(ERASED))
      assert.equal(name in built.ExpressionAttributeNames, false);
  });

  it('writes no expiry when only the attribute is named, without a retention', () => {
    const built = buildMarkDeleted('pk', {
      deletedAt: DELETED_AT,
      sub: 'any',
      policy: { retainPersonalData: false, retentionDays: undefined, timeToLiveAttribute: 'ttl' },
    });
    assert.doesNotMatch(built.UpdateExpression, /#expiry/);
    assert.equal('#expiry' in built.ExpressionAttributeNames, false);
  });
});

describe('Function: buildManagedUpdate, on a restore', () => {
  it('REMOVEs the Time to Live attribute with deletedAt', () => {
    const built = buildManagedUpdate('username', {
      set: { email: 'a@example.com' },
      remove: ['deletedAt'],
      expectSub: 's',
      notNewerThan: 'v',
      removeExpiry: 'expiresAt',
    });
    assert.equal(built.UpdateExpression, 'SET #s0 = :s0 REMOVE #r0, #expiry');
    assert.equal(built.ExpressionAttributeNames['#expiry'], 'expiresAt');
  });
});
