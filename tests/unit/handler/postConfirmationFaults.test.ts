import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { HandlerConfig } from '../../../src/domain/config.js';
import { TableWriteError } from '../../../src/shared/errors.js';
import { createMetrics } from '../../../src/shared/metrics.js';
import { createPostConfirmationHandler } from '../../../src/sync/handler/postConfirmation.js';
import { fakeContext, signUpEvent } from '../../helpers/fixtures.js';
import { captureLogs, PII_VALUES } from '../../helpers/logs.js';

const config: HandlerConfig = { tableName: 'users', keyAttribute: 'username', logLevel: 'debug' };
const fast = { baseDelayMs: 1, maxDelayMs: 2 };

/** An SDK-shaped socket error, as the Node HTTP handler throws it. */
function socketError(code: string): Error {
  return Object.assign(new Error(`read ${code}`), { name: 'TimeoutError', code, $metadata: {} });
}

function conditionFailed(): Error {
  return Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });
}

/** A client whose n-th call (from 1) runs `answers[n - 1]`, the last one repeating. */
function scriptedClient(answers: (() => Promise<unknown>)[]): {
  client: DynamoDBDocumentClient;
  calls: () => number;
} {
  let calls = 0;
  const client = {
    send: () => {
      const answer = answers[Math.min(calls, answers.length - 1)] as () => Promise<unknown>;
      calls++;
      return answer();
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls: () => calls };
}

function metricsSink() {
  const lines: Record<string, unknown>[] = [];
  return {
    metrics: createMetrics({
      functionName: 'trigger',
      sink: (line) => lines.push(JSON.parse(line)),
      now: () => 1,
    }),
    lines,
  };
}

/** The handler on `client`, with fast retries, its log lines and its metrics lines captured. */
function handlerOn(client: DynamoDBDocumentClient) {
  const logs = captureLogs();
  const { metrics, lines } = metricsSink();
  const handler = createPostConfirmationHandler({
    config,
    client,
    logger: logs.logger,
    metrics,
    retry: fast,
  });
  return { handler, logs, lines };
}

describe('Function: createPostConfirmationHandler (faults)', () => {
  it('returns the event by default when the write fails, logging an error and counting it', async () => {
    const { client } = scriptedClient([
      async () => {
        throw Object.assign(new Error('Requested resource not found'), {
          name: 'ResourceNotFoundException',
          $metadata: { httpStatusCode: 400 },
        });
      },
    ]);
    const logs = captureLogs();
    const { metrics, lines } = metricsSink();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger, metrics });
    const event = signUpEvent();

    assert.equal(await handler(event, fakeContext()), event);

    const [record] = logs.records();
    assert.equal(record?.level, 'error');
    assert.equal(record?.outcome, 'failed');
    assert.equal(record?.onWriteFailure, 'continue');
    assert.match(String(record?.error), /ResourceNotFoundException \(HTTP 400\)/);
    assert.equal(lines[0]?.WriteFailures, 1);
    assert.equal(lines[0]?.RowsCreated, 0);
  });

  it('still returns the event when the client rejects with something that is not an Error', async () => {
    const { client } = scriptedClient([() => Promise.reject(null)]);
    const { handler, logs } = handlerOn(client);
    const event = signUpEvent();

    assert.equal(await handler(event, fakeContext()), event);
    assert.equal(logs.records()[0]?.outcome, 'failed');
  });

  it('rejects with TableWriteError when onWriteFailure is reject', async () => {
    const { client } = scriptedClient([
      async () => {
        throw socketError('ECONNRESET');
      },
    ]);
    const handler = createPostConfirmationHandler({
      config: { ...config, onWriteFailure: 'reject' },
      client,
      logger: captureLogs().logger,
      retry: { ...fast, maxAttempts: 2 },
    });
    await assert.rejects(handler(signUpEvent()), (error: unknown) => {
      assert.ok(error instanceof TableWriteError);
      assert.match(error.message, /connection reset \(ECONNRESET\)/);
      return true;
    });
  });

  it('retries resets, 5xx and throttling within one invocation, then writes', async () => {
    const { client, calls } = scriptedClient([
      async () => {
        throw socketError('ECONNRESET');
      },
      async () => {
        throw Object.assign(new Error('boom'), {
          name: 'InternalServerError',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        });
      },
      async () => {
        throw Object.assign(new Error('slow down'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      },
      async () => ({}),
    ]);
    const { handler, logs, lines } = handlerOn(client);
    await handler(signUpEvent(), fakeContext());
    assert.equal(calls(), 4);
    assert.equal(logs.records()[0]?.outcome, 'created');
    assert.equal(logs.records()[0]?.retries, 3);
    assert.equal(lines[0]?.RowsCreated, 1);
    assert.equal(lines[0]?.WriteRetries, 3);
  });

  it('keeps retrying in a warm container: no retry budget is shared across invocations', async () => {
    // Every invocation meets two resets before its write lands: with a retry
    // quota shared by the container (the SDK's default), later invocations
    // would stop retrying; here each one retries on its own terms.
    let call = 0;
    const client = {
      send: async () => {
        call++;
        if (call % 3 !== 0) throw socketError('ECONNRESET');
        return {};
      },
    } as unknown as DynamoDBDocumentClient;
    const { handler, logs } = handlerOn(client);
    for (let i = 0; i < 300; i++) await handler(signUpEvent(), fakeContext());
    const outcomes = logs.records().map((record) => record.outcome);
    assert.equal(outcomes.filter((outcome) => outcome !== 'failed').length, 300);
    assert.equal(call, 900);
  });

  it('reports created-or-present when an answer was lost and the retry finds the row', async () => {
    const { client } = scriptedClient([
      async () => {
        throw socketError('ECONNRESET');
      },
      async () => {
        throw conditionFailed();
      },
    ]);
    const { handler, logs, lines } = handlerOn(client);
    await handler(signUpEvent(), fakeContext());
    assert.equal(logs.records()[0]?.outcome, 'created-or-present');
    assert.equal(lines[0]?.RowsCreatedOrPresent, 1);
    assert.equal(lines[0]?.RowsAlreadyPresent, 0);
  });

  it('reports already-present when a throttled attempt is followed by a failed condition', async () => {
    const { client } = scriptedClient([
      async () => {
        throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      },
      async () => {
        throw conditionFailed();
      },
    ]);
    const { handler, logs } = handlerOn(client);
    await handler(signUpEvent(), fakeContext());
    assert.equal(logs.records()[0]?.outcome, 'already-present');
  });

  it('never retries past the deadline', async () => {
    const { client, calls } = scriptedClient([
      async () => {
        throw socketError('ECONNRESET');
      },
    ]);
    const handler = createPostConfirmationHandler({
      config: { ...config, onWriteFailure: 'reject' },
      client,
      logger: captureLogs().logger,
      deadlineMs: 120,
      retry: { maxAttempts: 1000, baseDelayMs: 40, maxDelayMs: 40 },
    });
    const started = performance.now();
    await assert.rejects(handler(signUpEvent()), TableWriteError);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 120 + 300, `settled after ${Math.round(elapsed)} ms`);
    assert.ok(calls() < 20, `${calls()} attempts`);
  });

  it('skips events of other triggers, even without sub or attributes', async () => {
    const { client, calls } = scriptedClient([async () => ({})]);
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger });
    // Events of other triggers, as a function wired to the wrong trigger would get them.
    const preSignUp = {
      triggerSource: 'PreSignUp_SignUp',
      userName: 'x',
      request: {},
    } as unknown as PostConfirmationTriggerEvent;
    assert.equal(await handler(preSignUp), preSignUp);
    const bare = {
      triggerSource: 'CustomMessage_SignUp',
    } as unknown as PostConfirmationTriggerEvent;
    assert.equal(await handler(bare), bare);
    assert.equal(calls(), 0);
    assert.deepEqual(
      logs.records().map((record) => record.outcome),
      ['skipped', 'skipped'],
    );
  });

  for (const userName of ['jane.doe@example.com', '+15555550100', 'Jane']) {
    it(`logs no e-mail or phone number when the username is "${userName}"`, async () => {
      const logs = captureLogs();
      const answers = [
        async () => ({}),
        async () => {
          throw conditionFailed();
        },
        async () => {
          throw socketError('ECONNRESET');
        },
      ];
      for (const answer of answers) {
        const handler = createPostConfirmationHandler({
          config,
          client: scriptedClient([answer]).client,
          logger: logs.logger,
          retry: { ...fast, maxAttempts: 2 },
        });
        await handler(
          signUpEvent((e) => {
            e.userName = userName;
            e.request.userAttributes.phone_number = '+15555550100';
          }),
          fakeContext(),
        );
      }
      assert.equal(logs.lines.length, 3);
      for (const line of logs.lines) {
        for (const value of [...PII_VALUES, userName]) {
          assert.ok(!line.includes(value), `log line leaks "${value}": ${line}`);
        }
        assert.match(line, /"sub":"[0-9a-f-]{36}"/);
      }
    });
  }
});
