import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TableWriteError } from '../../../src/shared/errors.js';
import { isCognitoThrottling, isDynamoThrottling, withRetry } from '../../../src/shared/retry.js';
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
        isRetryable: isCognitoThrottling,
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
        { isRetryable: isDynamoThrottling, sleep: async () => {} },
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
        { isRetryable: isDynamoThrottling, maxAttempts: 3, sleep: async () => {} },
      ),
      /ThrottlingException/,
    );
    assert.equal(calls, 3);
  });
});

describe('Function: isDynamoThrottling', () => {
  for (const name of [
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
  ]) {
    it(`recognises ${name}, also wrapped as a cause`, () => {
      assert.equal(isDynamoThrottling(sdkError(name)), true);
      assert.equal(isDynamoThrottling(new TableWriteError('x', { cause: sdkError(name) })), true);
    });
  }

  it('does not treat a failed condition as throttling', () => {
    assert.equal(isDynamoThrottling(sdkError('ConditionalCheckFailedException')), false);
    assert.equal(isCognitoThrottling(sdkError('ThrottlingException')), false);
  });
});
