import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { ConfigError, RowMappingError } from '../../../src/shared/errors.js';
import { withUserSync } from '../../../src/sync/handler/withUserSync.js';
import { fakeContext, signUpEvent } from '../../helpers/fixtures.js';
import { captureLogs } from '../../helpers/logs.js';

const ENV = { TABLE_NAME: 'users', LOG_LEVEL: 'debug' };
const FAST_RETRY = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

/** A client whose every call is recorded and answered by `send`, in order with the user's code. */
function fakeClient(steps: string[], send: () => Promise<unknown> = async () => ({})) {
  const calls: Record<string, unknown>[] = [];
  const client = {
    send: (command: { input: Record<string, unknown> }) => {
      calls.push(command.input);
      steps.push('write');
      return send();
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}

function failure(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

describe('Function: withUserSync', () => {
  it('writes the row first, then runs the handler with the same event and context, and returns its result', async () => {
    const steps: string[] = [];
    const { client, calls } = fakeClient(steps);
    const logs = captureLogs();
    const seen: unknown[] = [];
    const handler = withUserSync(
      async (event: PostConfirmationTriggerEvent, context: unknown) => {
        steps.push('handler');
        seen.push(event, context);
        return { ...event, response: { handled: true } };
      },
      { env: ENV, client, logger: logs.logger },
    );
    const event = signUpEvent();
    const context = fakeContext();

    const result = await handler(event, context);

    assert.deepEqual(steps, ['write', 'handler']);
    assert.equal(seen[0], event);
    assert.equal(seen[1], context);
    assert.deepEqual(result.response, { handled: true });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.TableName, 'users');
    assert.equal(logs.records()[0]?.outcome, 'created');
  });

  it('runs the handler when the write fails (ON_WRITE_FAILURE continue, the default), logging the failure', async () => {
    const steps: string[] = [];
    const { client } = fakeClient(steps, async () => {
      throw failure('ResourceNotFoundException');
    });
    const logs = captureLogs();
    const handler = withUserSync(
      async (event: PostConfirmationTriggerEvent) => {
        steps.push('handler');
        return event;
      },
      { env: ENV, client, logger: logs.logger, retry: FAST_RETRY },
    );
    const event = signUpEvent();

    assert.equal(await handler(event, fakeContext()), event);

    assert.deepEqual(steps, ['write', 'handler']);
    const [record] = logs.records();
    assert.equal(record?.level, 'error');
    assert.equal(record?.outcome, 'failed');
  });

  it('runs the handler when the write never answers, once the deadline has passed', async () => {
    const steps: string[] = [];
    const { client } = fakeClient(steps, () => new Promise(() => undefined));
    const logs = captureLogs();
    const handler = withUserSync(
      async (event: PostConfirmationTriggerEvent) => {
        steps.push('handler');
        return event;
      },
      { env: ENV, client, logger: logs.logger, deadlineMs: 100, retry: FAST_RETRY },
    );
    const started = performance.now();

    await handler(signUpEvent(), fakeContext());

    assert.deepEqual(steps, ['write', 'handler']);
    assert.ok(performance.now() - started < 2000);
    assert.equal(logs.records()[0]?.outcome, 'failed');
  });

  it('runs the handler on an event the sync cannot read, unless ON_WRITE_FAILURE is reject', async () => {
    const steps: string[] = [];
    const { client } = fakeClient(steps);
    const logs = captureLogs();
    const user = async (event: PostConfirmationTriggerEvent) => {
      steps.push('handler');
      return event;
    };
    const malformed = signUpEvent((event) => {
      (event as { userName: unknown }).userName = 42;
    });

    await withUserSync(user, { env: ENV, client, logger: logs.logger })(malformed, fakeContext());
    const rejecting = withUserSync(user, {
      env: { ...ENV, ON_WRITE_FAILURE: 'reject' },
      client,
      logger: logs.logger,
    });

    assert.deepEqual(steps, ['handler']);
    await assert.rejects(rejecting(malformed, fakeContext()));
    assert.deepEqual(steps, ['handler'], 'reject fails the invocation before the handler');
  });

  it('with ON_WRITE_FAILURE reject, fails the invocation before the handler when the write fails', async () => {
    const steps: string[] = [];
    const { client } = fakeClient(steps, async () => {
      throw failure('ResourceNotFoundException');
    });
    const handler = withUserSync(
      async (event: PostConfirmationTriggerEvent) => {
        steps.push('handler');
        return event;
      },
      {
        env: { ...ENV, ON_WRITE_FAILURE: 'reject' },
        client,
        logger: captureLogs().logger,
        retry: FAST_RETRY,
      },
    );

    await assert.rejects(handler(signUpEvent(), fakeContext()), /ResourceNotFoundException/);
    assert.deepEqual(steps, ['write']);
  });

  it("returns the handler's own error as is", async () => {
    const { client } = fakeClient([]);
    const handler = withUserSync(
      async () => {
        throw new Error('welcome e-mail failed');
      },
      { env: ENV, client, logger: captureLogs().logger },
    );

    await assert.rejects(handler(signUpEvent(), fakeContext()), /welcome e-mail failed/);
  });

  it('writes nothing for another trigger source and still runs the handler', async () => {
    const steps: string[] = [];
    const { client, calls } = fakeClient(steps);
    const handler = withUserSync(
      async (event: PostConfirmationTriggerEvent) => {
        steps.push('handler');
        return event;
      },
      { env: ENV, client, logger: captureLogs().logger },
    );
    const event = signUpEvent((e) => {
      (e as { triggerSource: string }).triggerSource = 'PostConfirmation_ConfirmForgotPassword';
    });
    const other = { ...event, triggerSource: 'PreSignUp_SignUp' } as unknown as typeof event;

    await handler(other, fakeContext());

    assert.deepEqual(steps, ['handler']);
    assert.equal(calls.length, 0);
  });

  it('reads its configuration at once, naming a missing variable or a bad ROW_MAPPING', () => {
    const user = async (event: PostConfirmationTriggerEvent) => event;

    assert.throws(
      () => withUserSync(user, { env: {}, client: fakeClient([]).client }),
      (error: unknown) =>
        error instanceof ConfigError && /TABLE_NAME is required/.test(error.message),
    );
    assert.throws(
      () =>
        withUserSync(user, {
          env: { ...ENV, ROW_MAPPING: '{"fields":{"email":3}}' },
          client: fakeClient([]).client,
        }),
      (error: unknown) =>
        error instanceof RowMappingError &&
        /ROW_MAPPING is invalid: fields\.email: expected a string or false, got 3/.test(
          error.message,
        ),
    );
    assert.throws(
      () =>
        withUserSync(user, {
          env: {
            ...ENV,
            KEY_ATTRIBUTE: 'id',
            ROW_MAPPING: '{"key":{"attribute":"pk","template":"{sub}"}}',
          },
          client: fakeClient([]).client,
        }),
      /ROW_MAPPING: key\.attribute: names key attribute "pk", but the keyAttribute setting is "id"/,
    );
  });

  it('accepts the ROW_MAPPING the construct sets, with its KEY_ATTRIBUTE', () => {
    const user = async (event: PostConfirmationTriggerEvent) => event;

    assert.equal(
      typeof withUserSync(user, {
        env: {
          ...ENV,
          KEY_ATTRIBUTE: 'pk',
          ROW_MAPPING: JSON.stringify({
            key: { attribute: 'pk', template: 'USER#{sub}' },
            sortKey: { attribute: 'sk', template: 'PROFILE' },
          }),
        },
        client: fakeClient([]).client,
      }),
      'function',
    );
  });
});
