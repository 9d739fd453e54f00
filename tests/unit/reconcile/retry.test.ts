import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TableWriteError } from '../../../src/shared/errors.js';
import { isThrottling, THROTTLING_ERROR_NAMES } from '../../../src/shared/failure.js';
import {
  RECONCILE_MAX_ATTEMPTS,
  withRetry,
  withTransientRetry,
} from '../../../src/shared/retry.js';
import { sdkError } from './fakes.js';

describe('Function: withRetry', () => {
  it('retries retryable errors with growing, capped backoff, then succeeds', async () => {
    // Prepare
    const waits: number[] = [];
    let calls = 0;

    // Act
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 5) throw sdkError('TooManyRequestsException');
        return 'ok';
      },
      {
        isRetryable: isThrottling,
        baseDelayMs: 100,
        maxDelayMs: 500,
        sleep: async (ms) => {
          waits.push(ms);
        },
        random: () => 0.999,
      },
    );

    // Assess
    assert.equal(result, 'ok');
    assert.deepEqual(waits, [99, 199, 399, 499]);
  });

  it('rethrows an error that is not retryable at once', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw sdkError('AccessDeniedException');
        },
        { isRetryable: isThrottling, sleep: async () => {} },
      ),
      /AccessDeniedException/,
    );
    assert.equal(calls, 1);
  });

  it('gives up after maxAttempts', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw sdkError('ThrottlingException');
        },
        { isRetryable: isThrottling, maxAttempts: 3, sleep: async () => {} },
      ),
      /ThrottlingException/,
    );
    assert.equal(calls, 3);
  });
});

describe('Function: isThrottling (the one list of throttling names)', () => {
  for (const name of [
    'TooManyRequestsException',
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'Throttling',
  ]) {
    it(`recognises ${name}, also wrapped as a cause, once or twice`, () => {
      assert.ok(THROTTLING_ERROR_NAMES.includes(name));
      assert.equal(isThrottling(sdkError(name)), true);
      assert.equal(isThrottling(new TableWriteError('x', { cause: sdkError(name) })), true);
      const twice = new TableWriteError('y', {
        cause: new TableWriteError('x', { cause: sdkError(name) }),
      });
      assert.equal(isThrottling(twice), true);
    });
  }

  it('does not treat a failed condition as throttling', () => {
    assert.equal(isThrottling(sdkError('ConditionalCheckFailedException')), false);
  });
});

describe('Function: withTransientRetry (reconcile’s one policy)', () => {
  const serverError = () =>
    Object.assign(sdkError('InternalServerError'), { $metadata: { httpStatusCode: 500 } });

  it('retries every transient error, RECONCILE_MAX_ATTEMPTS attempts by default', async () => {
    let calls = 0;
    await assert.rejects(
      withTransientRetry(
        async () => {
          calls++;
          throw calls % 2 === 0 ? serverError() : sdkError('Throttling');
        },
        { sleep: async () => {} },
      ),
    );
    assert.equal(calls, RECONCILE_MAX_ATTEMPTS);
  });

  it('keeps a given number of attempts and never retries an error that is not transient', async () => {
    let calls = 0;
    const fail = async () => {
      calls++;
      throw serverError();
    };
    await assert.rejects(withTransientRetry(fail, { maxAttempts: 2, sleep: async () => {} }));
    assert.equal(calls, 2);
    calls = 0;
    await assert.rejects(
      withTransientRetry(async () => {
        calls++;
        throw sdkError('ValidationException');
      }),
      /ValidationException/,
    );
    assert.equal(calls, 1);
  });
});
