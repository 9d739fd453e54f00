import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANGE_SIGNAL_EVENT_NAMES, parseChangeSignal } from '../../../src/domain/changeSignal.js';
import { cloudTrailEvent } from '../../../src/local/changeSignals.js';

const SUB = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

function event(detail: Record<string, unknown>) {
  return {
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cognito-idp',
    detail: { eventSource: 'cognito-idp.amazonaws.com', ...detail },
  };
}

describe('Function: parseChangeSignal', () => {
  it('reads the pool and username of an admin call', () => {
    assert.deepEqual(
      parseChangeSignal(
        event({
          eventName: 'AdminDisableUser',
          requestParameters: { userPoolId: 'us-east-1_A', username: 'jane' },
        }),
      ),
      {
        kind: 'signal',
        eventName: 'AdminDisableUser',
        userPoolId: 'us-east-1_A',
        user: { username: 'jane', sub: undefined },
      },
    );
  });

  it('brings along the alias values a request sets when the event shows them', () => {
    const signal = parseChangeSignal(
      event({
        eventName: 'AdminUpdateUserAttributes',
        requestParameters: {
          userPoolId: 'us-east-1_A',
          username: 'old@example.com',
          userAttributes: [
            { name: 'email', value: 'new@example.com' },
            { name: 'given_name', value: 'Jane' },
            { name: 'phone_number', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
          ],
        },
        additionalEventData: { sub: SUB },
      }),
    );
    assert.deepEqual(signal.kind === 'signal' && signal.user, {
      username: 'old@example.com',
      sub: SUB,
      aliases: ['new@example.com'],
    });
    const hidden = parseChangeSignal(
      event({
        eventName: 'AdminUpdateUserAttributes',
        requestParameters: { username: 'a', userAttributes: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      }),
    );
    assert.deepEqual(hidden.kind === 'signal' && hidden.user, { username: 'a', sub: undefined });
  });

  it('takes the sub of a token call from additionalEventData.sub', () => {
    const signal = parseChangeSignal(
      event({
        eventName: 'UpdateUserAttributes',
        requestParameters: { accessToken: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        additionalEventData: { sub: SUB },
      }),
    );
    assert.deepEqual(signal, {
      kind: 'signal',
      eventName: 'UpdateUserAttributes',
      userPoolId: undefined,
      user: { sub: SUB },
    });
  });

  it('takes a UUID-shaped userIdentity.principalId as the sub, never an IAM principal', () => {
    const fromIdentity = parseChangeSignal(
      event({ eventName: 'DeleteUser', userIdentity: { type: 'Unknown', principalId: SUB } }),
    );
    assert.deepEqual(fromIdentity.kind === 'signal' && fromIdentity.user, { sub: SUB });
    const iam = parseChangeSignal(
      event({ eventName: 'DeleteUser', userIdentity: { principalId: 'AROAEXAMPLE:session' } }),
    );
    assert.equal(iam.kind, 'ignored');
  });

  it('ignores a hidden username (both spellings) when nothing else names the user', () => {
    for (const hidden of ['HIDDEN_DUE_TO_SECURITY_REASONS', 'HIDDEN_FOR_SECURITY_REASONS']) {
      const signal = parseChangeSignal(
        event({ eventName: 'AdminUpdateUserAttributes', requestParameters: { username: hidden } }),
      );
      assert.deepEqual(signal, {
        kind: 'ignored',
        reason: 'the event names no user (hidden or missing)',
        eventName: 'AdminUpdateUserAttributes',
      });
    }
  });

  it('ignores failed calls, other calls, other services and malformed events', () => {
    const ignored = [
      event({
        eventName: 'AdminDeleteUser',
        errorCode: 'UserNotFoundException',
        requestParameters: { username: 'a' },
      }),
      event({ eventName: 'ListUsers', requestParameters: { username: 'a' } }),
      { detail: { eventSource: 's3.amazonaws.com', eventName: 'AdminDeleteUser' } },
      { detail: 'nope' },
      null,
      'text',
    ];
    for (const input of ignored) assert.equal(parseChangeSignal(input).kind, 'ignored');
  });
});

describe('Function: cloudTrailEvent (local stack)', () => {
  it('emits events the change-signal parser reads back, for every call', () => {
    const token = `x.${Buffer.from(JSON.stringify({ sub: SUB })).toString('base64url')}.y`;
    for (const name of CHANGE_SIGNAL_EVENT_NAMES) {
      const emitted = cloudTrailEvent(
        name,
        { UserPoolId: 'us-east-1_A', Username: 'jane', AccessToken: token, UserAttributes: [] },
        { region: 'us-east-1' },
      );
      const signal = parseChangeSignal(emitted);
      assert.equal(signal.kind, 'signal', name);
      if (signal.kind !== 'signal') continue;
      const byToken = ['UpdateUserAttributes', 'VerifyUserAttribute', 'DeleteUser'].includes(name);
      assert.deepEqual(signal.user, byToken ? { sub: SUB } : { username: 'jane', sub: undefined });
    }
  });

  it('carries the sub of the user an admin call names, when the stack gives it', () => {
    const emitted = cloudTrailEvent(
      'AdminUpdateUserAttributes',
      { UserPoolId: 'us-east-1_A', Username: 'jane@example.com', UserAttributes: [] },
      { region: 'us-east-1', sub: SUB },
    );
    assert.deepEqual(emitted?.detail.additionalEventData, { sub: SUB });
    const signal = parseChangeSignal(emitted);
    assert.deepEqual(signal.kind === 'signal' && signal.user, {
      username: 'jane@example.com',
      sub: SUB,
    });
  });

  it('hides attribute values and the access token', () => {
    const emitted = cloudTrailEvent(
      'UpdateUserAttributes',
      { AccessToken: 'a.b.c', UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }] },
      { region: 'us-east-1' },
    );
    const text = JSON.stringify(emitted);
    assert.equal(text.includes('jane@example.com'), false);
    assert.equal(text.includes('a.b.c'), false);
  });

  it('emits nothing for other calls', () => {
    assert.equal(cloudTrailEvent('ListUsers', {}, { region: 'us-east-1' }), undefined);
  });
});
