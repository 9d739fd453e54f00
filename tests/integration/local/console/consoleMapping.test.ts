import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { clientsFor, type StackClients, startTestStack } from '../../../../harness/localStack.js';
import type { LocalStack } from '../../../../src/local/startLocalStack.js';

interface PairsAnswer {
  total: number;
  counts: Record<string, number>;
  items: { key: string; status: string; user?: { email?: string }; differences: string[] }[];
}

const ORDER = { pk: 'ORDER#1', sk: 'ORDER#1', total: 30 };

describe('The local stack and its console under a row mapping (single-table design)', () => {
  let stack: LocalStack;
  let clients: StackClients;

  before(async () => {
    stack = await startTestStack({
      changeSignals: false,
      rowMapping: JSON.stringify({
        key: { attribute: 'pk', template: 'USER#{sub}' },
        sortKey: { attribute: 'sk', template: 'PROFILE' },
        constants: { entityType: 'User' },
      }),
    });
    clients = clientsFor(stack);
  });
  after(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  const get = async <T>(path: string): Promise<T> =>
    (await fetch(new URL(`api${path}`, stack.consoleUrl))).json() as Promise<T>;
  const post = (path: string, body: unknown) =>
    fetch(new URL(`api${path}`, stack.consoleUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it("creates the table with the mapping's partition and sort keys", async () => {
    const { Table } = await clients.dynamo.send(
      new DescribeTableCommand({ TableName: stack.tableName }),
    );
    assert.deepEqual(Table?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.equal(stack.rowMapping.key.template, 'USER#{sub}');
  });

  it("pairs users with rows at the mapping's keys, shows no other entity, and its reconcile writes the mapped row", async () => {
    const email = 'single@example.com';
    await clients.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
      }),
    );
    const user = await clients.cognito.send(
      new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: email }),
    );
    const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    await clients.dynamo.send(new PutCommand({ TableName: stack.tableName, Item: ORDER }));

    const before = await get<PairsAnswer>('/pairs');
    assert.equal(before.total, 1, 'the order is no user row');
    assert.equal(before.items[0]?.status, 'row-missing');
    assert.equal(before.items[0]?.key, `USER#${sub} PROFILE`);

    assert.equal(
      (await post('/reconcile', { dryRun: false, orphans: 'delete', noGrace: true })).status,
      202,
    );
    for (;;) {
      const state = await get<{ state: string }>('/reconcile');
      if (state.state !== 'running') {
        assert.equal(state.state, 'done');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { Item } = await clients.dynamo.send(
      new GetCommand({ TableName: stack.tableName, Key: { pk: `USER#${sub}`, sk: 'PROFILE' } }),
    );
    assert.equal(Item?.entityType, 'User');
    assert.equal(Item?.sub, sub);
    assert.equal(Item?.email, email);
    assert.equal(Item?.source, 'reconcile');
    const order = await clients.dynamo.send(
      new GetCommand({ TableName: stack.tableName, Key: { pk: 'ORDER#1', sk: 'ORDER#1' } }),
    );
    assert.deepEqual(order.Item, ORDER, 'reconcile --orphans delete left the order alone');

    let after = await get<PairsAnswer>('/pairs');
    for (let attempt = 0; attempt < 100 && after.items[0]?.status !== 'in-sync'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await get<PairsAnswer>('/pairs');
    }
    assert.equal(after.items[0]?.status, 'in-sync');

    // The console deletes a row by the key it shows.
    assert.equal((await post('/rows/delete', { key: `USER#${sub} PROFILE` })).status, 200);
    const gone = await clients.dynamo.send(
      new GetCommand({ TableName: stack.tableName, Key: { pk: `USER#${sub}`, sk: 'PROFILE' } }),
    );
    assert.equal(gone.Item, undefined);
  });
});
