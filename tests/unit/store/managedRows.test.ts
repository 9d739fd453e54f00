import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildManagedUpdate } from '../../../src/aws/store/managedRows.js';

describe('Function: buildManagedUpdate', () => {
  it('SETs and REMOVEs the named fields only, conditional on key, sub and version', () => {
    assert.deepEqual(
      buildManagedUpdate('username', {
        set: { enabled: false, updatedAt: 't' },
        remove: ['email'],
        expectSub: 's',
        notNewerThan: 'v',
      }),
      {
        UpdateExpression: 'SET #s0 = :s0, #s1 = :s1 REMOVE #r0',
        ConditionExpression:
          'attribute_exists(#key) AND #sub = :expectSub AND (attribute_not_exists(#version) OR #version <= :version)',
        ExpressionAttributeNames: {
          '#key': 'username',
          '#sub': 'sub',
          '#s0': 'enabled',
          '#s1': 'updatedAt',
          '#r0': 'email',
          '#version': 'userLastModifiedAt',
        },
        ExpressionAttributeValues: { ':s0': false, ':s1': 't', ':expectSub': 's', ':version': 'v' },
      },
    );
  });

  it('requires a row without sub when none was read, and checks no version for a sign-in only', () => {
    const update = buildManagedUpdate('pk', {
      set: { lastSignInAt: 't' },
      remove: [],
      expectSub: undefined,
      notNewerThan: undefined,
    });
    assert.equal(
      update.ConditionExpression,
      'attribute_exists(#key) AND attribute_not_exists(#sub)',
    );
    assert.equal(update.UpdateExpression, 'SET #s0 = :s0');
  });
});
