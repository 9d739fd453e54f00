import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import { markRowDeleted } from '../../src/aws/store/markRowDeleted.js';
import { deleteRowIfPresent } from '../../src/aws/store/orphanRows.js';
import { initialScanPosition, scanPages, type TableKey } from '../../src/aws/store/scanPages.js';
import { scanProjection } from '../../src/aws/store/scanProjection.js';
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

  it('marks a row once, erasing its personal data, keeping the rest, and never creates one', async () => {
    await client.send(
      new PutCommand({
        TableName: 'users',
        Item: {
          pk: 'user-2',
          sub: 'sub-2',
          email: 'two@example.com',
          emailVerified: true,
          attributes: { email: 'two@example.com', phone_number: '+15550100' },
          lastSignInAt: '2030-01-15T00:00:00.000Z',
          createdAt: '2030-01-01T00:00:00.000Z',
          plan: 'pro',
        },
      }),
    );
    const first = new Date('2030-02-01T00:00:00.000Z');
    const mark = { deletedAt: first, sub: 'any' as const };
    assert.equal(await markRowDeleted(table(), 'user-2', mark), 'marked');
    assert.equal(
      await markRowDeleted(table(), 'user-2', { ...mark, deletedAt: new Date() }),
      'conflict',
    );
    assert.deepEqual(await get('user-2'), {
      pk: 'user-2',
      sub: 'sub-2',
      createdAt: '2030-01-01T00:00:00.000Z',
      plan: 'pro',
      deletedAt: first.toISOString(),
      updatedAt: first.toISOString(),
    });
    assert.equal(await markRowDeleted(table(), 'nobody', mark), 'conflict');
    assert.equal(await get('nobody'), undefined);
  });

  it('writes the expiry under a retention, keeps personal data under a legal hold, and checks the sub', async () => {
    const item = { pk: 'user-4', sub: 'sub-4', email: 'four@example.com', attributes: { a: '1' } };
    await client.send(new PutCommand({ TableName: 'users', Item: item }));
    const deletedAt = new Date('2030-03-01T00:00:00.000Z');
    const policy = { retainPersonalData: true, retentionDays: 30, timeToLiveAttribute: 'ttl' };
    assert.equal(
      await markRowDeleted(table(), 'user-4', { deletedAt, sub: { equals: 'other' }, policy }),
      'conflict',
    );
    assert.equal(
      await markRowDeleted(table(), 'user-4', { deletedAt, sub: { equals: 'sub-4' }, policy }),
      'marked',
    );
    assert.deepEqual(await get('user-4'), {
      ...item,
      deletedAt: deletedAt.toISOString(),
      updatedAt: deletedAt.toISOString(),
      ttl: Date.parse('2030-03-31T00:00:00.000Z') / 1000,
    });
  });

  it('deletes a row and reports one already gone', async () => {
    assert.equal(await deleteRowIfPresent(table(), 'user-3'), 'deleted');
    assert.equal(await get('user-3'), undefined);
    assert.equal(await deleteRowIfPresent(table(), 'user-3'), 'already-gone');
  });
});
