import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { matchRowKey, type RowKey, rowKeyId } from '../../domain/rowMapping/keys.js';
import { TableReadError } from '../../shared/errors.js';
import { describeFailure, isTransient } from '../../shared/failure.js';
import { RECONCILE_MAX_ATTEMPTS, type RetryOptions, withRetry } from '../../shared/retry.js';
import { keyAndFieldsProjection } from './projection.js';

/**
 * Most keys one BatchGetItem call accepts. Verified in the API reference
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html):
 * one call returns at most 100 items and 16 MB, more keys give a
 * ValidationException, and a partial result lists the rest in
 * `UnprocessedKeys` (throttling, the 16 MB limit, more than 1 MB per
 * partition), to be asked again with exponential backoff. Duplicate keys give
 * "ValidationException: Provided list of item keys contains duplicates": not
 * in AWS's docs, seen in dynalite here and reported against the service in
 * boto/boto3 issue 4131.
 */
export const MAX_BATCH_GET_KEYS = 100;

/** Options of {@link readRowsByKey}. */
export interface ReadRowsByKeyOptions {
  /** Table to read. */
  readonly tableName: string;
  /** Partition key attribute name (a string key). */
  readonly keyAttribute: string;
  /** Keys to read: at most {@link MAX_BATCH_GET_KEYS} distinct ones (e.g. one ListUsers page); repeats are read once. */
  readonly keys: readonly string[];
  /**
   * Attributes to read besides the key, which is always read. `[]` reads the
   * key alone. Any name works (`deletedAt`, reserved words such as `name`),
   * since each is passed through a placeholder; note that the SDK blanks an
   * attribute named `__proto__` on the way back, so its value never arrives.
   * @default - every attribute of the row
   */
  readonly attributes?: readonly string[];
  /** Backoff on unprocessed keys and on transient errors. @default - {@link RECONCILE_MAX_ATTEMPTS} attempts from 100 ms */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  /** Stops the reads (and the waits between them) when signalled. @default - never */
  readonly signal?: AbortSignal;
}

/** Thrown inside the retry loop while some keys are left unprocessed. */
class UnprocessedKeysLeft extends Error {
  override name = 'UnprocessedKeysLeft';
}

/**
 * Reads the rows of these keys with BatchGetItem (eventually consistent),
 * projected on `attributes` plus the key. Keys left in `UnprocessedKeys`
 * (throttling, the 16 MB response limit) are asked for again with backoff and
 * full jitter, as are transient errors, up to `retry.maxAttempts` calls in
 * all. Keys without a row are absent from the result; rows whose key
 * attribute is not a string are ignored.
 *
 * @returns the rows found, by key
 * @throws Error when there are more than {@link MAX_BATCH_GET_KEYS} distinct keys, or an empty key
 * @throws TableReadError when the rows cannot be read, naming the table and why
 */
