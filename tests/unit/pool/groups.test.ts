import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachGroupMember, listGroupNames } from '../../../src/aws/pool/poolGroups.js';
import { readUserGroups } from '../../../src/aws/pool/userGroups.js';
import { UserPoolReadError } from '../../../src/shared/errors.js';
import type { RateLimiter } from '../../../src/shared/rateLimiter.js';
import { NO_WAIT, sdkError } from '../reconcile/fakes.js';

const POOL = 'us-east-1_Pool1';

interface Sent {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/**
 * A Cognito client that pages `items` (one list per call name) `pageSize` at
 * a time with opaque tokens, records every call, and fails the calls that
 * `failures` names, once each, with the error given.
 */
function pagingClient(
  items: Readonly<Record<string, readonly unknown[]>>,
  pageSize: number,
  failures: Error[] = [],
): { client: { send: (command: unknown) => Promise<unknown> }; sent: Sent[] } {
  const sent: Sent[] = [];
  const client = {
    send: async (command: unknown) => {
      const { input } = command as { input: Record<string, unknown> };
      const name = (command as object).constructor.name.replace(/Command$/, '');
      sent.push({ name, input });
      const failure = failures.shift();
      if (failure) throw failure;
      const all = items[name] ?? [];
      const start = input.NextToken ? Number(String(input.NextToken).slice('page-'.length)) : 0;
      const next = start + pageSize;
      const page = all.slice(start, next);
      const key = name === 'ListUsersInGroup' ? 'Users' : 'Groups';
      return { [key]: page, ...(next < all.length ? { NextToken: `page-${next}` } : {}) };
    },
  };
  return { client, sent };
}

const groupsNamed = (names: string[]) =>
  names.map((GroupName) => ({ GroupName, UserPoolId: POOL }));

/** A limiter that counts its tokens. */
function countingLimiter(): RateLimiter & { taken: number } {
  const limiter = {
    taken: 0,
    take: async () => {
      limiter.taken++;
    },
  };
  return limiter;
}

describe('Function: readUserGroups', () => {
  it('reads every page, asks for pages of 60 and returns the names sorted, each once', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `group-${String(99 - i).padStart(3, '0')}`);
    const { client, sent } = pagingClient({ AdminListGroupsForUser: groupsNamed(names) }, 30);
    const limiter = countingLimiter();

    const groups = await readUserGroups(client, POOL, 'ana', { limiter });

    assert.deepEqual(groups, [...names].sort());
    assert.equal(sent.length, 4, 'four pages of 30');
    assert.ok(
      sent.every(
        ({ input }) => input.Limit === 60 && input.Username === 'ana' && input.UserPoolId === POOL,
      ),
    );
    assert.deepEqual(
      sent.map(({ input }) => input.NextToken),
      [undefined, 'page-30', 'page-60', 'page-90'],
    );
    assert.equal(limiter.taken, 4, 'one token a page');
  });

  it('gives an empty list for a user in no group, undefined for a user the pool does not have', async () => {
    assert.deepEqual(await readUserGroups(pagingClient({}, 60).client, POOL, 'ana'), []);
    const gone = pagingClient({}, 60, [sdkError('UserNotFoundException')]);
    assert.equal(await readUserGroups(gone.client, POOL, 'ana'), undefined);
  });

  it('retries a throttled page, then fails with an error naming the call but never the user', async () => {
    const throttledOnce = pagingClient({ AdminListGroupsForUser: groupsNamed(['admins']) }, 60, [
      sdkError('TooManyRequestsException'),
    ]);
    assert.deepEqual(await readUserGroups(throttledOnce.client, POOL, 'ana', { retry: NO_WAIT }), [
      'admins',
    ]);
    assert.equal(throttledOnce.sent.length, 2);

    const denied = pagingClient({}, 60, [sdkError('AccessDeniedException', 'not authorized')]);
    const error = await readUserGroups(denied.client, POOL, 'ana@example.com', {
      retry: NO_WAIT,
    }).catch((caught: unknown) => caught);
    assert.ok(error instanceof UserPoolReadError);
    assert.match(error.message, /AdminListGroupsForUser/);
    assert.match(error.message, /us-east-1_Pool1/);
    assert.doesNotMatch(error.message, /ana/);
  });
});

describe('Function: listGroupNames', () => {
  it('lists every group of the pool across pages, in the order given, paced a token a page', async () => {
    const names = Array.from({ length: 130 }, (_, i) => `g${i}`);
    const { client, sent } = pagingClient({ ListGroups: groupsNamed(names) }, 60);
    const limiter = countingLimiter();

    assert.deepEqual(await listGroupNames(client, POOL, { limiter }), names);
    assert.equal(sent.length, 3);
    assert.equal(limiter.taken, 3);
  });

  it('fails with an error naming the pool and the call', async () => {
    const { client } = pagingClient({}, 60, [
      sdkError('ResourceNotFoundException', 'no such pool'),
    ]);
    await assert.rejects(listGroupNames(client, POOL, { retry: NO_WAIT }), (error: unknown) => {
      assert.ok(error instanceof UserPoolReadError);
      assert.match(error.message, /ListGroups/);
      assert.match(error.message, /us-east-1_Pool1/);
      return true;
    });
  });
});

describe('Function: forEachGroupMember', () => {
  it('hands over each page of usernames as it comes and counts the members', async () => {
    const users = Array.from({ length: 125 }, (_, i) => ({ Username: `user-${i}` }));
    const { client, sent } = pagingClient({ ListUsersInGroup: users }, 60);
    const pages: string[][] = [];

    const members = await forEachGroupMember(client, POOL, 'admins', (usernames) => {
      pages.push(usernames);
    });

    assert.equal(members, 125);
    assert.deepEqual(
      pages.map((page) => page.length),
      [60, 60, 5],
    );
    assert.deepEqual(
      pages.flat(),
      users.map((user) => user.Username),
    );
    assert.ok(sent.every(({ input }) => input.GroupName === 'admins' && input.Limit === 60));
  });

  it("lets the caller's own failure through as it is, and wraps a failed listing", async () => {
    const { client } = pagingClient({ ListUsersInGroup: [{ Username: 'a' }] }, 60);
    const own = new Error('the caller broke');
    await assert.rejects(
      forEachGroupMember(client, POOL, 'admins', () => {
        throw own;
      }),
      (error: unknown) => error === own,
    );

    const failing = pagingClient({}, 60, [
      sdkError('InternalErrorException'),
      sdkError('InternalErrorException'),
    ]);
    await assert.rejects(
      forEachGroupMember(failing.client, POOL, 'admins', () => {}, {
        retry: { ...NO_WAIT, maxAttempts: 2 },
      }),
      (error: unknown) =>
        error instanceof UserPoolReadError && /members of group "admins"/.test(error.message),
    );
  });
});
