import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { RowKey } from '../../domain/rowMapping/keys.js';
import type { KeyFilter } from '../../domain/rowMapping/scan.js';
import { TableReadError } from '../../shared/errors.js';
import { describeFailure } from '../../shared/failure.js';
import { type TransientRetryOptions, withTransientRetry } from '../../shared/retry.js';

/** What reconcile reads of a row: its key and the fields that steer orphan handling. */
export interface TableKey {
  /** The key attribute's value (a Cognito username). */
  readonly key: string;
  /** When the row was marked as orphaned, if it was. */
  readonly deletedAt?: string;
  /** When the row was created, if it says. */
  readonly createdAt?: string;
  /** The row's attributes as read (the projection's). */
  readonly row?: Readonly<Record<string, unknown>>;
  /** The row's whole key under a row mapping (partition and sort key). @default - `{ [keyAttribute]: key }` */
  readonly rowKey?: RowKey;
  /** The row's `rowKeyId` under a row mapping, for sets and fingerprints. @default - `key` */
  readonly id?: string;
}

/** A row as read (by Scan or BatchGetItem) as reconcile needs it. */
export function toTableKey(key: string, item: Readonly<Record<string, unknown>>): TableKey {
  return {
    key,
    ...(typeof item.deletedAt === 'string' ? { deletedAt: item.deletedAt } : {}),
    ...(typeof item.createdAt === 'string' ? { createdAt: item.createdAt } : {}),
    row: item,
  };
}

/** Where one Scan segment stands. */
export interface SegmentPosition {
  /** `ExclusiveStartKey` of the segment's next page; absent for its first page. */
  readonly startKey?: Readonly<Record<string, string>>;
  /** Whether the segment has been read to its end. */
  readonly done: boolean;
}

/** Where a parallel Scan stands: JSON-serialisable, so that a checkpoint can store it. */
export interface ScanPosition {
  /** One entry per segment (their number is `TotalSegments`). */
  readonly segments: readonly SegmentPosition[];
}

/** A Scan of `segments` parallel segments that has not started. */
export function initialScanPosition(segments: number): ScanPosition {
  return { segments: Array.from({ length: segments }, () => ({ done: false })) };
}

/**
 * Checks a position read from a checkpoint.
 *
 * @throws Error naming what is wrong
 */
export function parseScanPosition(value: unknown): ScanPosition {
  const segments = (value as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(segments) || segments.length < 1 || segments.length > 1_000_000) {
    throw new Error('a scan position needs a non-empty "segments" list');
  }
  return {
    segments: segments.map((segment: unknown, index) => {
      const entry = segment as { startKey?: unknown; done?: unknown } | null;
      if (typeof entry !== 'object' || entry === null || typeof entry.done !== 'boolean') {
        throw new Error(`scan segment ${index} needs a boolean "done"`);
      }
      if (entry.startKey === undefined) return { done: entry.done };
      const key = entry.startKey;
      if (
        typeof key !== 'object' ||
        key === null ||
        Array.isArray(key) ||
        !Object.values(key).every((part) => typeof part === 'string')
      ) {
        throw new Error(`scan segment ${index} has an invalid "startKey" (string attributes only)`);
      }
      return { done: entry.done, startKey: key as Record<string, string> };
    }),
  };
}

/** Options of {@link scanPages}. */
export interface ScanPagesOptions {
  /** Table to scan. */
  readonly tableName: string;
  /** Partition key attribute name (a string). */
  readonly keyAttribute: string;
  /** `ProjectionExpression` and its names (see `rowProjection`, `scanProjection`). */
  readonly projection: {
    readonly ProjectionExpression: string;
    readonly ExpressionAttributeNames: Record<string, string>;
  };
  /**
   * A `FilterExpression` with its names and values (see `keyScanFilter`):
   * narrows what the Scan returns, not what it reads. @default - none
   */
  readonly filter?: KeyFilter;
  /**
   * Which returned items are rows and what of them is handed on (e.g. only
   * items whose key matches a row mapping). @default - every item whose key
   * attribute is a string, as `toTableKey`
   */
  readonly select?: (item: Record<string, unknown>) => TableKey | undefined;
  /** Where to start (its number of segments is the Scan's `TotalSegments`). */
  readonly position: ScanPosition;
  /**
   * Called with each page's rows and the position after it. May return a
   * promise: the segment waits for it before its next request, so a
   * checkpoint of the position passed never covers unprocessed rows.
   */
  readonly onPage: (rows: readonly TableKey[], position: ScanPosition) => void | Promise<void>;
  /** Checked before each request: when true, segments stop at a page boundary. @default - never */
  readonly shouldStop?: () => boolean;
  /** Backoff on any transient error. @default - 12 attempts from 100 ms */
  readonly retry?: TransientRetryOptions;
  /** Stops the scan (the current requests are aborted) when signalled. @default - never */
  readonly signal?: AbortSignal;
}

