import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import type { HandlerConfig } from '../../src/domain/config.js';
import { TableWriteError } from '../../src/shared/errors.js';
import { createPostConfirmationHandler } from '../../src/sync/handler/postConfirmation.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { signUpEventFor } from '../helpers/fixtures.js';
import { captureLogs } from '../helpers/logs.js';

const config: HandlerConfig = {
  tableName: 'users',
  keyAttribute: 'username',
  logLevel: 'info',
  onWriteFailure: 'reject',
};

describe('Integration: bad input and bad configuration against dynalite', () => {
  let dynalite: TestDynalite;
  let client: ReturnType<typeof createDynamoDocumentClient>;

  before(async () => {
    dynalite = await startDynalite();
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint });
    await ensureUserTable(dynalite.client, { tableName: 'users', keyAttribute: 'username' });
    await ensureUserTable(dynalite.client, { tableName: 'by-id', keyAttribute: 'id' });
  });
  after(async () => {
    client.destroy();
    await dynalite.close();
  });

  it('writes attributes named constructor and toString as they are', async () => {
    // A real event arrives as JSON: such names are own properties.
    const event = JSON.parse(
      JSON.stringify(signUpEventFor('proto-user', 'proto@example.com')).replace(
        '"given_name"',
        '"constructor":"c-value","toString":"t-value","given_name"',
      ),
    );
    const handler = createPostConfirmationHandler({ config, client, logger: captureLogs().logger });
    await handler(event);
    const { Item } = await dynalite.client.send(
      new GetItemCommand({ TableName: 'users', Key: { username: { S: 'proto-user' } } }),
    );
    assert.deepEqual(Item?.attributes?.M?.constructor, { S: 'c-value' });
    assert.deepEqual(Item?.attributes?.M?.toString, { S: 't-value' });
    assert.deepEqual(Item?.attributes?.M?.given_name, { S: 'Jane' });
  });

  it('names KEY_ATTRIBUTE when it is not the table key', async () => {
    const logs = captureLogs();
    const handler = createPostConfirmationHandler({
      config: { ...config, tableName: 'by-id' },
      client,
      logger: logs.logger,
    });
    await assert.rejects(handler(signUpEventFor('someone')), (error: unknown) => {
      assert.ok(error instanceof TableWriteError);
      assert.match(error.message, /ValidationException \(HTTP 400\): .*Missing the key id/);
      assert.match(error.message, /not the configured key attribute \(KEY_ATTRIBUTE/);
      return true;
    });
  });
});
