import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { HandlerConfig } from '../../../src/domain/config.js';
import { decideConverge } from '../../../src/domain/converge.js';
import { InvalidEventError, TableWriteError } from '../../../src/shared/errors.js';
import { createPostConfirmationHandler } from '../../../src/sync/handler/postConfirmation.js';
import { expectedSignUpRow, fakeContext, signUpEvent } from '../../helpers/fixtures.js';
import { captureLogs, PII_VALUES } from '../../helpers/logs.js';

// `reject` keeps failures visible as rejections in these tests; the default
// (`continue`) has its own tests below.
const config: HandlerConfig = {
  tableName: 'users',
  keyAttribute: 'username',
  logLevel: 'debug',
  onWriteFailure: 'reject',
};
const now = () => new Date('2026-11-28T10:00:00.000Z');

type Send = (
  command: { input: Record<string, unknown> },
  options?: { abortSignal?: AbortSignal },
) => Promise<unknown>;

function fakeClient(send: Send): {
  client: DynamoDBDocumentClient;
  calls: Record<string, unknown>[];
} {
  const calls: Record<string, unknown>[] = [];
  const client = {
    send: (
      command: { input: Record<string, unknown> },
      options?: { abortSignal?: AbortSignal },
    ) => {
      calls.push(command.input);
      return send(command, options);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}

function conditionFailed(): Error {
  const error = new Error('The conditional request failed');
  error.name = 'ConditionalCheckFailedException';
  return error;
}

describe('Function: createPostConfirmationHandler', () => {
  it('writes the mapped row with a key condition and returns the same event', async () => {
    const { client, calls } = fakeClient(async () => ({}));
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger, now });
    const event = signUpEvent();
    const result = await handler(event, fakeContext());
    assert.equal(result, event, 'returns the very event it received');
    assert.deepEqual(event, signUpEvent(), 'leaves the event unchanged');
    assert.equal(calls.length, 1);
    const { Item, ...rest } = calls[0] as { Item: Parameters<typeof unmarshall>[0] };
    assert.deepEqual(rest, {
      TableName: 'users',
      ConditionExpression: 'attribute_not_exists(#key)',
      ExpressionAttributeNames: { '#key': 'username' },
    });
    assert.deepEqual(unmarshall(Item), expectedSignUpRow());
    const [record] = logs.records();
    assert.equal(logs.lines.length, 1, 'one log line per invocation');
    assert.equal(record?.outcome, 'created');
    assert.equal(record?.username, event.userName, 'a UUID username is logged as is');
    assert.equal(record?.sub, event.request.userAttributes.sub);
    assert.equal(record?.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(typeof record?.durationMs, 'number');
  });

  it('writes the row converge would write for the confirmed user (enabled, status)', async () => {
    const { client, calls } = fakeClient(async () => ({}));
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger, now });
    const event = signUpEvent((e) => {
      e.request.userAttributes['cognito:user_status'] = 'EXTERNAL_PROVIDER';
    });
    await handler(event, fakeContext());
    const written = unmarshall((calls[0] as { Item: Parameters<typeof unmarshall>[0] }).Item);
    const decision = decideConverge({
      row: undefined,
      user: {
        username: event.userName,
        userPoolId: event.userPoolId,
        attributes: event.request.userAttributes,
        enabled: true,
        status: 'EXTERNAL_PROVIDER',
      },
      mapping: config,
      now: now(),
      source: event.triggerSource,
    });
    assert.equal(decision.kind, 'create');
    assert.deepEqual(written, decision.kind === 'create' ? { ...decision.row } : undefined);
    assert.equal(written.enabled, true, 'a user who just confirmed is enabled');
    assert.equal(written.status, 'EXTERNAL_PROVIDER', "the status is the event's");
    assert.equal(written.userLastModifiedAt, undefined, 'the event carries no version');
  });

  it('treats a failed condition as success (already-present)', async () => {
    const { client } = fakeClient(async () => {
      throw conditionFailed();
    });
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger });
    const event = signUpEvent((e) => {
      e.triggerSource = 'PostConfirmation_ConfirmForgotPassword';
    });
    assert.equal(await handler(event), event);
    assert.equal(logs.records()[0]?.outcome, 'already-present');
  });

  it('skips other trigger sources without writing', async () => {
    const { client, calls } = fakeClient(async () => ({}));
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger });
    const event = signUpEvent((e) => {
      e.triggerSource = 'PostAuthentication_Authentication';
    });
    assert.equal(await handler(event), event);
    assert.equal(calls.length, 0);
    assert.equal(logs.records()[0]?.outcome, 'skipped');
  });

  it('rejects a malformed event with InvalidEventError and writes nothing', async () => {
    const { client, calls } = fakeClient(async () => ({}));
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger });
    await assert.rejects(
      handler(signUpEvent((e) => delete e.request.userAttributes.sub)),
      (error: unknown) =>
        error instanceof InvalidEventError &&
        /request\.userAttributes\.sub is missing/.test(error.message),
    );
    assert.equal(calls.length, 0);
    assert.equal(logs.records()[0]?.outcome, 'rejected');
  });

  it('rejects with TableWriteError naming the table and the cause when the write fails', async () => {
    const { client } = fakeClient(async () => {
      const error = new Error('Requested resource not found');
      error.name = 'ResourceNotFoundException';
      throw error;
    });
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger });
    await assert.rejects(handler(signUpEvent()), (error: unknown) => {
      assert.ok(error instanceof TableWriteError);
      assert.match(
        error.message,
        /table "users": ResourceNotFoundException: Requested resource not found/,
      );
      return true;
    });
    assert.equal(logs.records()[0]?.outcome, 'failed');
  });

  it('aborts the write at the deadline', async () => {
    let aborted = false;
    const { client } = fakeClient(
      (_command, options) =>
        new Promise((_, reject) => {
          options?.abortSignal?.addEventListener('abort', () => {
            aborted = true;
            const error = new Error('Request aborted');
            error.name = 'AbortError';
            reject(error);
          });
        }),
    );
    const handler = createPostConfirmationHandler({
      config,
      client,
      logger: captureLogs().logger,
      deadlineMs: 50,
    });
    await assert.rejects(handler(signUpEvent()), /deadline passed before DynamoDB answered/);
    assert.ok(aborted, 'the abort signal fired');
  });

  it('rejects even when the client ignores the abort signal', async () => {
    const { client } = fakeClient(() => new Promise(() => {}));
    const handler = createPostConfirmationHandler({
      config,
      client,
      logger: captureLogs().logger,
      deadlineMs: 50,
    });
    const started = Date.now();
    await assert.rejects(handler(signUpEvent()), /no answer from DynamoDB within 50 ms/);
    assert.ok(Date.now() - started < 1000);
  });

  it('shortens the deadline to the time Lambda has left', async () => {
    const { client } = fakeClient(() => new Promise(() => {}));
    const handler = createPostConfirmationHandler({ config, client, logger: captureLogs().logger });
    await assert.rejects(
      handler(signUpEvent(), { getRemainingTimeInMillis: () => 450 }),
      /within 150 ms/,
    );
  });

  it('never logs attribute values, whatever the outcome', async () => {
    const logs = captureLogs();
    const outcomes: Send[] = [
      async () => ({}),
      async () => {
        throw conditionFailed();
      },
      async () => {
        throw new Error('boom');
      },
    ];
    for (const send of outcomes) {
      const { client } = fakeClient(send);
      const handler = createPostConfirmationHandler({ config, client, logger: logs.logger });
      const event = signUpEvent((e) => {
        e.request.userAttributes.phone_number = '+15555550100';
      });
      await handler(event).catch(() => undefined);
      await handler(signUpEvent((e) => delete e.request.userAttributes.sub)).catch(() => undefined);
    }
    assert.equal(logs.lines.length, 6);
    for (const line of logs.lines) {
      for (const value of PII_VALUES)
        assert.ok(!line.includes(value), `log line leaks "${value}": ${line}`);
    }
  });
});
