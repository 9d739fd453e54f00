import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import { normalizeGroups } from '../../src/domain/groups.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';

// docs/groups.md tells apps to find a group's members with `contains(groups, :group)`:
// this shows it on the row's form (a sorted list), and on a string set someone else wrote.
describe('Integration: finding the members of a group in the table (dynalite)', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;

  before(async () => {
    dynalite = await startDynalite();
    await ensureUserTable(dynalite.client, { tableName: 'users', keyAttribute: 'username' });
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
    const rows = [
      { username: 'ana', groups: normalizeGroups(['admins', 'editors']) },
      { username: 'bo', groups: normalizeGroups(['editors']) },
      { username: 'cy', groups: [] },
      { username: 'di' },
      { username: 'ed', groups: new Set(['admins']) },
      // A substring of a name is not membership.
      { username: 'fa', groups: ['administrators'] },
    ];
    for (const row of rows) await client.send(new PutCommand({ TableName: 'users', Item: row }));
  });

  after(async () => {
    client?.destroy();
    await dynalite?.close();
  });

  it('a scan filtered with contains(groups, :group) returns exactly the members', async () => {
    const members = async (group: string) => {
      const result = await client.send(
        new ScanCommand({
          TableName: 'users',
          FilterExpression: 'contains(#groups, :group)',
          ExpressionAttributeNames: { '#groups': 'groups' },
          ExpressionAttributeValues: { ':group': group },
        }),
      );
      return (result.Items ?? []).map((item) => item.username).sort();
    };

    assert.deepEqual(await members('admins'), ['ana', 'ed']);
    assert.deepEqual(await members('editors'), ['ana', 'bo']);
    assert.deepEqual(await members('nobody'), []);
  });
});
