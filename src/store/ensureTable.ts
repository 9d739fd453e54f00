import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';

/** The table to make sure of. */
export interface EnsureTableOptions {
  /** Table name. */
  readonly tableName: string;
  /** Partition key attribute name (type string). */
  readonly keyAttribute: string;
  /**
   * Name of a global secondary index keyed by `sub` (keys only) to create with
   * the table; an existing table is left as it is. @default - no index
   */
  readonly subIndexName?: string | undefined;
}

/** Whether {@link ensureUserTable} created the table or found it. */
export type EnsureTableOutcome = 'created' | 'exists';

/**
 * Creates the user table (on-demand, string partition key) unless it exists.
 * Used by the local stack and the tests; on AWS the CDK construct owns the table.
 *
 * @throws Error when the table exists with another partition key
 */
/** Whether the table has a global secondary index of that name. */
export async function hasIndex(
  client: Pick<DynamoDBClient, 'send'>,
  tableName: string,
  indexName: string,
): Promise<boolean> {
  const table = await describe(client, tableName);
  return table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === indexName) ?? false;
}

export async function ensureUserTable(
  client: Pick<DynamoDBClient, 'send'>,
  options: EnsureTableOptions,
): Promise<EnsureTableOutcome> {
  const existing = await describe(client, options.tableName);
  if (existing) {
    checkKey(existing, options);
    return 'exists';
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: options.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: options.keyAttribute, AttributeType: 'S' },
          ...(options.subIndexName ? [{ AttributeName: 'sub', AttributeType: 'S' as const }] : []),
        ],
        KeySchema: [{ AttributeName: options.keyAttribute, KeyType: 'HASH' }],
        ...(options.subIndexName
          ? {
              GlobalSecondaryIndexes: [
                {
                  IndexName: options.subIndexName,
                  KeySchema: [{ AttributeName: 'sub', KeyType: 'HASH' as const }],
                  Projection: { ProjectionType: 'KEYS_ONLY' as const },
                },
              ],
            }
          : {}),
      }),
    );
    return 'created';
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const raced = await describe(client, options.tableName);
    if (raced) checkKey(raced, options);
    return 'exists';
  }
}

async function describe(client: Pick<DynamoDBClient, 'send'>, tableName: string) {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function checkKey(
  table: {
    KeySchema?: { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined;
  },
  options: EnsureTableOptions,
): void {
  const hash = table.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
  if (hash !== options.keyAttribute || (table.KeySchema?.length ?? 0) !== 1) {
    throw new Error(
      `table "${options.tableName}" exists with partition key "${hash}" (and ${table.KeySchema?.length ?? 0} key attributes), expected only "${options.keyAttribute}"`,
    );
  }
}
