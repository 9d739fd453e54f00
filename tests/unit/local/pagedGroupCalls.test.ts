import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGroupSignal } from '../../../src/domain/groupSignal.js';
import { cloudTrailEvent } from '../../../src/local/changeSignals.js';
import { pageByName, pagedGroupCalls } from '../../../src/local/pagedGroupCalls.js';

const POOL = 'local_Pool1';
const groups = (names: string[]) => names.map((GroupName) => ({ GroupName, UserPoolId: POOL }));

describe('Function: pageByName', () => {
  it('pages by name, in code unit order, with a token that records where the page ended', () => {
    const items = groups(['c', 'a', 'B', 'b', 'd']);
    const first = pageByName(items, (item) => item.GroupName, {
      userPoolId: POOL,
      scope: 's',
      limit: 2,
    });
    assert.deepEqual(
      first.items.map((item) => item.GroupName),
      ['B', 'a'],
    );
    assert.ok(first.nextToken);
    const second = pageByName(items, (item) => item.GroupName, {
      userPoolId: POOL,
      scope: 's',
      limit: 2,
      nextToken: first.nextToken,
    });
    assert.deepEqual(
      second.items.map((item) => item.GroupName),
      ['b', 'c'],
    );
    const third = pageByName(items, (item) => item.GroupName, {
      userPoolId: POOL,
      scope: 's',
      limit: 2,
      nextToken: second.nextToken,
    });
    assert.deepEqual(
      third.items.map((item) => item.GroupName),
      ['d'],
    );
    assert.equal(third.nextToken, undefined, 'no token after the last page');
  });

  it('refuses a limit above 60 and a token of another pool, group or user', () => {
    const items = groups(['a', 'b']);
    assert.throws(
      () =>
        pageByName(items, (item) => item.GroupName, { userPoolId: POOL, scope: 's', limit: 61 }),
      /less than or equal to 60/,
    );
    const { nextToken } = pageByName(items, (item) => item.GroupName, {
      userPoolId: POOL,
      scope: 's',
      limit: 1,
    });
    assert.throws(
      () =>
        pageByName(items, (item) => item.GroupName, {
          userPoolId: POOL,
          scope: 'other',
          nextToken,
        }),
      /another user pool or filter/,
    );
  });
});

describe('Function: pagedGroupCalls', () => {
  it('pages the group listings cognito-local answers at once, and leaves other calls alone', async () => {
    const all = Array.from({ length: 130 }, (_, i) => ({
      Username: `user-${String(i).padStart(3, '0')}`,
    }));
    const seen: unknown[] = [];
    const router = pagedGroupCalls((target) => async (_ctx, request) => {
      seen.push(request);
      return target === 'ListUsersInGroup' ? { Users: all } : { answered: target };
    });
    const list = router('ListUsersInGroup');
    const ctx = {} as never;
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = (await list(ctx, {
        UserPoolId: POOL,
        GroupName: 'admins',
        ...(token ? { NextToken: token } : {}),
      })) as {
        Users: { Username: string }[];
        NextToken?: string;
      };
      names.push(...answer.Users.map((user) => user.Username));
      token = answer.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3, 'pages of 60 by default');
    assert.deepEqual(
      names,
      all.map((user) => user.Username),
    );
    assert.ok(
      seen.every((request) => !('NextToken' in (request as object))),
      'cognito-local never sees the token',
    );
    assert.deepEqual(await router('AdminGetUser')(ctx, { Username: 'a' }), {
      answered: 'AdminGetUser',
    });
  });
});

describe('Function: cloudTrailEvent, group calls', () => {
  it('gives the group membership calls the group, and the user when there is one, as the change-signal function reads them', () => {
    const added = cloudTrailEvent(
      'AdminAddUserToGroup',
      { UserPoolId: POOL, Username: 'ana', GroupName: 'admins' },
      { region: 'us-east-1' },
    );
    assert.deepEqual(parseGroupSignal(added), {
      kind: 'member',
      eventName: 'AdminAddUserToGroup',
      userPoolId: POOL,
      username: 'ana',
      groupName: 'admins',
    });
    const deleted = cloudTrailEvent(
      'DeleteGroup',
      { UserPoolId: POOL, GroupName: 'admins' },
      { region: 'us-east-1' },
    );
    assert.deepEqual(parseGroupSignal(deleted), {
      kind: 'group-deleted',
      eventName: 'DeleteGroup',
      userPoolId: POOL,
      groupName: 'admins',
    });
    assert.equal(
      cloudTrailEvent(
        'UpdateGroup',
        { UserPoolId: POOL, GroupName: 'admins' },
        { region: 'us-east-1' },
      ),
      undefined,
    );
  });
});
