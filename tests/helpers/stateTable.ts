import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Partition key of the state table. */
export const STATE_TABLE_KEY = 'id';

/**
 * Creates a state table (partition key `id`, a string; on-demand) in a local
 * DynamoDB such as the dynalite of `startDynalite`. Tables are ACTIVE at once
 * there (`createTableMs: 0`). dynalite has no TTL, so none is enabled.
 */
export async function createStateTable(
  client: Pick<DynamoDBClient, 'send'>,
  tableName = 'reconcile-state',
): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: STATE_TABLE_KEY, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: STATE_TABLE_KEY, KeyType: 'HASH' }],
    }),
  );
  return tableName;
}
