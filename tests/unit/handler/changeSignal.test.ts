import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangeSignalConfig } from '../../../src/domain/changeSignalConfig.js';
import { readChangeSignalConfig } from '../../../src/domain/changeSignalConfig.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/index.js';
import { createChangeSignalHandler } from '../../../src/sync/handler/changeSignal.js';
import { captureLogs, PII_VALUES } from '../../helpers/logs.js';

const config: ChangeSignalConfig = {
  tableName: 'users',
  keyAttribute: 'username',
  logLevel: 'debug',
  userPoolId: 'us-east-1_Pool1',
  onDeleted: 'mark',
  subIndexName: undefined,
};

function event(userPoolId: string, username = 'jane') {
  return {
    source: 'aws.cognito-idp',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventSource: 'cognito-idp.amazonaws.com',
      eventName: 'AdminDisableUser',
      requestParameters: { userPoolId, username },
    },
  };
}

describe('Function: createChangeSignalHandler', () => {
  it('converges the named user from what Cognito says, not from the event', async () => {
    const cognitoCalls: unknown[] = [];
    const cognito = {
      send: async (command: unknown) => {
        cognitoCalls.push(command);
        assert.ok(command instanceof AdminGetUserCommand);
        return {
          Username: 'jane',
          UserAttributes: [{ Name: 'sub', Value: 's-1' }],
          Enabled: false,
          UserStatus: 'CONFIRMED',
          UserLastModifiedDate: new Date('2026-11-29T10:00:00.000Z'),
        };
      },
    };
    const writes: UpdateCommand[] = [];
    const client = {
      send: async (command: unknown) => {
        if (command instanceof GetCommand) {
          return { Item: { username: 'jane', sub: 's-1', enabled: true, attributes: {} } };
        }
        if (command instanceof UpdateCommand) writes.push(command);
        return {};
      },
    } as unknown as DynamoDBDocumentClient;
    const logs = captureLogs();
    const handler = createChangeSignalHandler({ config, cognito, client, logger: logs.logger });
    const result = await handler(event('us-east-1_Pool1'));
    assert.deepEqual(result, { status: 'converged', rows: [{ key: 'jane', outcome: 'updated' }] });
    assert.equal(cognitoCalls.length, 1);
    assert.equal(writes[0]?.input.ExpressionAttributeValues?.[':s0'] !== undefined, true);
    assert.equal(logs.records().at(-1)?.outcome, 'updated');
  });

  it('ignores the calls of another pool without calling Cognito', async () => {
    const cognito = {
      send: async () => assert.fail('Cognito must not be called'),
    };
    const client = {
      send: async () => assert.fail('DynamoDB must not be called'),
    } as unknown as DynamoDBDocumentClient;
    const handler = createChangeSignalHandler({
      config,
      cognito,
      client,
      logger: captureLogs().logger,
    });
    assert.deepEqual(await handler(event('us-east-1_Other')), {
      status: 'ignored',
      reason: 'the call is about another user pool',
      rows: [],
    });
  });

  it('logs and counts a signal nothing identifies as unresolved, never naming the user', async () => {
    const cognito = {
      send: async () => {
        throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
      },
    };
    const client = {
      send: async (command: unknown) => (command instanceof GetCommand ? {} : { Items: [] }),
    } as unknown as DynamoDBDocumentClient;
    const logs = captureLogs();
    const lines: Record<string, number>[] = [];
    const handler = createChangeSignalHandler({
      config,
      cognito,
      client,
      logger: logs.logger,
      metrics: { emit: (values) => lines.push({ ...values }) },
    });
    const result = await handler(event('us-east-1_Pool1', 'jane.doe@example.com'));
    assert.deepEqual(result, {
      status: 'converged',
      rows: [{ key: undefined, outcome: 'unresolved' }],
    });
    const record = logs.records().at(-1);
    assert.equal(record?.message, 'change signal unresolved');
    assert.equal(record?.level, 'warn');
    for (const value of PII_VALUES) assert.equal(logs.lines.join('').includes(value), false);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.UnresolvedSignals, 1);
    // A deletion of nobody is not a miss: the user is gone.
    const deletion = event('us-east-1_Pool1', 'jane.doe@example.com');
    deletion.detail.eventName = 'AdminDeleteUser';
    assert.deepEqual((await handler(deletion)).rows, [{ key: undefined, outcome: 'no-row' }]);
    assert.equal(lines[1]?.UnresolvedSignals, 0);
  });

  it('rethrows a Cognito failure so that the event is retried', async () => {
    const cognito = {
      send: async () => {
        throw Object.assign(new Error('rate exceeded'), { name: 'TooManyRequestsException' });
      },
    };
    const client = { send: async () => ({}) } as unknown as DynamoDBDocumentClient;
    const logs = captureLogs();
    const handler = createChangeSignalHandler({ config, cognito, client, logger: logs.logger });
    await assert.rejects(() => handler(event('us-east-1_Pool1')), { name: 'UserPoolReadError' });
    assert.equal(logs.records().at(-1)?.message, 'change signal failed');
  });
});

