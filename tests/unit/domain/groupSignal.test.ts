import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGroupSignalEvent, parseGroupSignal } from '../../../src/domain/groupSignal.js';

/** A CloudTrail-shaped EventBridge event of a Cognito call. */
function apiCall(
  eventName: string,
  requestParameters: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    source: 'aws.cognito-idp',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventSource: 'cognito-idp.amazonaws.com', eventName, requestParameters, ...extra },
  };
}

const POOL = 'us-east-1_Pool1';

describe('Function: parseGroupSignal', () => {
  it('reads the user and the group of an add and of a remove', () => {
    for (const eventName of ['AdminAddUserToGroup', 'AdminRemoveUserFromGroup'] as const) {
      assert.deepEqual(
        parseGroupSignal(
          apiCall(eventName, { userPoolId: POOL, username: 'ana', groupName: 'admins' }),
        ),
        {
          kind: 'member',
          eventName,
          userPoolId: POOL,
          username: 'ana',
          groupName: 'admins',
        },
      );
    }
  });

  it('reads the group of a deletion, to converge its members found in the table', () => {
    assert.deepEqual(
      parseGroupSignal(apiCall('DeleteGroup', { userPoolId: POOL, groupName: 'admins' })),
      {
        kind: 'group-deleted',
        eventName: 'DeleteGroup',
        userPoolId: POOL,
        groupName: 'admins',
      },
    );
  });

  it('ignores failed calls, hidden or missing names, other calls and UpdateGroup, saying why', () => {
    const cases: [unknown, RegExp][] = [
      [
        apiCall(
          'AdminAddUserToGroup',
          { userPoolId: POOL, username: 'ana', groupName: 'admins' },
          { errorCode: 'UserNotFoundException' },
        ),
        /failed/,
      ],
      [
        apiCall('AdminAddUserToGroup', {
          userPoolId: POOL,
          username: 'HIDDEN_DUE_TO_SECURITY_REASONS',
          groupName: 'admins',
        }),
        /no user/,
      ],
      [apiCall('AdminRemoveUserFromGroup', { userPoolId: POOL, groupName: 'admins' }), /no user/],
      [apiCall('DeleteGroup', { userPoolId: POOL }), /no group/],
      [
        apiCall('UpdateGroup', { userPoolId: POOL, groupName: 'admins', precedence: 1 }),
        /not a group membership call/,
      ],
      [
        apiCall('AdminDeleteUser', { userPoolId: POOL, username: 'ana' }),
        /not a group membership call/,
      ],
      [
        { detail: { eventSource: 'dynamodb.amazonaws.com', eventName: 'DeleteGroup' } },
        /not a group membership call/,
      ],
      ['not an event', /not a group membership call/],
    ];
    for (const [event, reason] of cases) {
      const parsed = parseGroupSignal(event);
      assert.equal(parsed.kind, 'ignored', JSON.stringify(event));
      assert.match((parsed as { reason: string }).reason, reason);
      assert.doesNotMatch(
        JSON.stringify(parsed),
        /ana|admins/,
        'the reason carries no value from the event',
      );
    }
  });

  it('tells group calls from the other change signals', () => {
    assert.equal(isGroupSignalEvent(apiCall('DeleteGroup', { groupName: 'a' })), true);
    assert.equal(
      isGroupSignalEvent(apiCall('AdminUpdateUserAttributes', { username: 'a' })),
      false,
    );
  });
});
