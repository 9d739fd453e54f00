import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { ensureUserTable } from '../../../src/aws/store/ensureTable.js';

const KEY = [{ AttributeName: 'username', KeyType: 'HASH' }];

/** A DynamoDB that creates tables in CREATING and reports them ACTIVE after `describesUntilActive` describes. */
function fakeDynamo(describesUntilActive: number) {
  let created = false;
  let describes = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof CreateTableCommand) {
        created = true;
        return { TableDescription: { TableStatus: 'CREATING', KeySchema: KEY } };
      }
      if (command instanceof DescribeTableCommand) {
        if (!created) throw new ResourceNotFoundException({ message: 'no table', $metadata: {} });
        describes++;
        const status = describes > describesUntilActive ? 'ACTIVE' : 'CREATING';
        return { Table: { TableStatus: status, KeySchema: KEY } };
      }
      throw new Error('unexpected command');
    },
  };
  return { client, describes: () => describes };
}

describe('Function: ensureUserTable', () => {
  it('returns only once the table it created is ACTIVE', async () => {
    const dynamo = fakeDynamo(3);
    const outcome = await ensureUserTable(dynamo.client as never, {
      tableName: 'users',
      keyAttribute: 'username',
      pollIntervalMs: 1,
    });
    assert.equal(outcome, 'created');
    assert.equal(dynamo.describes(), 4, 'described until ACTIVE');
  });

  it('fails naming the table and its status when it is not ACTIVE in time', async () => {
    const dynamo = fakeDynamo(Number.POSITIVE_INFINITY);
    await assert.rejects(
      ensureUserTable(dynamo.client as never, {
        tableName: 'users',
        keyAttribute: 'username',
        pollIntervalMs: 5,
        activeTimeoutMs: 50,
      }),
      /table "users" is still CREATING after 50 ms/,
    );
  });
});
