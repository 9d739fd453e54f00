import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './conditionalWrite.js';
import {
  type CallOptions,
  type RowKeyRef,
  rowKeyFor,
  signalOf,
  tableRowMapping,
  type UserTableOptions,
} from './userTable.js';

/** Result of deleting an orphaned row. */
export type DeleteOutcome = 'deleted' | 'already-gone';

/**
 * Deletes a row if it exists, at its key under the table's row mapping. A row already gone is an outcome, not an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function deleteRowIfPresent(
  table: UserTableOptions,
  key: RowKeyRef,
  options: CallOptions = {},
): Promise<DeleteOutcome> {
  const mapping = tableRowMapping(table);
  const result = await conditionalWrite(
    () =>
      table.client.send(
        new DeleteCommand({
          TableName: table.tableName,
          Key: rowKeyFor(table, key),
          ConditionExpression: 'attribute_exists(#key)',
          ExpressionAttributeNames: { '#key': mapping.key.attribute },
        }),
        signalOf(options),
      ),
    { failure: `could not delete an orphaned row from table "${table.tableName}"`, mapping },
  );
  return result.kind === 'written' ? 'deleted' : 'already-gone';
}
