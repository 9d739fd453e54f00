import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/store/dynamoClient.js';
import { ensureUserTable } from '../../src/store/ensureTable.js';
import { deleteRowIfPresent, markRowDeleted } from '../../src/store/orphanRows.js';
import { initialScanPosition, scanPages, type TableKey } from '../../src/store/scanPages.js';
import { scanProjection } from '../../src/store/scanProjection.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';

describe('Integration: reconcile store calls against dynalite', () => {
  let dynalite: TestDynalite;
  let client: ReturnType<typeof createDynamoDocumentClient>;
  const table = () => ({ client, tableName: 'users', keyAttribute: 'pk' });
  const get = async (key: string) =>
    (
      await client.send(
        new GetCommand({ TableName: 'users', Key: { pk: key }, ConsistentRead: true }),
      )
    ).Item;

  before(async () => {
    dynalite = await startDynalite();
    await ensureUserTable(dynalite.client, { tableName: 'users', keyAttribute: 'pk' });
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
  });
  after(async () => {
    client?.destroy();
    await dynalite?.close();
  });

  it('scans every key with a projection over parallel segments, page by page', async () => {
    for (let i = 0; i < 250; i++) {
      await client.send(
        new PutCommand({
          TableName: 'users',
          Item: {
            pk: `user-${i}`,
            createdAt: '2030-01-01T00:00:00.000Z',
            attributes: { email: 'x' },
          },
        }),
      );
    }
    await client.send(
      new PutCommand({ TableName: 'users', Item: { pk: 'marked', deletedAt: 'then' } }),
    );
    const keys: TableKey[] = [];
    const result = await scanPages(client, {
      tableName: 'users',
      keyAttribute: 'pk',
      projection: scanProjection({ keyAttribute: 'pk' }),
      position: initialScanPosition(4),
      onPage: (rows) => {
        for (const { row: _row, ...key } of rows) keys.push(key);
      },
    });
    assert.equal(result.complete, true);
    assert.equal(keys.length, 251);
    assert.equal(new Set(keys.map((key) => key.key)).size, 251);
    assert.deepEqual(
      keys.find((key) => key.key === 'marked'),
      { key: 'marked', deletedAt: 'then' },
    );
    assert.deepEqual(
      keys.find((key) => key.key === 'user-1'),
      { key: 'user-1', createdAt: '2030-01-01T00:00:00.000Z' },
    );
  });

  it('marks a row once, keeping the rest of it, and never creates one', async () => {
    const first = new Date('2030-02-01T00:00:00.000Z');
    assert.equal(await markRowDeleted(table(), 'user-2', first), 'marked');
    assert.equal(await markRowDeleted(table(), 'user-2', new Date()), 'already-marked-or-gone');
    assert.deepEqual(await get('user-2'), {
      pk: 'user-2',
      createdAt: '2030-01-01T00:00:00.000Z',
      attributes: { email: 'x' },
      deletedAt: first.toISOString(),
    });
    assert.equal(await markRowDeleted(table(), 'nobody', first), 'already-marked-or-gone');
    assert.equal(await get('nobody'), undefined);
  });

  it('deletes a row and reports one already gone', async () => {
    assert.equal(await deleteRowIfPresent(table(), 'user-3'), 'deleted');
    assert.equal(await get('user-3'), undefined);
    assert.equal(await deleteRowIfPresent(table(), 'user-3'), 'already-gone');
  });
});
