import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectAttributes, toUserRow } from '../../../src/domain/userRow.js';

const now = new Date('2026-11-28T10:00:00.000Z');
const attributes = {
  sub: 'u-1',
  email: 'jane.doe@example.com',
  email_verified: 'true',
  'cognito:user_status': 'CONFIRMED',
  'cognito:email_alias': 'jane.doe@example.com',
  given_name: 'Jane',
  'custom:plan': 'pro',
};

describe('Function: toUserRow', () => {
  it('maps a user to the default row', () => {
    const row = toUserRow(
      {
        userName: 'u-1',
        userPoolId: 'pool',
        userAttributes: attributes,
        source: 'PostConfirmation_ConfirmSignUp',
        now,
      },
      { keyAttribute: 'username' },
    );
    assert.deepEqual(row, {
      username: 'u-1',
      sub: 'u-1',
      email: 'jane.doe@example.com',
      emailVerified: true,
      userPoolId: 'pool',
      source: 'PostConfirmation_ConfirmSignUp',
      createdAt: '2026-11-28T10:00:00.000Z',
      attributes: {
        sub: 'u-1',
        email: 'jane.doe@example.com',
        email_verified: 'true',
        given_name: 'Jane',
        'custom:plan': 'pro',
      },
    });
  });

  it('uses the configured key attribute and allowlist', () => {
    const row = toUserRow(
      { userName: 'u-1', userPoolId: 'pool', userAttributes: attributes, source: 'reconcile', now },
      { keyAttribute: 'pk', userAttributes: ['given_name', 'cognito:user_status', 'nickname'] },
    );
    assert.equal(row.pk, 'u-1');
    assert.equal(row.username, undefined);
    assert.deepEqual(row.attributes, { given_name: 'Jane' });
    assert.equal(
      row.email,
      'jane.doe@example.com',
      'email is a top-level field whatever the allowlist',
    );
  });

  it('writes a row without email for a phone-only user', () => {
    const row = toUserRow(
      {
        userName: 'u-2',
        userPoolId: 'pool',
        userAttributes: { sub: 'u-2', phone_number: '+15555550100' },
        source: 's',
        now,
      },
      { keyAttribute: 'username' },
    );
    assert.equal('email' in row, false);
    assert.equal('emailVerified' in row, false);
    assert.deepEqual(row.attributes, { sub: 'u-2', phone_number: '+15555550100' });
  });

  it('maps email_verified "false" to false', () => {
    const row = toUserRow(
      {
        userName: 'u',
        userPoolId: 'p',
        userAttributes: { sub: 'u', email: 'a@b.c', email_verified: 'false' },
        source: 's',
        now,
      },
      { keyAttribute: 'username' },
    );
    assert.equal(row.emailVerified, false);
  });
});

describe('Function: selectAttributes', () => {
  it('drops every cognito: attribute even when allowlisted', () => {
    assert.deepEqual(selectAttributes(attributes, ['cognito:user_status', 'sub']), { sub: 'u-1' });
  });
});
