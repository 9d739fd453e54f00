import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toAttributeItem } from '../../src/aws/store/attributeItem.js';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import { readRowsByKey } from '../../src/aws/store/readRowsByKey.js';
import { TableReadError } from '../../src/shared/errors.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';

describe('Integration: readRowsByKey against dynalite', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;
  const table = { tableName: 'users', keyAttribute: 'pk' } as const;

  before(async () => {
    dynalite = await startDynalite();
    await ensureUserTable(dynalite.client, table);
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
    // Rows with app-owned fields, reserved words and odd names, written as they
    // are. (No `__proto__` attribute: the SDK sends one intact, but dynalite
    // refuses the item.)
    for (let i = 0; i < 120; i++) {
      const row: Record<string, unknown> = {
        constructor: 'odd',
        name: 'reserved word',
        data: { nested: true },
        pk: `user-${i}`,
        createdAt: '2030-01-01T00:00:00.000Z',
        email: 'app-owned@example.com',
        ...(i % 10 === 0 ? { deletedAt: '2030-02-01T00:00:00.000Z' } : {}),
      };
      await client.send(new PutItemCommand({ TableName: 'users', Item: toAttributeItem(row) }));
    }
  });
  after(async () => {
    client?.destroy();
    await dynalite?.close();
  });

  it('returns exactly the rows present, projected on the attributes asked for', async () => {
    // A ListUsers page: 60 users, 5 of them without a row, one listed twice.
    const keys = [
      ...Array.from({ length: 55 }, (_, i) => `user-${i * 2}`),
      ...Array.from({ length: 5 }, (_, i) => `no-row-${i}`),
      'user-0',
    ];
    const rows = await readRowsByKey(client, {
      ...table,
      keys,
      attributes: ['deletedAt', 'createdAt', 'name', '__proto__', 'constructor'],
    });
    assert.deepEqual(
      [...rows.keys()].sort(),
      Array.from({ length: 55 }, (_, i) => `user-${i * 2}`).sort(),
    );
    assert.deepEqual(rows.get('user-10'), {
      pk: 'user-10',
      createdAt: '2030-01-01T00:00:00.000Z',
      deletedAt: '2030-02-01T00:00:00.000Z',
      name: 'reserved word',
      constructor: 'odd',
    });
    const plain = rows.get('user-2');
    assert.deepEqual(Object.keys(plain ?? {}).sort(), ['constructor', 'createdAt', 'name', 'pk']);
    // Asking for `__proto__` is a valid request, and never sets the row's prototype.
    assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  });

  it('reads the key alone for no attributes, and whole rows when none are named', async () => {
    const keyOnly = await readRowsByKey(client, { ...table, keys: ['user-1'], attributes: [] });
    assert.deepEqual(keyOnly.get('user-1'), { pk: 'user-1' });
    const whole = await readRowsByKey(client, { ...table, keys: ['user-1'] });
    assert.equal(whole.get('user-1')?.email, 'app-owned@example.com');
    assert.deepEqual(whole.get('user-1')?.data, { nested: true });
  });

  it('reads 100 keys in one go', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `user-${i}`);
    const rows = await readRowsByKey(client, { ...table, keys, attributes: ['deletedAt'] });
    assert.equal(rows.size, 100);
    assert.equal([...rows.values()].filter((row) => row.deletedAt !== undefined).length, 10);
  });

  it('throws a TableReadError naming a missing table', async () => {
    await assert.rejects(
      readRowsByKey(client, { tableName: 'nope', keyAttribute: 'pk', keys: ['a'] }),
      (error: unknown) =>
        error instanceof TableReadError &&
        /from table "nope": ResourceNotFoundException \(HTTP 400\)/.test(error.message),
    );
  });
});
