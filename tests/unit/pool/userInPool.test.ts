import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userInPool } from '../../../src/aws/pool/userInPool.js';
import { RECONCILE_MAX_ATTEMPTS } from '../../../src/shared/retry.js';
import { NO_WAIT, sdkError } from '../reconcile/fakes.js';

/** A Cognito client answering AdminGetUser with `answers` in turn (an error is thrown). */
function cognito(answers: (Error | { Username: string })[]) {
  let calls = 0;
  return {
    calls: () => calls,
    client: {
      send: async () => {
        const answer = answers[Math.min(calls, answers.length - 1)];
        calls++;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    } as never,
  };
}

const unavailable = () =>
  Object.assign(sdkError('InternalErrorException'), { $metadata: { httpStatusCode: 500 } });

describe('Function: userInPool', () => {
  it('retries by reconcile’s one policy: RECONCILE_MAX_ATTEMPTS attempts by default', async () => {
    const fake = cognito([unavailable()]);
    await assert.rejects(
      userInPool(fake.client, 'pool', 'alice', { retry: NO_WAIT }),
      /could not read a user of pool "pool" \(AdminGetUser\): InternalErrorException \(HTTP 500\)/,
    );
    assert.equal(fake.calls(), RECONCILE_MAX_ATTEMPTS);
  });

  it('retries throttling, then tells whether the user is there under that username', async () => {
    const fake = cognito([sdkError('TooManyRequestsException'), { Username: 'alice' }]);
    assert.equal(await userInPool(fake.client, 'pool', 'alice', { retry: NO_WAIT }), true);
    assert.equal(fake.calls(), 2);
    assert.equal(
      await userInPool(cognito([{ Username: 'bob' }]).client, 'pool', 'alice', { retry: NO_WAIT }),
      false,
    );
    assert.equal(
      await userInPool(cognito([sdkError('UserNotFoundException')]).client, 'pool', 'alice'),
      false,
    );
  });

  it('does not retry an error that is not transient', async () => {
    const fake = cognito([sdkError('AccessDeniedException')]);
    await assert.rejects(userInPool(fake.client, 'pool', 'alice', { retry: NO_WAIT }));
    assert.equal(fake.calls(), 1);
  });
});