/** What {@link scanPages} reached. */
export interface ScanPagesResult {
  /** Position reached; every segment done when `complete`. */
  readonly position: ScanPosition;
  /** Whether every segment was read to its end. */
  readonly complete: boolean;
  /**
   * Why the scan ended early: a `TableReadError` naming the table and the
   * segment (a page could not be read after its retries), or what `onPage`
   * threw, as is; `position` is then where to resume (no page is lost).
   * Absent when nothing failed.
   */
  readonly error?: unknown;
}

/**
 * Reads a table with a parallel Scan, page by page, handing each page's rows
 * (key, `deletedAt`, `createdAt`, and the row itself when the projection reads
 * more) to `onPage` and keeping nothing. Resumable from any position it
 * reported; stops at a page boundary when `shouldStop` says so. Rows whose key
 * is not a string are skipped. A page that cannot be read after its retries
 * ends the scan (the other segments stop at their page boundary) and is
 * returned as `error`, with the position to resume from.
 */
export async function scanPages(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ScanPagesOptions,
): Promise<ScanPagesResult> {
  const segments = [...options.position.segments];
  const total = segments.length;
  const snapshot = (): ScanPosition => ({ segments: [...segments] });
  let failed = false;
  const readSegment = async (segment: number): Promise<void> => {
    for (;;) {
      const current = segments[segment] as SegmentPosition;
      if (current.done || failed || options.shouldStop?.() || options.signal?.aborted) return;
      let page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
      try {
        page = await withTransientRetry(
          () =>
            client.send(
              new ScanCommand({
                TableName: options.tableName,
                ...scanExpressions(options),
                Segment: segment,
                TotalSegments: total,
                ...(current.startKey ? { ExclusiveStartKey: current.startKey } : {}),
              }),
              options.signal ? { abortSignal: options.signal } : {},
            ),
          { ...options.retry, ...(options.signal ? { signal: options.signal } : {}) },
        );
      } catch (error) {
        failed = true;
        throw new TableReadError(
          `could not scan table "${options.tableName}" (segment ${segment} of ${total}): ${describeFailure(error, 'DynamoDB')}`,
          { cause: error },
        );
      }
      const rows: TableKey[] = [];
      for (const item of page.Items ?? []) {
        if (options.select) {
          const row = options.select(item);
          if (row) rows.push(row);
          continue;
        }
        const key = item[options.keyAttribute];
        if (typeof key === 'string') rows.push(toTableKey(key, item));
      }
      const next = page.LastEvaluatedKey;
      const after: SegmentPosition = next
        ? { done: false, startKey: stringKey(next, options.tableName) }
        : { done: true };
      const position = snapshot();
      (position.segments as SegmentPosition[])[segment] = after;
      await options.onPage(rows, position);
      segments[segment] = after;
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: total }, (_, segment) => readSegment(segment)),
  );
  const failure = results.find((result) => result.status === 'rejected');
  const position = snapshot();
  const complete = position.segments.every((segment) => segment.done);
  return failure ? { position, complete, error: failure.reason } : { position, complete };
}

/** The projection and the filter of a Scan, their names merged. */
function scanExpressions(options: ScanPagesOptions) {
  const filter = options.filter;
  if (!filter?.FilterExpression) return options.projection;
  return {
    ProjectionExpression: options.projection.ProjectionExpression,
    FilterExpression: filter.FilterExpression,
    ExpressionAttributeNames: {
      ...options.projection.ExpressionAttributeNames,
      ...filter.ExpressionAttributeNames,
    },
    ...(filter.ExpressionAttributeValues
      ? { ExpressionAttributeValues: { ...filter.ExpressionAttributeValues } }
      : {}),
  };
}

function stringKey(key: Record<string, unknown>, tableName: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(key)) {
    if (typeof value !== 'string') {
      throw new TableReadError(
        `table "${tableName}" has a non-string key attribute "${name}": reconcile needs a string partition key`,
      );
    }
    result[name] = value;
  }
  return result;
}
