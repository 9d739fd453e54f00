import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { updateManagedFields } from '../../aws/store/managedRows.js';
import { markRowDeleted } from '../../aws/store/markRowDeleted.js';
import { deleteRowIfPresent } from '../../aws/store/orphanRows.js';
import { createRowIfAbsent, type UserTableOptions } from '../../aws/store/userTable.js';
import type { DeletedRowPolicy } from '../../domain/deletedRows.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { matchRowKey, type RowKey } from '../../domain/rowMapping/keys.js';
import { resolveRowMapping } from '../../domain/rowMapping/validate.js';
import { isThrottling, mayHaveLanded } from '../../shared/failure.js';
import { type TransientRetryOptions, withTransientRetry } from '../../shared/retry.js';
import { type MappedItem, type ReconcilePlan, rowLabel, type UpdateTask } from './plan.js';

/** Options of {@link createPlanExecutor}. */
export interface ApplyOptions {
  /** DynamoDB document client. */
  readonly client: DynamoDBDocumentClient;
  /** Table name. */
  readonly tableName: string;
  /**
   * Partition key attribute name, for the default mapping under it.
   * @default - `rowMapping`'s key attribute
   */
  readonly keyAttribute?: string;
  /** The row mapping: the rows' keys and the column names of a mark. @default - `{}` under `keyAttribute` */
  readonly rowMapping?: RowMapping;
  /** Writes in flight at once. */
  readonly concurrency: number;
  /** The `deletedAt` written on marked rows. */
  readonly now: Date;
  /**
   * What marking does besides `deletedAt` (see `markRowDeleted`).
   * @default DEFAULT_DELETED_ROW_POLICY - erase personal data, no expiry
   */
  readonly deletedRows?: DeletedRowPolicy;
  /**
   * Backoff on any transient error (throttling, 5xx, reset, timeout), per
   * write. @default - 12 attempts from 100 ms, at most 5 s apart
   */
  readonly retry?: Omit<TransientRetryOptions, 'onRetry'>;
  /** Called before each retry, with the error and the wait. @default - nothing */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Starts no more writes once aborted (those under way settle). @default - never */
  readonly signal?: AbortSignal;
  /** Called after each write with the writes done and the writes queued so far. @default - nothing */
  readonly onProgress?: (done: number, total: number) => void;
  /** Runs just before each create is sent (tests use it to race a write). @default - nothing */
  readonly beforeCreate?: (row: MappedItem) => Promise<void> | void;
}

/**
 * An orphaned row to mark or delete: its whole key and its label, or the
 * partition key's value alone (a mapping without a sort key).
 */
export type RowTarget = string | { readonly key: string; readonly rowKey: RowKey };

/** One write that failed after its retries. */
export interface ApplyFailure {
  /** The row's key. */
  readonly key: string;
  /** What was attempted. */
  readonly action: 'create' | 'mark' | 'delete' | 'update';
  /** Why it failed (error name and message, never row contents). */
  readonly reason: string;
}

/** What applying a plan did. */
export interface ApplyResult {
  /** Rows written. */
  readonly created: number;
  /** Planned creates skipped because a row appeared meanwhile (left untouched). */
  readonly alreadyPresent: number;
  /**
   * Creates whose answer was lost (reset, timeout, 5xx) and whose retry found
   * the row: written by that lost attempt or by someone else; present either way.
   */
  readonly createdOrPresent: number;
  /** Orphaned rows marked with `deletedAt`. */
  readonly marked: number;
  /** Planned marks skipped because the row was gone or marked meanwhile. */
  readonly markSkipped: number;
  /** Marks whose answer was lost and whose retry found the row marked or gone. */
  readonly markedOrSkipped: number;
  /** Orphaned rows deleted. */
  readonly deleted: number;
  /** Planned deletes skipped because the row was gone meanwhile. */
  readonly deleteSkipped: number;
  /** Rows whose managed fields were updated (`--update`). */
  readonly updated: number;
  /** Rows without `sub` that were adopted: the managed fields added, every other column kept (`--update`). */
  readonly adopted: number;
  /** Planned updates skipped because the row changed meanwhile (gone, or a newer state). */
  readonly updateSkipped: number;
  /** Updates whose answer was lost and whose retry found the row changed: ours or newer. */
  readonly updatedOrSkipped: number;
  /** Deletes whose answer was lost and whose retry found the row gone. */
  readonly deletedOrGone: number;
  /** Throttled requests that were retried. */
  readonly throttledRetries: number;
  /** Requests retried for any transient error (throttling included). */
  readonly retries: number;
  /** Planned writes not started because the run was interrupted. */
  readonly notStarted: number;
  /**
   * Writes that did not land: each failed after its retries (when its last
   * error came after the request was sent, it may still have landed; the next
   * run counts such a row as in sync).
   */
  readonly failures: readonly ApplyFailure[];
}