export async function readRowsByKey(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ReadRowsByKeyOptions,
): Promise<Map<string, Record<string, unknown>>> {
  const keys = distinctKeys(options.keys);
  return batchGetRows(client, {
    tableName: options.tableName,
    keys: keys.map((key) => ({ [options.keyAttribute]: key })),
    projection: batchGetProjection(options.keyAttribute, options.attributes),
    idOf: (item) => {
      const key = item[options.keyAttribute];
      return typeof key === 'string' ? key : undefined;
    },
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Options of {@link readMappedRows}. */
export interface ReadMappedRowsOptions {
  /** Table to read. */
  readonly tableName: string;
  /** The row mapping: the keys are its rendered keys, the rows are found by `rowKeyId`. */
  readonly mapping: RowMapping;
  /** The rows' keys (`renderRowKey`), at most {@link MAX_BATCH_GET_KEYS} distinct ones; repeats are read once. */
  readonly keys: readonly RowKey[];
  /** What to read of each row (see `rowProjection`). @default - every attribute */
  readonly projection?: {
    readonly ProjectionExpression: string;
    readonly ExpressionAttributeNames: Record<string, string>;
  };
  /** Backoff on unprocessed keys and on transient errors. @default - {@link RECONCILE_MAX_ATTEMPTS} attempts from 100 ms */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  /** Stops the reads when signalled. @default - never */
  readonly signal?: AbortSignal;
}

/**
 * Reads the rows of these keys of a row mapping (partition and sort key)
 * with BatchGetItem, as {@link readRowsByKey} does, projected as asked.
 * Items whose key does not match the mapping are ignored.
 *
 * @returns the rows found, by `rowKeyId`
 * @throws Error when there are more than {@link MAX_BATCH_GET_KEYS} distinct keys
 * @throws TableReadError when the rows cannot be read, naming the table and why
 */
export async function readMappedRows(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ReadMappedRowsOptions,
): Promise<Map<string, Record<string, unknown>>> {
  const byId = new Map<string, RowKey>();
  for (const key of options.keys) byId.set(rowKeyId(options.mapping, key), key);
  if (byId.size > MAX_BATCH_GET_KEYS) {
    throw new Error(
      `readMappedRows takes at most ${MAX_BATCH_GET_KEYS} distinct keys (one BatchGetItem call), got ${byId.size}`,
    );
  }
  return batchGetRows(client, {
    tableName: options.tableName,
    keys: [...byId.values()].map((key) => ({ ...key })),
    projection: options.projection ?? {},
    idOf: (item) => {
      const matched = matchRowKey(options.mapping, item);
      return matched ? rowKeyId(options.mapping, matched.key) : undefined;
    },
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

interface BatchGetOptions {
  readonly tableName: string;
  readonly keys: readonly Record<string, string>[];
  readonly projection: {
    readonly ProjectionExpression?: string;
    readonly ExpressionAttributeNames?: Record<string, string>;
  };
  readonly idOf: (item: Record<string, unknown>) => string | undefined;
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  readonly signal?: AbortSignal;
}

/** BatchGetItem of whole keys, with the retries of unprocessed keys; rows by `idOf`. */
async function batchGetRows(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: BatchGetOptions,
): Promise<Map<string, Record<string, unknown>>> {
  const rows = new Map<string, Record<string, unknown>>();
  const keys = options.keys;
  if (keys.length === 0) return rows;
  let pending: readonly Record<string, unknown>[] = keys;
  let calls = 0;
  try {
    await withRetry(
      async () => {
        calls++;
        const answer = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [options.tableName]: {
                Keys: pending.map((key) => ({ ...key })),
                ConsistentRead: false,
                ...options.projection,
              },
            },
          }),
          options.signal ? { abortSignal: options.signal } : {},
        );
        for (const item of answer.Responses?.[options.tableName] ?? []) {
          const id = options.idOf(item);
          if (id !== undefined) rows.set(id, item);
        }
        pending = answer.UnprocessedKeys?.[options.tableName]?.Keys ?? [];
        if (pending.length > 0) {
          throw new UnprocessedKeysLeft(
            `${pending.length} of ${keys.length} keys were left unprocessed`,
          );
        }
      },
      {
        maxAttempts: RECONCILE_MAX_ATTEMPTS,
        ...options.retry,
        ...(options.signal ? { signal: options.signal } : {}),
        isRetryable: (error) => error instanceof UnprocessedKeysLeft || isTransient(error),
      },
    );
  } catch (error) {
    const why =
      error instanceof UnprocessedKeysLeft
        ? `${error.message} (throttled or over the 16 MB response limit) after ${calls} calls`
        : describeFailure(error, 'DynamoDB');
    throw new TableReadError(
      `could not read ${keys.length} rows by key from table "${options.tableName}": ${why}`,
      { cause: error },
    );
  }
  return rows;
}

/**
 * The keys once each, in their first order.
 *
 * @throws Error when a key is empty or there are more than {@link MAX_BATCH_GET_KEYS}
 */
export function distinctKeys(keys: readonly string[]): string[] {
  const empty = keys.findIndex((key) => typeof key !== 'string' || key === '');
  if (empty >= 0) {
    throw new Error(
      `readRowsByKey: key ${empty} is not a non-empty string (DynamoDB refuses empty keys)`,
    );
  }
  const distinct = [...new Set(keys)];
  if (distinct.length > MAX_BATCH_GET_KEYS) {
    throw new Error(
      `readRowsByKey takes at most ${MAX_BATCH_GET_KEYS} distinct keys (one BatchGetItem call), got ${distinct.length}`,
    );
  }
  return distinct;
}

/**
 * The ProjectionExpression of a BatchGetItem: the key plus each attribute,
 * every name through a placeholder (`#key`, `#a0`, `#a1`…) so that reserved
 * words and names such as `__proto__` are valid. No projection when
 * `attributes` is undefined (whole rows).
 */
export function batchGetProjection(
  keyAttribute: string,
  attributes: readonly string[] | undefined,
): { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } {
  if (attributes === undefined) return {};
  const others = [...new Set(attributes)].filter((name) => name !== keyAttribute);
  const empty = others.findIndex((name) => typeof name !== 'string' || name === '');
  if (empty >= 0) throw new Error(`readRowsByKey: attribute ${empty} is not a non-empty string`);
  return keyAndFieldsProjection(keyAttribute, others, '#a');
}
