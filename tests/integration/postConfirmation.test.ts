import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import type { HandlerConfig } from '../../src/domain/config.js';
import { TableWriteError } from '../../src/shared/errors.js';
import { createPostConfirmationHandler } from '../../src/sync/handler/postConfirmation.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import {
  expectedSignUpRow,
  signUpEvent,
  signUpEventFor,
  type TestEvent,
} from '../helpers/fixtures.js';
import { closedPort, startHangingServer } from '../helpers/hangingServer.js';
import { captureLogs, PII_VALUES } from '../helpers/logs.js';

const config: HandlerConfig = {
  tableName: 'users',
  keyAttribute: 'username',
  logLevel: 'debug',
  onWriteFailure: 'reject',
};

describe('Integration: post confirmation handler against dynalite', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;

  before(async () => {
    dynalite = await startDynalite();
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint });
  });
  after(async () => {
    client.destroy();
    await dynalite.close();
  });
  beforeEach(async () => {
    await dynalite.client
      .send(new DeleteTableCommand({ TableName: 'users' }))
      .catch(() => undefined);
    await ensureUserTable(dynalite.client, { tableName: 'users', keyAttribute: 'username' });
  });

  const getRow = async (username: string) =>
    (await client.send(new GetCommand({ TableName: 'users', Key: { username } }))).Item;
  const countRows = async () =>
    (await client.send(new ScanCommand({ TableName: 'users', Select: 'COUNT' }))).Count;
  const handlerAt = (iso: string, logs = captureLogs(), handlerConfig = config) =>
    createPostConfirmationHandler({
      config: handlerConfig,
      client,
      logger: logs.logger,
      now: () => new Date(iso),
    });

  it('creates the row on ConfirmSignUp and returns the event unchanged', async () => {
    const event = signUpEvent();
    const result = await handlerAt('2026-11-28T10:00:00.000Z')(event);
    assert.deepEqual(result, signUpEvent());
    assert.deepEqual(await getRow(event.userName), expectedSignUpRow());
  });

  it('creates the row once when Cognito retries, keeping the first createdAt', async () => {
    const logs = captureLogs();
    await handlerAt('2026-11-28T10:00:00.000Z', logs)(signUpEvent());
    await handlerAt('2026-11-28T10:00:03.000Z', logs)(signUpEvent());
    const row = await getRow(signUpEvent().userName);
    assert.equal(row?.createdAt, '2026-11-28T10:00:00.000Z');
    assert.equal(await countRows(), 1);
    assert.deepEqual(
      logs.records().map((record) => record.outcome),
      ['created', 'already-present'],
    );
  });

  it('writes one row when three identical events arrive concurrently', async () => {
    const logs = captureLogs();
    const handler = handlerAt('2026-11-28T10:00:00.000Z', logs);
    const results = await Promise.all([1, 2, 3].map(() => handler(signUpEvent())));
    assert.equal(results.length, 3);
    assert.equal(await countRows(), 1);
    const outcomes = logs
      .records()
      .map((record) => record.outcome)
      .sort();
    assert.deepEqual(outcomes, ['already-present', 'already-present', 'created']);
  });

  it('leaves an edited row untouched on ConfirmForgotPassword', async () => {
    const event = signUpEvent();
    await handlerAt('2026-11-28T10:00:00.000Z')(event);
    await client.send(
      new UpdateCommand({
        TableName: 'users',
        Key: { username: event.userName },
        UpdateExpression: 'SET displayName = :d, email = :e',
        ExpressionAttributeValues: { ':d': 'Janie', ':e': 'new@example.org' },
      }),
    );
    const before = await getRow(event.userName);
    const reset = signUpEvent((e) => {
      e.triggerSource = 'PostConfirmation_ConfirmForgotPassword';
    });
    assert.deepEqual(await handlerAt('2026-12-01T00:00:00.000Z')(reset), reset);
    assert.deepEqual(await getRow(event.userName), before);
    assert.equal(before?.displayName, 'Janie');
  });

  it('heals a missing row on ConfirmForgotPassword', async () => {
    const reset = signUpEvent((e) => {
      e.triggerSource = 'PostConfirmation_ConfirmForgotPassword';
    });
    await handlerAt('2026-12-01T00:00:00.000Z')(reset);
    const row = await getRow(reset.userName);
    assert.equal(row?.source, 'PostConfirmation_ConfirmForgotPassword');
    assert.equal(row?.createdAt, '2026-12-01T00:00:00.000Z');
  });

  it('writes nothing for another trigger source', async () => {
    const logs = captureLogs();
    const event = signUpEvent((e) => {
      e.triggerSource = 'PostConfirmation_SomethingNew';
    });
    assert.deepEqual(await handlerAt('2026-11-28T10:00:00.000Z', logs)(event), event);
    assert.equal(await countRows(), 0);
    assert.equal(logs.records()[0]?.outcome, 'skipped');
  });

  const malformed: [string, (e: TestEvent) => void, RegExp][] = [
    ['userName is missing', (e) => delete (e as Partial<typeof e>).userName, /userName is missing/],
    [
      'userName is empty',
      (e) => {
        e.userName = '';
      },
      /userName is an empty string/,
    ],
    [
      'userAttributes is missing',
      (e) => delete (e.request as Partial<typeof e.request>).userAttributes,
      /request\.userAttributes is missing/,
    ],
    [
      'userAttributes is not an object',
      (e) => {
        (e.request as { userAttributes: unknown }).userAttributes = ['x'];
      },
      /request\.userAttributes is an array/,
    ],
    [
      'sub is missing',
      (e) => delete e.request.userAttributes.sub,
      /request\.userAttributes\.sub is missing/,
    ],
  ];
  for (const [name, patch, message] of malformed) {
    it(`rejects and writes nothing when ${name}`, async () => {
      await assert.rejects(handlerAt('2026-11-28T10:00:00.000Z')(signUpEvent(patch)), message);
      assert.equal(await countRows(), 0);
    });
  }

  it('writes a phone-only user without email', async () => {
    const event = signUpEvent((e) => {
      delete e.request.userAttributes.email;
      delete e.request.userAttributes.email_verified;
      delete e.request.userAttributes['cognito:email_alias'];
      e.request.userAttributes.phone_number = '+15555550100';
    });
    await handlerAt('2026-11-28T10:00:00.000Z')(event);
    const row = await getRow(event.userName);
    assert.ok(row);
    assert.equal('email' in row, false);
    assert.equal('emailVerified' in row, false);
    assert.equal(row.attributes.phone_number, '+15555550100');
  });

  it('uses a custom key attribute and attribute allowlist', async () => {
    await ensureUserTable(dynalite.client, { tableName: 'users-pk', keyAttribute: 'pk' });
    const handler = handlerAt('2026-11-28T10:00:00.000Z', captureLogs(), {
      ...config,
      tableName: 'users-pk',
      keyAttribute: 'pk',
      userAttributes: ['given_name'],
    });
    const event = signUpEventFor('user-42');
    await handler(event);
    await handler(event);
    const { Items } = await client.send(new ScanCommand({ TableName: 'users-pk' }));
    assert.equal(Items?.length, 1);
    assert.equal(Items?.[0]?.pk, 'user-42');
    assert.deepEqual(Items?.[0]?.attributes, { given_name: 'Jane' });
  });

  it('logs one line per invocation with no attribute values', async () => {
    const logs = captureLogs();
    const event = signUpEvent((e) => {
      e.request.userAttributes.phone_number = '+15555550100';
    });
    await handlerAt('2026-11-28T10:00:00.000Z', logs)(event);
    await handlerAt('2026-11-28T10:00:00.000Z', logs)(event);
    assert.equal(logs.lines.length, 2);
    for (const line of logs.lines) {
      for (const value of PII_VALUES) assert.ok(!line.includes(value), `leaks "${value}": ${line}`);
    }
  });
});