describe('Function: readChangeSignalConfig', () => {
  it('reads the pool, the deleted-user mode and the index, with defaults', () => {
    const env = { TABLE_NAME: 'users', USER_POOL_ID: 'us-east-1_Pool1' };
    assert.deepEqual(readChangeSignalConfig(env), {
      tableName: 'users',
      keyAttribute: 'username',
      userAttributes: undefined,
      logLevel: 'info',
      userPoolId: 'us-east-1_Pool1',
      onDeleted: 'mark',
      subIndexName: undefined,
      rowMapping: resolveRowMapping({}),
    });
    assert.equal(readChangeSignalConfig({ ...env, ON_DELETED: 'DELETE' }).onDeleted, 'delete');
    assert.equal(readChangeSignalConfig({ ...env, SUB_INDEX: 'bySub' }).subIndexName, 'bySub');
  });

  it('fails naming the variable', () => {
    assert.throws(() => readChangeSignalConfig({ TABLE_NAME: 'users' }), {
      message: 'USER_POOL_ID is required (the Cognito user pool id)',
    });
    assert.throws(
      () =>
        readChangeSignalConfig({
          TABLE_NAME: 'users',
          USER_POOL_ID: 'us-east-1_P',
          ON_DELETED: 'x',
        }),
      { message: 'ON_DELETED must be one of mark, delete, got "x"' },
    );
  });
});

describe('Function: createChangeSignalHandler, retries and deadline', () => {
  const throttled = () =>
    Object.assign(new Error('Rate exceeded'), {
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 400 },
    });
  const user = {
    Username: 'jane',
    UserAttributes: [{ Name: 'sub', Value: 's-1' }],
    Enabled: false,
    UserStatus: 'CONFIRMED',
    UserLastModifiedDate: new Date('2026-11-29T10:00:00.000Z'),
  };
  const table = {
    send: async (command: unknown) =>
      command instanceof GetCommand
        ? { Item: { username: 'jane', sub: 's-1', enabled: true, attributes: {} } }
        : {},
  } as unknown as DynamoDBDocumentClient;

  it('retries a throttled Cognito call within the invocation, on its own', async () => {
    let calls = 0;
    const cognito = {
      send: async () => {
        calls++;
        if (calls < 3) throw throttled();
        return user;
      },
    };
    const handler = createChangeSignalHandler({
      config,
      cognito,
      client: table,
      logger: captureLogs().logger,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    const result = await handler(event('us-east-1_Pool1'), {});
    assert.deepEqual(result, { status: 'converged', rows: [{ key: 'jane', outcome: 'updated' }] });
    assert.equal(calls, 3);
  });

  it('gives up at its deadline, aborting the call under way, and names the deadline', async () => {
    let aborted = false;
    const cognito = {
      send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => {
            aborted = true;
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          });
        }),
    } as never;
    const handler = createChangeSignalHandler({
      config,
      cognito,
      client: table,
      logger: captureLogs().logger,
      deadlineMs: 150,
    });
    const started = Date.now();
    await assert.rejects(
      handler(event('us-east-1_Pool1'), { getRemainingTimeInMillis: () => 'x' } as never),
    );
    assert.ok(aborted, 'the call under way is aborted');
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });

  it('shortens its deadline to what the Lambda context has left', async () => {
    const cognito = {
      send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    } as never;
    const handler = createChangeSignalHandler({
      config,
      cognito,
      client: table,
      logger: captureLogs().logger,
    });
    const started = Date.now();
    await assert.rejects(
      handler(event('us-east-1_Pool1'), { getRemainingTimeInMillis: () => 500 }),
    );
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });
});
