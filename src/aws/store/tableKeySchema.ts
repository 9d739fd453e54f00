import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableKeySchema } from '../../domain/rowMapping/keySchema.js';
import { TableReadError } from '../../shared/errors.js';
import { describeFailure } from '../../shared/failure.js';

/** Options of {@link readTableKeySchema}. */
export interface ReadKeySchemaOptions {
  /** Aborts the call when signalled. @default - never */
  readonly signal?: AbortSignal;
}

/**
 * Reads a table's primary key with one DescribeTable call: the partition
 * key and the sort key, each with its type (from `AttributeDefinitions`).
 * DescribeTable reports `KeySchema` (`HASH` and `RANGE` elements) and the
 * types of the key attributes in `AttributeDefinitions` (verified:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html).
 *
 * @throws TableReadError when the table cannot be described (missing table,
 *   denied call, network), saying why; its `cause` is the SDK's error
 */
export async function readTableKeySchema(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  options: ReadKeySchemaOptions = {},
): Promise<TableKeySchema> {
  let table: TableDescription | undefined;
  try {
    table = await describe(client, tableName, options);
  } catch (error) {
    throw new TableReadError(
      `could not describe table "${tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
  const typeOf = (name: string): string =>
    table?.AttributeDefinitions?.find((definition) => definition.AttributeName === name)
      ?.AttributeType ?? 'S';
  const hash = table?.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
  const range = table?.KeySchema?.find((key) => key.KeyType === 'RANGE')?.AttributeName;
  if (hash === undefined) {
    throw new TableReadError(`DescribeTable reported no partition key for table "${tableName}"`);
  }
  return {
    partitionKey: { name: hash, type: typeOf(hash) },
    ...(range !== undefined ? { sortKey: { name: range, type: typeOf(range) } } : {}),
  };
}

async function describe(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  options: ReadKeySchemaOptions,
): Promise<TableDescription | undefined> {
  // The low-level command goes through the document client's middleware unchanged.
  const answer = await client.send(
    new DescribeTableCommand({ TableName: tableName }),
    options.signal ? { abortSignal: options.signal } : {},
  );
  return answer.Table;
}
