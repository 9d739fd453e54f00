import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { TableWriteError } from '../../shared/errors.js';
import { describeFailure, errorName } from '../../shared/failure.js';
import type { CallOptions, UserTableOptions } from './userTable.js';

/** Result of deleting an orphaned row. */
export type DeleteOutcome = 'deleted' | 'already-gone';

/**
 * Deletes a row if it exists. A row already gone is an outcome, not an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function deleteRowIfPresent(
  table: UserTableOptions,
  key: string,
  options: CallOptions = {},
): Promise<DeleteOutcome> {
  try {
    await table.client.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: { [table.keyAttribute]: key },
        ConditionExpression: 'attribute_exists(#key)',
        ExpressionAttributeNames: { '#key': table.keyAttribute },
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return 'deleted';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'already-gone';
    throw new TableWriteError(
      `could not delete an orphaned row from table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
}
