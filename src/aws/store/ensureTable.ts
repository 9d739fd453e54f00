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
  /** Sort key attribute name (type string), e.g. a row mapping's `sortKey.attribute`. @default - none */
  readonly sortKeyAttribute?: string | undefined;
  /**
   * Name of a global secondary index keyed by `sub` (keys only) to create with
   * the table; an existing table is left as it is. @default - no index
   */
  readonly subIndexName?: string | undefined;
  /** Milliseconds to wait for the table (and its index) to become ACTIVE. @default 60000 */
  readonly activeTimeoutMs?: number;
  /** Milliseconds between two DescribeTable calls while waiting. @default 100 */
  readonly pollIntervalMs?: number;
}

/** Whether {@link ensureUserTable} created the table or found it. */
export type EnsureTableOutcome = 'created' | 'exists';

/** Whether the table has a global secondary index of that name. */
export async function hasIndex(
  client: Pick<DynamoDBClient, 'send'>,
  tableName: string,
  indexName: string,
): Promise<boolean> {
  const table = await describe(client, tableName);
  return table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === indexName) ?? false;
}

/**
 * Creates the user table (on-demand, string partition key and, when asked,
 * a string sort key) unless it exists,
 * and returns once it is ACTIVE (CreateTable answers while the table is still
 * CREATING). Used by the local stack and the tests; on AWS the CDK construct
 * owns the table.
 *
 * @throws Error when the table exists with other key attributes, or is not
 *   ACTIVE within `activeTimeoutMs`
 */
export async function ensureUserTable(
  client: Pick<DynamoDBClient, 'send'>,
  options: EnsureTableOptions,
): Promise<EnsureTableOutcome> {
  const existing = await describe(client, options.tableName);
  if (existing) {
    checkKey(existing, options);
    await waitUntilActive(client, options, existing);
    return 'exists';
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: options.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: options.keyAttribute, AttributeType: 'S' },
          ...(options.sortKeyAttribute
            ? [{ AttributeName: options.sortKeyAttribute, AttributeType: 'S' as const }]
            : []),
          ...(options.subIndexName ? [{ AttributeName: 'sub', AttributeType: 'S' as const }] : []),
        ],
        KeySchema: [
          { AttributeName: options.keyAttribute, KeyType: 'HASH' },
          ...(options.sortKeyAttribute
            ? [{ AttributeName: options.sortKeyAttribute, KeyType: 'RANGE' as const }]
            : []),
        ],
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
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const raced = await describe(client, options.tableName);
    if (raced) checkKey(raced, options);
    await waitUntilActive(client, options, raced);
    return 'exists';
  }
  await waitUntilActive(client, options, undefined);
  return 'created';
}

type TableDescription = Awaited<ReturnType<typeof describe>>;

function isActive(table: TableDescription): boolean {
  return (
    table?.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

/** Polls DescribeTable until the table and its indexes are ACTIVE, or the time is up. */
async function waitUntilActive(
  client: Pick<DynamoDBClient, 'send'>,
  options: EnsureTableOptions,
  known: TableDescription,
): Promise<void> {
  const timeoutMs = options.activeTimeoutMs ?? 60_000;
  const intervalMs = options.pollIntervalMs ?? 100;
  const until = Date.now() + timeoutMs;
  let table = known ?? (await describe(client, options.tableName));
  while (!isActive(table)) {
    if (Date.now() >= until) {
      throw new Error(
        `table "${options.tableName}" is still ${table?.TableStatus ?? 'missing'} after ${timeoutMs} ms (expected ACTIVE)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    table = await describe(client, options.tableName);
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
  const range = table.KeySchema?.find((key) => key.KeyType === 'RANGE')?.AttributeName;
  if (
    hash !== options.keyAttribute ||
    range !== options.sortKeyAttribute ||
    (table.KeySchema?.length ?? 0) !== (options.sortKeyAttribute ? 2 : 1)
  ) {
    const expected = options.sortKeyAttribute
      ? `partition key "${options.keyAttribute}" and sort key "${options.sortKeyAttribute}"`
      : `only "${options.keyAttribute}"`;
    throw new Error(
      `table "${options.tableName}" exists with partition key "${hash}"${range ? ` and sort key "${range}"` : ''} (and ${table.KeySchema?.length ?? 0} key attributes), expected ${expected}`,
    );
  }
}
