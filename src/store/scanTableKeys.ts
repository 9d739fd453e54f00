import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { isTransient } from '../domain/failure.js';
import { TableReadError } from '../errors.js';
import { RECONCILE_MAX_ATTEMPTS, type RetryOptions, withRetry } from '../reconcile/retry.js';
import { scanProjection } from './scanProjection.js';
import { describeFailure } from './userTable.js';

/** What reconcile reads of a row: its key and the fields that steer orphan handling. */
export interface TableKey {
  /** The key attribute's value (a Cognito username). */
  readonly key: string;
  /** When the row was marked as orphaned, if it was. */
  readonly deletedAt?: string;
  /** When the row was created, if it says. */
  readonly createdAt?: string;
  /** The row's managed fields, when scanned with `managedFields` (for `--update`). */
  readonly row?: Readonly<Record<string, unknown>>;
}

/** Options of {@link scanTableKeys}. */
export interface ScanTableKeysOptions {
  /** Table to scan. */
  readonly tableName: string;
  /** Partition key attribute name. */
  readonly keyAttribute: string;
  /** Parallel Scan segments (each pages on its own). @default 4 */
  readonly segments?: number;
  /** Backoff on any transient error (throttling, 5xx, reset, timeout). @default - 12 attempts from 100 ms */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  /** Called after each page with the number of rows read so far. @default - nothing */
  readonly onPage?: (scanned: number) => void;
  /** Also read the managed fields of each row (see `MANAGED_FIELDS`). @default false */
  readonly managedFields?: boolean;
  /** Stops the scan when signalled. @default - never */
  readonly signal?: AbortSignal;
}

/**
 * Reads the key (plus `deletedAt` and `createdAt`) of every row with a
 * parallel Scan projected on those attributes. Rows whose key is not a string
 * are skipped.
 *
 * @throws TableReadError when a page cannot be read, saying why
 */
export async function scanTableKeys(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ScanTableKeysOptions,
): Promise<TableKey[]> {
  const segments = options.segments ?? 4;
  const keys: TableKey[] = [];
  const scanSegment = async (segment: number): Promise<void> => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const exclusiveStartKey = startKey;
      let page: Awaited<ReturnType<typeof sendScan>>;
      try {
        page = await withRetry(
          () => sendScan(client, options, segment, segments, exclusiveStartKey),
          {
            maxAttempts: RECONCILE_MAX_ATTEMPTS,
            ...options.retry,
            ...(options.signal ? { signal: options.signal } : {}),
            isRetryable: isTransient,
          },
        );
      } catch (error) {
        throw new TableReadError(
          `could not scan table "${options.tableName}" (segment ${segment} of ${segments}): ${describeFailure(error)}`,
          { cause: error },
        );
      }
      for (const item of page.Items ?? []) {
        const key = item[options.keyAttribute];
        if (typeof key !== 'string') continue;
        keys.push({
          key,
          ...(typeof item.deletedAt === 'string' ? { deletedAt: item.deletedAt } : {}),
          ...(typeof item.createdAt === 'string' ? { createdAt: item.createdAt } : {}),
          ...(options.managedFields ? { row: item } : {}),
        });
      }
      options.onPage?.(keys.length);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)));
  return keys;
}

function sendScan(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ScanTableKeysOptions,
  segment: number,
  totalSegments: number,
  exclusiveStartKey: Record<string, unknown> | undefined,
) {
  return client.send(
    new ScanCommand({
      TableName: options.tableName,
      ...scanProjection(options),
      Segment: segment,
      TotalSegments: totalSegments,
      ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
    }),
    options.signal ? { abortSignal: options.signal } : {},
  );
}