/** The counts of an {@link ApplyResult}. */
export type ApplyCounts = Omit<ApplyResult, 'failures'>;

/** No writes yet. */
export const ZERO_APPLY_COUNTS: ApplyCounts = {
  created: 0,
  alreadyPresent: 0,
  createdOrPresent: 0,
  marked: 0,
  markSkipped: 0,
  markedOrSkipped: 0,
  deleted: 0,
  deleteSkipped: 0,
  updated: 0,
  adopted: 0,
  updateSkipped: 0,
  updatedOrSkipped: 0,
  deletedOrGone: 0,
  throttledRetries: 0,
  retries: 0,
  notStarted: 0,
};

type Task =
  | {
      readonly action: 'create';
      readonly key: string;
      readonly row: ReconcilePlan['creates'][number];
    }
  | { readonly action: 'mark' | 'delete'; readonly key: string; readonly rowKey: RowKey }
  | { readonly action: 'update'; readonly key: string; readonly task: UpdateTask };

/** Applies writes as they are queued; see {@link createPlanExecutor}. */
export interface PlanExecutor {
  /** Queues rows to create (whole items, keys included); writing starts at once. */
  create(rows: readonly MappedItem[]): void;
  /** Queues a plan's orphan writes (marks, then deletes). */
  orphans(plan: {
    readonly marks: readonly RowTarget[];
    readonly deletes: readonly RowTarget[];
  }): void;
  /** Queues conditional updates of managed fields (`--update`). */
  update(tasks: readonly UpdateTask[]): void;
  /**
   * Resolves once fewer than `limit` writes are queued or in flight, so that a
   * producer faster than the table waits instead of queueing without bound.
   */
  whenBelow(limit: number): Promise<void>;
  /** Resolves once every queued write has settled, with what was done. */
  finish(): Promise<ApplyResult>;
}

/**
 * Starts an executor that runs queued writes with at most `concurrency` in
 * flight, in the order they were queued. Writes can be queued while others
 * run, so reconcile starts creating rows while it is still listing the pool.
 * Creates are conditional puts that never overwrite a row present at the
 * moment of writing (the trigger may write the same user concurrently); marks
 * set `deletedAt` only on a row that exists and is not marked, erasing its
 * personal data and setting its expiry as `deletedRows` says; deletes are
 * conditional on the row existing. Writes that fail for a transient reason
 * (throttling, 5xx, reset, timeout) are retried with backoff and jitter; a
 * write that still fails is recorded and the others go on. When an answer is
 * lost and the retry finds the row as wanted, the write is counted as
 * `createdOrPresent` (or `markedOrSkipped`, `deletedOrGone`): never as
 * failed, never as someone else's.
 */
