import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserRow } from '../../domain/userRow.js';
import { TableWriteError } from '../../shared/errors.js';
import { describeFailure, errorName } from '../../shared/failure.js';
import { toAttributeItem } from './attributeItem.js';

/** Result of a conditional create. */
export type CreateOutcome = 'created' | 'already-present';

/** Where the user rows live. */
export interface UserTableOptions {
  /** The document client (see `createDynamoDocumentClient`). */
  readonly client: DynamoDBDocumentClient;
  /** Table name. */
  readonly tableName: string;
  /** Partition key attribute name. */
  readonly keyAttribute: string;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (and its retries) when signalled. @default - no deadline */
  readonly abortSignal?: AbortSignal;
}

/**
 * Writes a row only if no row with the same key exists (a conditional put).
 * A failed condition means the row is already there: it is reported as
 * `already-present`, never as an error, and the existing row is left untouched.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function createRowIfAbsent(
  table: UserTableOptions,
  row: UserRow,
  options: CallOptions = {},
): Promise<CreateOutcome> {
  try {
    // The low-level command with our own conversion: the document client's
    // marshaller mishandles attribute names such as `constructor` or `__proto__`.
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: toAttributeItem(row),
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': table.keyAttribute },
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return 'created';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'already-present';
    throw new TableWriteError(
      `could not write the user's row to table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
}
