import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanUserRows } from '../../../src/aws/store/scanUserRows.js';

describe('Function: scanUserRows', () => {
  it('follows LastEvaluatedKey until the last page and returns whole rows', async () => {
    const pages = [
      { Items: [{ username: 'a', email: 'a@example.com' }], LastEvaluatedKey: { username: 'a' } },
      { Items: [{ username: 'b', attributes: { sub: 'b' } }] },
    ];
    const inputs: Record<string, unknown>[] = [];
    const client = {
      send: async (command: { input: Record<string, unknown> }) => {
        inputs.push(command.input);
        return pages.shift();
      },
    };

    const rows = await scanUserRows(client as never, { tableName: 'users', pageSize: 1 });

    assert.deepEqual(rows, [
      { username: 'a', email: 'a@example.com' },
      { username: 'b', attributes: { sub: 'b' } },
    ]);
    assert.deepEqual(inputs, [
      { TableName: 'users', Limit: 1 },
      { TableName: 'users', Limit: 1, ExclusiveStartKey: { username: 'a' } },
    ]);
  });

  it('throws TableReadError naming the table and the cause', async () => {
    const failure = new Error('no such table');
    failure.name = 'ResourceNotFoundException';
    const client = { send: async () => Promise.reject(failure) };
    await assert.rejects(scanUserRows(client as never, { tableName: 'users' }), {
      name: 'TableReadError',
      message: 'could not scan table "users": ResourceNotFoundException: no such table',
    });
  });
});
