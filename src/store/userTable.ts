import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UserRow } from '../domain/userRow.js';
import { TableWriteError } from '../errors.js';

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

/** Name of a thrown SDK error, or `Error`. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** Says why a call failed in one line, for error messages and logs. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'AbortError') return 'the deadline passed before DynamoDB answered';
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` (after ${attempts} attempts)` : '';
  return `${error.name}: ${error.message}${tries}`;
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
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: row,
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': table.keyAttribute },
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return 'created';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'already-present';
    throw new TableWriteError(
      `could not write the user's row to table "${table.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
}
