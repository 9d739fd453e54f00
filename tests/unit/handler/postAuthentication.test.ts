import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import type { HandlerConfig } from '../../../src/domain/config.js';
import {
  createPostAuthenticationHandler,
  signInState,
} from '../../../src/handler/postAuthentication.js';
import { fakeContext, signUpEvent } from '../../helpers/fixtures.js';
import { captureLogs, PII_VALUES } from '../../helpers/logs.js';

const config: HandlerConfig = { tableName: 'users', keyAttribute: 'username', logLevel: 'debug' };
const now = () => new Date('2026-11-29T10:00:00.000Z');

function signInEvent(): PostAuthenticationTriggerEvent {
  const event = signUpEvent((event) => {
    event.triggerSource = 'PostAuthentication_Authentication';
  });
  return event as unknown as PostAuthenticationTriggerEvent;
}

function clientOf(
  send: (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>,
) {
  const commands: unknown[] = [];
  const client = {
    send: (command: unknown, options?: { abortSignal?: AbortSignal }) => {
      commands.push(command);
      return send(command, options);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, commands };
}

describe('Function: createPostAuthenticationHandler', () => {
  it('creates the missing row with lastSignInAt and returns the event unchanged', async () => {
    const { client, commands } = clientOf(async (command) =>
      command instanceof GetCommand ? { Item: undefined } : {},
    );
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
    const event = signInEvent();
    assert.equal(await handler(event, fakeContext()), event);
    assert.deepEqual(event, signInEvent());
    // Creates are low-level PutItem calls (see `toAttributeItem`).
    const put = commands.find((command) => command instanceof PutItemCommand) as PutItemCommand;
    assert.deepEqual(put.input.Item?.lastSignInAt, { S: '2026-11-29T10:00:00.000Z' });
    assert.deepEqual(put.input.Item?.source, { S: 'PostAuthentication_Authentication' });
    assert.equal(put.input.ConditionExpression, 'attribute_not_exists(#key)');
    assert.equal(logs.records().at(-1)?.outcome, 'created');
  });

  it('updates an existing row with SET of managed fields only (UpdateItem, never a put)', async () => {
    const event = signInEvent();
    const sub = event.request.userAttributes.sub;
    const { client, commands } = clientOf(async (command) =>
      command instanceof GetCommand
        ? { Item: { username: event.userName, sub, plan: 'pro', attributes: {} } }
        : {},
    );
    const handler = createPostAuthenticationHandler({
      config,
      client,
      logger: captureLogs().logger,
      now,
    });
    await handler(event, fakeContext());
    assert.equal(
      commands.some((command) => command instanceof PutCommand),
      false,
    );
    const update = commands.find((command) => command instanceof UpdateCommand) as UpdateCommand;
    const names = Object.values(update.input.ExpressionAttributeNames ?? {});
    assert.ok(names.includes('lastSignInAt'));
    assert.equal(names.includes('plan'), false);
    assert.match(update.input.ConditionExpression ?? '', /#sub = :expectSub/);
  });

  it('returns the event when the write fails, logging the failure without PII', async () => {
    const { client } = clientOf(async () => {
      throw Object.assign(new Error('boom'), { name: 'InternalServerError' });
    });
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
    const event = signInEvent();
    assert.equal(await handler(event, fakeContext()), event);
    const last = logs.records().at(-1);
    assert.equal(last?.outcome, 'failed');
    for (const value of PII_VALUES) assert.equal(logs.lines.join('\n').includes(value), false);
  });

  it('returns the event at the deadline when DynamoDB never answers', async () => {
    const { client } = clientOf(
      (_command, options) =>
        new Promise((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          );
        }),
    );
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({
      config,
      client,
      logger: logs.logger,
      now,
      deadlineMs: 50,
    });
    const event = signInEvent();
    assert.equal(await handler(event, fakeContext()), event);
    assert.equal(logs.records().at(-1)?.outcome, 'failed');
  });

  it('returns a malformed event as it came, logging it as rejected', async () => {
    const { client, commands } = clientOf(async () => ({}));
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
    const event = {
      triggerSource: 'PostAuthentication_Authentication',
    } as unknown as PostAuthenticationTriggerEvent;
    assert.equal(await handler(event), event);
    assert.equal(commands.length, 0);
    assert.equal(logs.records().at(-1)?.outcome, 'rejected');
  });

  it('writes nothing for another trigger source', async () => {
    const { client, commands } = clientOf(async () => ({}));
    const handler = createPostAuthenticationHandler({
      config,
      client,
      logger: captureLogs().logger,
      now,
    });
    // A confirmation event, as a function wired to the wrong trigger would get it.
    await handler(signUpEvent() as unknown as PostAuthenticationTriggerEvent);
    assert.equal(commands.length, 0);
  });
});

describe('Function: signInState', () => {
  it('reads the status from cognito:user_status and marks the user enabled, without a version', () => {
    const state = signInState({
      triggerSource: 'PostAuthentication_Authentication',
      userName: 'u',
      userPoolId: 'p',
      userAttributes: { sub: 's', 'cognito:user_status': 'EXTERNAL_PROVIDER' },
    });
    assert.equal(state.status, 'EXTERNAL_PROVIDER');
    assert.equal(state.enabled, true);
    assert.equal(state.lastModifiedAt, undefined);
  });
});

describe('Function: createPostAuthenticationHandler, context, retries and deadline', () => {
  const throttled = () =>
    Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });

  for (const [what, context] of [
    ['a bare {} context', {}],
    [
      'a getRemainingTimeInMillis that throws',
      { getRemainingTimeInMillis: () => assert.fail('no clock') },
    ],
    [
      'a getRemainingTimeInMillis that returns no number',
      { getRemainingTimeInMillis: () => 'soon' },
    ],
  ] as const) {
    it(`with ${what}, uses the default deadline and records the sign-in`, async () => {
      const { client, commands } = clientOf(async (command) =>
        command instanceof GetCommand ? { Item: undefined } : {},
      );
      const logs = captureLogs();
      const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
      const event = signInEvent();
      assert.equal(await handler(event, context as never), event);
      assert.ok(commands.some((command) => command instanceof PutItemCommand));
      assert.equal(logs.records().at(-1)?.outcome, 'created');
    });
  }

  it('retries a throttled call within the invocation, on its own', async () => {
    let gets = 0;
    const { client } = clientOf(async (command) => {
      if (command instanceof GetCommand) {
        gets++;
        if (gets < 3) throw throttled();
        return { Item: undefined };
      }
      return {};
    });
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({
      config,
      client,
      logger: logs.logger,
      now,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    await handler(signInEvent(), fakeContext());
    assert.equal(gets, 3);
    assert.equal(logs.records().at(-1)?.outcome, 'created');
  });

  it('stops retrying at the deadline and lets the sign-in go on', async () => {
    const { client, commands } = clientOf(async () => {
      throw throttled();
    });
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({
      config,
      client,
      logger: logs.logger,
      now,
      deadlineMs: 200,
      retry: { maxAttempts: 1000, baseDelayMs: 20, maxDelayMs: 20 },
    });
    const started = Date.now();
    const event = signInEvent();
    assert.equal(await handler(event, {} as never), event);
    assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
    assert.ok(commands.length > 1 && commands.length < 100, `${commands.length} calls`);
    assert.equal(logs.records().at(-1)?.outcome, 'failed');
  });
});
