import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { RowKey } from '../../domain/rowMapping/keys.js';
import { TableWriteError } from '../../shared/errors.js';
import { errorName } from '../../shared/failure.js';
import { type CallOptions, describeFailure, type UserTableOptions } from './userTable.js';

/** Result of deleting an orphaned row. */
export type DeleteOutcome = 'deleted' | 'already-gone';

/**
 * Deletes a row if it exists. A row already gone is an outcome, not an error.
 * `key` is the partition key's value, or the whole key (partition and sort
 * key) of a row mapping.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function deleteRowIfPresent(
  table: UserTableOptions,
  key: string | RowKey,
  options: CallOptions = {},
): Promise<DeleteOutcome> {
  try {
    await table.client.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: typeof key === 'string' ? { [table.keyAttribute]: key } : { ...key },
        ConditionExpression: 'attribute_exists(#key)',
        ExpressionAttributeNames: { '#key': table.keyAttribute },
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return 'deleted';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'already-gone';
    throw new TableWriteError(
      `could not delete an orphaned row from table "${table.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
}