describe('Integration: post confirmation handler when DynamoDB misbehaves', () => {
  const budgetMs = 4500;

  async function assertSettlesInBudget(endpoint: string, reason: RegExp): Promise<void> {
    const client = createDynamoDocumentClient({ endpoint });
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({ config, client, logger: logs.logger });
    const started = performance.now();
    try {
      await assert.rejects(handler(signUpEvent()), (error: unknown) => {
        assert.ok(error instanceof TableWriteError, `a TableWriteError, got ${String(error)}`);
        assert.match(error.message, /could not write the user's row to table "users"/);
        assert.match(error.message, reason);
        return true;
      });
      const elapsed = performance.now() - started;
      assert.ok(elapsed < budgetMs, `settled after ${Math.round(elapsed)} ms`);
      assert.equal(logs.records()[0]?.outcome, 'failed');
    } finally {
      client.destroy();
    }
  }

  it('rejects within 4.5 s when the endpoint refuses connections', async () => {
    await assertSettlesInBudget(`http://127.0.0.1:${await closedPort()}`, /ECONNREFUSED/);
  });

  it('rejects within 4.5 s when the endpoint accepts and never answers', async () => {
    const server = await startHangingServer();
    try {
      await assertSettlesInBudget(server.endpoint, /deadline|timeout|within/i);
    } finally {
      await server.close();
    }
  });
});
