import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import type { HandlerConfig } from '../../../src/domain/config.js';
import { createPostAuthenticationHandler } from '../../../src/sync/handler/postAuthentication.js';
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
  it('creates the missing row with lastSignInAt in one UpdateItem and returns the event unchanged', async () => {
    const { client, commands } = clientOf(async () => ({}));
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
    const event = signInEvent();
    assert.equal(await handler(event, fakeContext()), event);
    assert.deepEqual(event, signInEvent());
    assert.equal(commands.length, 1, 'one round trip');
    const update = commands[0] as UpdateItemCommand;
    assert.ok(update instanceof UpdateItemCommand);
    const values = update.input.ExpressionAttributeValues ?? {};
    const writtenValue = (field: string) => {
      const alias = Object.entries(update.input.ExpressionAttributeNames ?? {}).find(
        ([, name]) => name === field,
      )?.[0];
      const placeholder = new RegExp(`${alias} = (?:if_not_exists\\(${alias}, )?(:v\\d+)`).exec(
        update.input.UpdateExpression ?? '',
      )?.[1];
      return placeholder ? values[placeholder] : undefined;
    };
    assert.deepEqual(writtenValue('lastSignInAt'), { S: '2026-11-29T10:00:00.000Z' });
    assert.deepEqual(writtenValue('source'), { S: 'PostAuthentication_Authentication' });
    assert.match(update.input.UpdateExpression ?? '', /if_not_exists/);
    assert.equal(logs.records().at(-1)?.outcome, 'created');
  });

  it('updates an existing row with SET of managed fields only (UpdateItem, never a put)', async () => {
    const event = signInEvent();
    const sub = event.request.userAttributes.sub;
    const { client, commands } = clientOf(async () => ({
      Attributes: { username: { S: event.userName }, sub: { S: sub }, plan: { S: 'pro' } },
    }));
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
    await handler(event, fakeContext());
    assert.equal(
      commands.some((command) => command instanceof PutItemCommand),
      false,
    );
    assert.equal(commands.length, 1);
    const update = commands[0] as UpdateItemCommand;
    const names = Object.values(update.input.ExpressionAttributeNames ?? {});
    assert.ok(names.includes('lastSignInAt'));
    assert.equal(names.includes('plan'), false);
    assert.match(update.input.ConditionExpression ?? '', /#sub = :sub/);
    assert.equal(logs.records().at(-1)?.outcome, 'updated');
  });

  it('leaves a row of another sub alone in one round trip when DynamoDB returns the row', async () => {
    const { client, commands } = clientOf(async () => {
      throw Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
        Item: { username: { S: 'jane' }, sub: { S: 'another-sub' } },
      });
    });
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
    await handler(signInEvent(), fakeContext());
    assert.equal(commands.length, 1);
    assert.equal(logs.records().at(-1)?.outcome, 'username-reused');
  });

  it('reads the row when a failed condition comes without it, then records lastSignInAt alone on a newer row', async () => {
    const event = signInEvent();
    const sub = event.request.userAttributes.sub;
    const { client, commands } = clientOf(async (command) => {
      if (command instanceof GetCommand) {
        return {
          Item: { username: event.userName, sub, userLastModifiedAt: '2027-01-01T00:00:00.000Z' },
        };
      }
      if (commands.length === 1) {
        throw Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });
      }
      return {};
    });
    const logs = captureLogs();
    const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
    await handler(event, fakeContext());
    assert.deepEqual(
      commands.map((command) => (command as object).constructor.name),
      ['UpdateItemCommand', 'GetCommand', 'UpdateItemCommand'],
    );
    assert.equal(
      (commands[2] as UpdateItemCommand).input.UpdateExpression,
      'SET #lastSignInAt = :signedInAt',
    );
    assert.equal(logs.records().at(-1)?.outcome, 'signed-in');
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
      // No row before: the one UpdateItem creates it (no old attributes come back).
      const { client, commands } = clientOf(async () => ({}));
      const logs = captureLogs();
      const handler = createPostAuthenticationHandler({ config, client, logger: logs.logger, now });
      const event = signInEvent();
      assert.equal(await handler(event, context as never), event);
      assert.ok(commands.some((command) => command instanceof UpdateItemCommand));
      assert.equal(logs.records().at(-1)?.outcome, 'created');
    });
  }

  it('retries a throttled call within the invocation, on its own', async () => {
    let updates = 0;
    const { client } = clientOf(async (command) => {
      if (command instanceof UpdateItemCommand) {
        updates++;
        if (updates < 3) throw throttled();
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
    assert.equal(updates, 3);
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
