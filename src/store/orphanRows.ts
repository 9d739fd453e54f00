import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { errorName } from '../domain/failure.js';
import { TableWriteError } from '../errors.js';
import { type CallOptions, describeFailure, type UserTableOptions } from './userTable.js';

/** Result of marking an orphaned row. */
export type MarkOutcome = 'marked' | 'already-marked-or-gone';

/** Result of deleting an orphaned row. */
export type DeleteOutcome = 'deleted' | 'already-gone';

/**
 * Sets `deletedAt` on a row, only if the row exists and carries no
 * `deletedAt` yet; nothing else of the row changes. A failed condition is an
 * outcome, not an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function markRowDeleted(
  table: UserTableOptions,
  key: string,
  deletedAt: Date,
  options: CallOptions = {},
): Promise<MarkOutcome> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { [table.keyAttribute]: key },
        UpdateExpression: 'SET #deletedAt = :deletedAt',
        ConditionExpression: 'attribute_exists(#key) AND attribute_not_exists(#deletedAt)',
        ExpressionAttributeNames: { '#key': table.keyAttribute, '#deletedAt': 'deletedAt' },
        ExpressionAttributeValues: { ':deletedAt': deletedAt.toISOString() },
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return 'marked';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'already-marked-or-gone';
    throw new TableWriteError(
      `could not mark an orphaned row in table "${table.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
}

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
      `could not delete an orphaned row from table "${table.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
}
