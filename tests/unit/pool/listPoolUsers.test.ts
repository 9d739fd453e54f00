import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserPoolReadError } from '../../../src/errors.js';
import { listPoolUsers, toPoolUser } from '../../../src/pool/listPoolUsers.js';
import type { RateLimiter } from '../../../src/reconcile/rateLimiter.js';
import { cognitoUser, FakeCognito, NO_WAIT, sdkError } from '../reconcile/fakes.js';

function countingLimiter(): RateLimiter & { taken: number } {
  const limiter = {
    taken: 0,
    take: async () => {
      limiter.taken++;
    },
  };
  return limiter;
}

describe('Function: listPoolUsers', () => {
  it('follows PaginationToken across pages of 60 and maps every user', async () => {
    // Prepare
    const cognito = new FakeCognito(
      Array.from({ length: 130 }, (_, i) => cognitoUser(`user-${i}`)),
    );
    const limiter = countingLimiter();
    const pages: number[] = [];

    // Act
    const users = await listPoolUsers(cognito, {
      userPoolId: 'us-east-1_Pool1',
      rateLimiter: limiter,
      onPage: (listed) => pages.push(listed),
    });

    // Assess
    assert.equal(users.length, 130);
    assert.deepEqual(pages, [60, 120, 130]);
    assert.deepEqual(
      cognito.calls.map((call) => call.PaginationToken),
      [undefined, 'page-60', 'page-120'],
    );
    assert.ok(cognito.calls.every((call) => call.Limit === 60));
    assert.equal(limiter.taken, 3);
    assert.deepEqual(users[0], {
      userName: 'user-0',
      status: 'CONFIRMED',
      enabled: true,
      attributes: { sub: 'sub-user-0', email: 'user-0@example.com' },
    });
  });

  it('waits and retries when Cognito throttles, taking a token per attempt', async () => {
    const cognito = new FakeCognito([cognitoUser('a')]);
    cognito.failures.push(
      sdkError('TooManyRequestsException'),
      sdkError('TooManyRequestsException'),
    );
    const limiter = countingLimiter();
    const users = await listPoolUsers(cognito, {
      userPoolId: 'us-east-1_Pool1',
      rateLimiter: limiter,
      retry: NO_WAIT,
    });
    assert.equal(users.length, 1);
    assert.equal(cognito.calls.length, 3);
    assert.equal(limiter.taken, 3);
  });

  it('throws a UserPoolReadError naming the pool when a page cannot be read', async () => {
    const cognito = new FakeCognito([]);
    cognito.failures.push(sdkError('ResourceNotFoundException', 'User pool does not exist.'));
    await assert.rejects(
      listPoolUsers(cognito, { userPoolId: 'us-east-1_Nope', rateLimiter: countingLimiter() }),
      (error: unknown) =>
        error instanceof UserPoolReadError &&
        /pool "us-east-1_Nope" \(page 1\): ResourceNotFoundException: User pool does not exist/.test(
          error.message,
        ),
    );
  });
});

describe('Function: toPoolUser', () => {
  it('defaults a missing status and enabled flag, and skips a user without a name', () => {
    assert.deepEqual(toPoolUser({ Username: 'x' }), {
      userName: 'x',
      status: 'UNKNOWN',
      enabled: true,
      attributes: {},
    });
    assert.equal(toPoolUser({}), undefined);
  });
});
