import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TableReadError } from '../../../src/errors.js';
import { scanTableKeys } from '../../../src/store/scanTableKeys.js';
import { FakeTable, NO_WAIT, sdkError } from '../reconcile/fakes.js';

describe('Function: scanTableKeys', () => {
  it('reads every key over parallel segments and pages, with deletedAt and createdAt', async () => {
    // Prepare
    const table = new FakeTable();
    for (let i = 0; i < 103; i++) {
      table.put({
        username: `u${i}`,
        createdAt: '2030-01-01T00:00:00.000Z',
        email: 'x@example.com',
      });
    }
    table.put({ username: 'gone', deletedAt: '2030-02-01T00:00:00.000Z' });
    table.pageSize = 10;

    // Act
    const keys = await scanTableKeys(table.client, {
      tableName: 'users',
      keyAttribute: 'username',
      segments: 3,
    });

    // Assess
    assert.equal(keys.length, 104);
    assert.equal(new Set(keys.map((key) => key.key)).size, 104);
    assert.deepEqual(
      keys.find((key) => key.key === 'gone'),
      { key: 'gone', deletedAt: '2030-02-01T00:00:00.000Z' },
    );
    assert.deepEqual(
      keys.find((key) => key.key === 'u7'),
      { key: 'u7', createdAt: '2030-01-01T00:00:00.000Z' },
    );
    assert.ok(table.calls.filter((name) => name === 'ScanCommand').length > 3);
  });

  it('retries a throttled page', async () => {
    const table = new FakeTable();
    table.put({ username: 'a' });
    table.scanFailures.push(sdkError('ProvisionedThroughputExceededException'));
    const keys = await scanTableKeys(table.client, {
      tableName: 'users',
      keyAttribute: 'username',
      segments: 1,
      retry: NO_WAIT,
    });
    assert.deepEqual(keys, [{ key: 'a' }]);
  });

  it('throws a TableReadError naming the table when a page cannot be read', async () => {
    const table = new FakeTable();
    table.scanFailures.push(sdkError('ResourceNotFoundException', 'Requested resource not found'));
    await assert.rejects(
      scanTableKeys(table.client, { tableName: 'missing', keyAttribute: 'username', segments: 1 }),
      (error: unknown) =>
        error instanceof TableReadError && /could not scan table "missing"/.test(error.message),
    );
  });
});
