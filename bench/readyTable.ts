import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EnsureTableOptions, ensureUserTable } from '../src/aws/store/ensureTable.js';

/**
 * Creates the user table if it is missing, then waits until DynamoDB reports it
 * `ACTIVE`. dynalite answers CreateTable before the table is usable (even with
 * `createTableMs: 0` it turns ACTIVE a moment later) and refuses writes to a
 * `CREATING` table with ResourceNotFoundException, which a loaded machine hits.
 *
 * @throws Error when the table is not ACTIVE within `timeoutMs`
 */
export async function ensureReadyTable(
  client: Pick<DynamoDBClient, 'send'>,
  options: EnsureTableOptions,
  timeoutMs = 10_000,
): Promise<void> {
  await ensureUserTable(client, options);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: options.tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(
        `table "${options.tableName}" is still ${Table?.TableStatus} after ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