export function createPlanExecutor(options: ApplyOptions): PlanExecutor {
  const mapping =
    options.rowMapping ??
    resolveRowMapping({}, options.keyAttribute ? { keyAttribute: options.keyAttribute } : {});
  const table: UserTableOptions = {
    client: options.client,
    tableName: options.tableName,
    keyAttribute: mapping.key.attribute,
    rowMapping: mapping,
  };
  const target = (entry: RowTarget): { key: string; rowKey: RowKey } =>
    typeof entry === 'string'
      ? { key: entry, rowKey: { [mapping.key.attribute]: entry } }
      : { key: entry.key, rowKey: entry.rowKey };
  const keyOf = (row: MappedItem): RowKey =>
    matchRowKey(mapping, row)?.key ?? {
      [mapping.key.attribute]: String(row[mapping.key.attribute]),
    };
  const tasks: Task[] = [];
  const counts: { -readonly [K in keyof ApplyCounts]: number } = { ...ZERO_APPLY_COUNTS };
  const failures: ApplyFailure[] = [];
  // Per write: whether an attempt failed after its request may have landed.
  const retryFor = (lost: { landed: boolean }): TransientRetryOptions => ({
    ...options.retry,
    onRetry: (error, attempt, delayMs) => {
      counts.retries++;
      if (isThrottling(error)) counts.throttledRetries++;
      if (mayHaveLanded(error)) lost.landed = true;
      options.onRetry?.(error, attempt, delayMs);
    },
  });
  let next = 0;
  let queued = 0;
  let inFlight = 0;
  let done = 0;
  let idle: (() => void)[] = [];
  let roomWaiters: { limit: number; resolve: () => void }[] = [];
  const backlog = (): number => tasks.length - next + inFlight;

  const run = async (task: Task): Promise<void> => {
    const lost = { landed: false };
    const retry = retryFor(lost);
    if (task.action === 'create') {
      await options.beforeCreate?.(task.row);
      const outcome = await withTransientRetry(() => createRowIfAbsent(table, task.row), retry);
      if (outcome === 'created') counts.created++;
      else if (lost.landed) counts.createdOrPresent++;
      else counts.alreadyPresent++;
    } else if (task.action === 'update') {
      const outcome = await withTransientRetry(
        () =>
          updateManagedFields(table, task.task.rowKey, {
            set: task.task.update.set,
            remove: task.task.update.remove,
            // The columns are the mapping's (updateFor), which the store reads from the table.
            expectSub: task.task.update.expectSub?.value,
            notNewerThan: task.task.update.notNewerThan?.value,
          }),
        retry,
      );
      if (outcome === 'written') {
        if (task.task.adopt) counts.adopted++;
        else counts.updated++;
      } else if (lost.landed) counts.updatedOrSkipped++;
      else counts.updateSkipped++;
    } else if (task.action === 'mark') {
      const mark = {
        deletedAt: options.now,
        sub: 'any' as const,
        rowMapping: mapping,
        ...(options.deletedRows ? { policy: options.deletedRows } : {}),
      };
      const outcome = await withTransientRetry(
        () => markRowDeleted(table, task.rowKey, mark),
        retry,
      );
      if (outcome === 'marked') counts.marked++;
      else if (lost.landed) counts.markedOrSkipped++;
      else counts.markSkipped++;
    } else {
      const outcome = await withTransientRetry(() => deleteRowIfPresent(table, task.rowKey), retry);
      if (outcome === 'deleted') counts.deleted++;
      else if (lost.landed) counts.deletedOrGone++;
      else counts.deleteSkipped++;
    }
  };

  const pump = (): void => {
    if (options.signal?.aborted && next < tasks.length) {
      counts.notStarted += tasks.length - next;
      done += tasks.length - next;
      next = tasks.length;
    }
    while (inFlight < Math.max(1, options.concurrency) && next < tasks.length) {
      const task = tasks[next++] as Task;
      if (next >= 1024 && next * 2 >= tasks.length) {
        // Started tasks are not kept: a long run holds only what is pending.
        tasks.splice(0, next);
        next = 0;
      }
      inFlight++;
      run(task)
        .catch((error: unknown) => {
          failures.push({
            key: task.key,
            action: task.action,
            reason: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          inFlight--;
          done++;
          options.onProgress?.(done, queued);
          pump();
        });
    }
    if (roomWaiters.length > 0) {
      const waiting = roomWaiters;
      roomWaiters = [];
      for (const waiter of waiting) {
        if (backlog() < waiter.limit) waiter.resolve();
        else roomWaiters.push(waiter);
      }
    }
    if (inFlight === 0 && next === tasks.length) {
      const waiting = idle;
      idle = [];
      for (const resolve of waiting) resolve();
    }
  };

  options.signal?.addEventListener('abort', () => pump(), { once: true });

  const enqueue = (added: Task[]): void => {
    for (const task of added) tasks.push(task);
    queued += added.length;
    pump();
  };

  return {
    create: (rows) =>
      enqueue(
        rows.map((row): Task => ({ action: 'create', key: rowLabel(mapping, keyOf(row)), row })),
      ),
    orphans: (plan) =>
      enqueue([
        ...plan.marks.map((entry): Task => ({ action: 'mark', ...target(entry) })),
        ...plan.deletes.map((entry): Task => ({ action: 'delete', ...target(entry) })),
      ]),
    update: (updates) =>
      enqueue(updates.map((task): Task => ({ action: 'update', key: task.key, task }))),
    whenBelow: (limit) =>
      backlog() < limit
        ? Promise.resolve()
        : new Promise<void>((resolve) => roomWaiters.push({ limit, resolve })),
    finish: async () => {
      if (inFlight > 0 || next < tasks.length) {
        await new Promise<void>((resolve) => idle.push(resolve));
      }
      return { ...counts, failures: [...failures] };
    },
  };
}
