import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rowMappingOf } from '../../domain/rowMapping/configMapping.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import type { RowKey } from '../../domain/rowMapping/keys.js';
import { isConstantTemplate } from '../../domain/rowMapping/templates.js';
import { fromAttributeItem, toAttributeItem } from './attributeItem.js';
import { conditionalWrite, itemOfFailedCondition } from './conditionalWrite.js';

export { describeFailure } from './tableFailure.js';

/** Result of a conditional create. */
export type CreateOutcome = 'created' | 'already-present';

/** Where the user rows live. */
export interface UserTableOptions {
  /** The document client (see `createDynamoDocumentClient`). */
  readonly client: DynamoDBDocumentClient;
  /** Table name. */
  readonly tableName: string;
  /** Partition key attribute name (the older setting; the row mapping's key wins when given). */
  readonly keyAttribute: string;
  /**
   * How rows are keyed and named.
   * @default - today's row under `keyAttribute`
   */
  readonly rowMapping?: RowMapping | undefined;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (and its retries) when signalled. @default - no deadline */
  readonly abortSignal?: AbortSignal;
}

/**
 * A row's key as a call takes it: the key attributes and their values, or,
 * for a table keyed by the partition key alone (or with a constant sort
 * key), the partition key's value (the username of today's rows).
 */
export type RowKeyRef = string | RowKey;

/** The row mapping a table is used with: its `rowMapping`, else today's row under `keyAttribute`. */
export function tableRowMapping(
  table: Pick<UserTableOptions, 'keyAttribute' | 'rowMapping'>,
): RowMapping {
  return rowMappingOf(table);
}

/** The key attributes of a {@link RowKeyRef} under the table's mapping. */
export function rowKeyFor(
  table: Pick<UserTableOptions, 'keyAttribute' | 'rowMapping'>,
  key: RowKeyRef,
): RowKey {
  if (typeof key !== 'string') return key;
  const mapping = tableRowMapping(table);
  const sortKey = mapping.sortKey;
  return {
    [mapping.key.attribute]: key,
    ...(sortKey && isConstantTemplate(sortKey) ? { [sortKey.attribute]: sortKey.template } : {}),
  };
}

/** The `AbortSignal` option of an SDK call. */
export function signalOf(options: CallOptions): { abortSignal?: AbortSignal } {
  return options.abortSignal ? { abortSignal: options.abortSignal } : {};
}

/**
 * What a conditional create found: `created`, or `present` with the row
 * already at the key (`'unknown'` when DynamoDB did not return it; some
 * emulators do not).
 */
export type PutIfAbsentResult =
  | { readonly kind: 'created' }
  | { readonly kind: 'present'; readonly current: Record<string, unknown> | 'unknown' };

/**
 * Writes a row only if no row with the same key exists (a conditional put
 * on the mapping's partition key). The existing row is left untouched; it is
 * returned when the failed condition carries it (`'unknown'` otherwise: the
 * put does not ask for it, so that a retry or a password reset, which finds
 * the row, costs no more than the put).
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function putRowIfAbsent(
  table: UserTableOptions,
  row: Readonly<Record<string, unknown>>,
  options: CallOptions = {},
): Promise<PutIfAbsentResult> {
  const mapping = tableRowMapping(table);
  const result = await conditionalWrite(
    () =>
      // The low-level command with our own conversion: the document client's
      // marshaller mishandles attribute names such as `constructor` or `__proto__`.
      table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: toAttributeItem(row),
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': mapping.key.attribute },
        }),
        signalOf(options),
      ),
    { failure: `could not write the user's row to table "${table.tableName}"`, mapping },
  );
  if (result.kind === 'written') return { kind: 'created' };
  const item = itemOfFailedCondition(result.error);
  return { kind: 'present', current: item === undefined ? 'unknown' : fromAttributeItem(item) };
}

/**
 * Writes a row only if no row with the same key exists (see
 * {@link putRowIfAbsent}). A failed condition means the row is already
 * there: it is reported as `already-present`, never as an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function createRowIfAbsent(
  table: UserTableOptions,
  row: Readonly<Record<string, unknown>>,
  options: CallOptions = {},
): Promise<CreateOutcome> {
  const result = await putRowIfAbsent(table, row, options);
  return result.kind === 'created' ? 'created' : 'already-present';
}
