import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteRowIfPresent, markRowDeleted } from '../store/orphanRows.js';
import { createRowIfAbsent, type UserTableOptions } from '../store/userTable.js';
import { forEachConcurrent } from './concurrency.js';
import type { ReconcilePlan } from './plan.js';
import { isDynamoThrottling, type RetryOptions, withRetry } from './retry.js';

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /** DynamoDB document client. */
  readonly client: DynamoDBDocumentClient;
  /** Table name. */
  readonly tableName: string;
  /** Partition key attribute name. */
  readonly keyAttribute: string;
  /** Writes in flight at once. */
  readonly concurrency: number;
  /** The `deletedAt` written on marked rows. */
  readonly now: Date;
  /** Backoff on throughput errors. @default - 8 attempts from 100 ms */
  readonly retry?: Omit<RetryOptions, 'isRetryable' | 'onRetry'>;
  /** Called after each write with the writes done and the writes planned. @default - nothing */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One write that failed after its retries. */
export interface ApplyFailure {
  /** The row's key. */
  readonly key: string;
  /** What was attempted. */
  readonly action: 'create' | 'mark' | 'delete';
  /** Why it failed (error name and message, never row contents). */
  readonly reason: string;
}

/** What applying a plan did. */
export interface ApplyResult {
  /** Rows written. */
  readonly created: number;
  /** Planned creates skipped because a row appeared meanwhile (left untouched). */
  readonly alreadyPresent: number;
  /** Orphaned rows marked with `deletedAt`. */
  readonly marked: number;
  /** Planned marks skipped because the row was gone or marked meanwhile. */
  readonly markSkipped: number;
  /** Orphaned rows deleted. */
  readonly deleted: number;
  /** Planned deletes skipped because the row was gone meanwhile. */
  readonly deleteSkipped: number;
  /** Throttled requests that were retried. */
  readonly throttledRetries: number;
  /** Writes that failed. */
  readonly failures: readonly ApplyFailure[];
}

type Task =
  | {
      readonly action: 'create';
      readonly key: string;
      readonly row: ReconcilePlan['creates'][number];
    }
  | { readonly action: 'mark' | 'delete'; readonly key: string };

/**
 * Applies a plan with at most `concurrency` writes in flight. Creates are
 * conditional puts that never overwrite a row present at the moment of
 * writing (the trigger may write the same user concurrently); marks set
 * `deletedAt` only on a row that exists and is not marked; deletes are
 * conditional on the row existing. Throttled writes are retried with backoff;
 * a write that still fails is recorded and the others go on.
 */
export async function applyPlan(plan: ReconcilePlan, options: ApplyOptions): Promise<ApplyResult> {
  const table: UserTableOptions = {
    client: options.client,
    tableName: options.tableName,
    keyAttribute: options.keyAttribute,
  };
  const tasks: Task[] = [
    ...plan.creates.map(
      (row): Task => ({ action: 'create', key: String(row[options.keyAttribute]), row }),
    ),
    ...plan.marks.map((key): Task => ({ action: 'mark', key })),
    ...plan.deletes.map((key): Task => ({ action: 'delete', key })),
  ];
  const counts = {
    created: 0,
    alreadyPresent: 0,
    marked: 0,
    markSkipped: 0,
    deleted: 0,
    deleteSkipped: 0,
    throttledRetries: 0,
  };
  const failures: ApplyFailure[] = [];
  let done = 0;
  const retry: RetryOptions = {
    ...options.retry,
    isRetryable: isDynamoThrottling,
    onRetry: () => {
      counts.throttledRetries++;
    },
  };

  await forEachConcurrent(tasks, options.concurrency, async (task) => {
    try {
      if (task.action === 'create') {
        const outcome = await withRetry(() => createRowIfAbsent(table, task.row), retry);
        if (outcome === 'created') counts.created++;
        else counts.alreadyPresent++;
      } else if (task.action === 'mark') {
        const outcome = await withRetry(() => markRowDeleted(table, task.key, options.now), retry);
        if (outcome === 'marked') counts.marked++;
        else counts.markSkipped++;
      } else {
        const outcome = await withRetry(() => deleteRowIfPresent(table, task.key), retry);
        if (outcome === 'deleted') counts.deleted++;
        else counts.deleteSkipped++;
      }
    } catch (error) {
      failures.push({
        key: task.key,
        action: task.action,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    done++;
    options.onProgress?.(done, tasks.length);
  });

  return { ...counts, failures };
}
