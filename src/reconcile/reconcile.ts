import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeFailure, errorMessage } from '../domain/failure.js';
import type { UserRow } from '../domain/userRow.js';
import { listPoolUsers, type PoolUser } from '../pool/listPoolUsers.js';
import { scanTableKeys } from '../store/scanTableKeys.js';
import { describeStatusFilter, type OrphanMode, type ReconcileConfig } from './config.js';
import {
  indexRows,
  type PlanCounts,
  planCreates,
  planReconcile,
  type ReconcilePlan,
} from './plan.js';
import { type ApplyFailure, type ApplyResult, createPlanExecutor } from './planExecutor.js';
import { planUpdates } from './planUpdates.js';
import { createRateLimiter, type RateLimiter } from './rateLimiter.js';
import type { RetryOptions } from './retry.js';

/** Where reconcile reports its progress; every callback is optional. */
export interface ReconcileProgress {
  /** After each ListUsers page. */
  listing?(listed: number, pages: number): void;
  /** After each Scan page. */
  scanning?(scanned: number): void;
  /** Once the plan is computed. */
  planned?(counts: PlanCounts): void;
  /** After each write. */
  applying?(done: number, total: number): void;
  /** Before a retry: which call (`ListUsers`, `Scan`, `write`), the attempt that failed, why, and the wait. */
  retrying?(call: string, attempt: number, reason: string, delayMs: number): void;
  /** When a checkpoint's token was refused and the listing starts over. */
  restarted?(reason: string): void;
}

/** Dependencies and options of {@link reconcile}. */
export interface ReconcileOptions {
  /** Validated configuration. */
  readonly config: ReconcileConfig;
  /** Cognito client (ListUsers); make it try once per call (reconcile retries on its own). */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client (Scan, PutItem, UpdateItem, DeleteItem); one attempt per call too. */
  readonly dynamo: DynamoDBDocumentClient;
  /** Progress callbacks. @default - none */
  readonly progress?: ReconcileProgress;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
  /** Paces ListUsers. @default - a token bucket at `config.listRate` */
  readonly rateLimiter?: RateLimiter;
  /** Backoff settings of every retried call (tests shorten them). @default - 12 attempts */
  readonly retry?: Omit<RetryOptions, 'isRetryable' | 'onRetry'>;
  /** Orphan grace period in milliseconds. @default 600000 */
  readonly orphanGraceMs?: number;
  /** Runs just before each create is sent (tests use it to race a write). @default - nothing */
  readonly beforeCreate?: (row: UserRow) => Promise<void> | void;
  /**
   * Stops the run when signalled (SIGINT): no new request, writes under way
   * settle, and the report says what was done. @default - never
   */
  readonly signal?: AbortSignal;
  /**
   * Lists from this page token on (a checkpoint's) instead of from the first
   * page. Orphans are then not evaluated (the listing is partial). A token
   * Cognito refuses makes the listing start over. @default - the first page
   */
  readonly resumeToken?: string;
  /** Called after each page with the next page's token (`undefined` at the end). @default - nothing */
  readonly onCheckpoint?: (nextToken: string | undefined) => void;
}

/**
 * Counts of one run, safe to log (no usernames, no attributes): the plan's
 * counts, what applying it did (see `ApplyResult`), and the run's settings.
 */
export interface ReconcileSummary extends PlanCounts, Omit<ApplyResult, 'failures'> {
  /** Whether the table matches the pool at the end of the run (see {@link reconcile}). */
  readonly converged: boolean;
  /** Whether the run wrote nothing. */
  readonly dryRun: boolean;
  /** Orphan handling used. */
  readonly orphanMode: OrphanMode;
  /** Status filter used, in words. */
  readonly statuses: string;
  /** Writes that failed after retries (they did not land, see `ApplyResult.failures`). */
  readonly failed: number;
  /** Whether managed fields of existing rows were compared (`--update`). */
  readonly update: boolean;
  /** Existing rows whose managed fields differ from the pool (`--update`). */
  readonly toUpdate: number;
  /** Whether the listing started from a checkpoint rather than the first page. */
  readonly resumed: boolean;
  /** Whether the whole pool was listed and orphans were evaluated. */
  readonly orphansEvaluated: boolean;
  /** Why the run stopped early (listing, scan, interruption); absent when it ran to the end. */
  readonly stopReason?: string;
  /** Wall-clock duration of the run. */
  readonly durationMs: number;
}

/** Everything a run produced. */
export interface ReconcileReport {
  /** Counts. */
  readonly summary: ReconcileSummary;
  /** The plan that was (or, in a dry run, would have been) applied; partial when the run stopped. */
  readonly plan: ReconcilePlan;
  /** Failed writes, with keys and reasons. */
  readonly failures: readonly ApplyFailure[];
  /** Why the table has not converged; `undefined` when it has. */
  readonly problem?: string;
  /** When the run stopped while listing: the token of the first page not listed, to resume from. */
  readonly resumeToken?: string;
}

/**
 * Lists the pool and scans the table at the same time, plans, and applies the
 * plan (unless `dryRun`). Creates start as soon as the scan is done, page by
 * page, while the rest of the pool is being listed (they are exactly the
 * plan's creates, see `planCreates`); orphans are handled once the listing is
 * complete. Every call is retried on transient errors (see `listPoolUsers`,
 * `scanTableKeys`, `createPlanExecutor`).
 *
 * The table has converged when the run went to the end and every planned
 * write landed (a dry run: when the plan has nothing to write) and, with
 * `failOnOrphans`, no orphaned row is left without `deletedAt`.
 *
 * A run never throws for a failed call: when the listing or the scan fails
 * after its retries, or `signal` aborts, no new request starts, the writes
 * under way settle, and the report says why it stopped (`stopReason`), what
 * was done, and (while listing) the token to resume from. Only rows of users
 * already listed may have been created then; no orphan is touched.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { config, progress } = options;
  const clock = options.now ?? (() => new Date());
  const started = performance.now();
  const now = clock();
  const rateLimiter = options.rateLimiter ?? createRateLimiter({ ratePerSecond: config.listRate });
  // Stops everything once the run must end: an interruption or a failed read.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const retryNotice =
    (call: string): RetryOptions['onRetry'] =>
    (error, attempt, delayMs) =>
      progress?.retrying?.(call, attempt, describeFailure(error), delayMs);

  const planOptions = {
    userPoolId: config.userPoolId,
    mapping: config,
    statusFilter: config.statusFilter,
    orphans: config.orphans,
    now,
    ...(options.orphanGraceMs !== undefined ? { orphanGraceMs: options.orphanGraceMs } : {}),
  };
  // A dry run queues nothing, so its executor reports zero writes.
  const executor = createPlanExecutor({
    client: options.dynamo,
    tableName: config.tableName,
    keyAttribute: config.keyAttribute,
    concurrency: config.concurrency,
    now: clock(),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.beforeCreate ? { beforeCreate: options.beforeCreate } : {}),
    onRetry: retryNotice('write'),
    // Only an interruption cancels queued writes: after a failed read, the
    // rows of the users already listed are still written.
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => progress?.applying?.(done, total),
  });

  const scan = scanTableKeys(options.dynamo, {
    tableName: config.tableName,
    keyAttribute: config.keyAttribute,
    segments: config.scanSegments,
    managedFields: config.update === true,
    retry: { ...options.retry, onRetry: retryNotice('Scan') },
    signal: stop.signal,
    onPage: (scanned) => progress?.scanning?.(scanned),
  });
  // Creates start page by page once the table's keys are known, while the
  // listing goes on (it is paced, so it is usually the longest part).
  const rowsByKey = scan.then(indexRows);
  // A failed scan is reported through `scan` below; this copy must not go unhandled.
  rowsByKey.catch(() => {});
  const fed = new Set<string>();
  const listedUsers: PoolUser[] = [];
  const queued: UserRow[] = [];
  let feeding: Promise<void> = Promise.resolve();
  const feed = (page: readonly PoolUser[]): void => {
    listedUsers.push(...page);
    if (config.dryRun) return;
    const fresh = page.filter((user) => !fed.has(user.userName));
    for (const user of fresh) fed.add(user.userName);
    feeding = feeding
      .then(async () => {
        const creates = planCreates(fresh, await rowsByKey, planOptions);
        if (!options.signal?.aborted) {
          queued.push(...creates);
          executor.create(creates);
        }
      })
      .catch(() => {});
  };

  let nextToken: string | undefined = options.resumeToken;
  let resumed = options.resumeToken !== undefined;
  const listing = listPoolUsers(options.cognito, {
    userPoolId: config.userPoolId,
    rateLimiter,
    retry: { ...options.retry, onRetry: retryNotice('ListUsers') },
    signal: stop.signal,
    ...(options.resumeToken ? { startToken: options.resumeToken } : {}),
    onTokenRefused: (reason) => {
      resumed = false;
      progress?.restarted?.(reason);
    },
    onPage: (listed, pages) => progress?.listing?.(listed, pages),
    onUsers: feed,
    onToken: (token) => {
      nextToken = token;
      options.onCheckpoint?.(token);
    },
  });
  let stopReason: string | undefined;
  const fail = (error: unknown): undefined => {
    if (stopReason === undefined) {
      stopReason = options.signal?.aborted ? 'interrupted' : errorMessage(error);
    }
    stop.abort();
    return undefined;
  };
  const [users, keys] = await Promise.all([listing.catch(fail), scan.catch(fail)]);
  await feeding;
  if (options.signal?.aborted && stopReason === undefined) stopReason = 'interrupted';
  options.signal?.removeEventListener('abort', onAbort);

  const complete = users !== undefined && keys !== undefined && stopReason === undefined;
  let plan: ReconcilePlan;
  if (complete && !resumed) {
    plan = planReconcile(users, keys, planOptions);
  } else {
    // A partial listing: only the listed users' rows can be judged; no orphan.
    const listed = new Set(listedUsers.map((user) => user.userName));
    const known = keys ?? [];
    const partial = planReconcile(
      listedUsers,
      known.filter((row) => listed.has(row.key)),
      { ...planOptions, orphans: 'report' },
    );
    plan = {
      ...partial,
      creates: config.dryRun || !keys ? partial.creates : queued,
      counts: {
        ...partial.counts,
        rowsScanned: known.length,
        toCreate: config.dryRun || !keys ? partial.counts.toCreate : queued.length,
      },
    };
  }
  progress?.planned?.(plan.counts);
  const updates =
    config.update && keys
      ? planUpdates(complete && !resumed ? (users ?? []) : listedUsers, indexRows(keys), {
          userPoolId: config.userPoolId,
          mapping: config,
          now,
        })
      : [];
  if (!config.dryRun) {
    // Orphans only after a whole listing; updates for every user listed.
    if (complete && !resumed) executor.orphans(plan);
    executor.update(updates);
  }
  const applied = await executor.finish();

  const problem =
    stopReason !== undefined
      ? `the run stopped early (${stopReason}); ${applied.created + applied.createdOrPresent} rows were written before it stopped${nextToken ? ': run again to resume' : ''}`
      : findProblem(plan, applied, config, updates.length);
  const { failures, ...appliedCounts } = applied;
  return {
    summary: {
      converged: problem === undefined,
      dryRun: config.dryRun,
      orphanMode: config.orphans,
      statuses: describeStatusFilter(config.statusFilter),
      ...plan.counts,
      ...appliedCounts,
      failed: failures.length,
      update: config.update === true,
      toUpdate: updates.length,
      resumed,
      orphansEvaluated: complete && !resumed,
      ...(stopReason !== undefined ? { stopReason } : {}),
      durationMs: Math.round(performance.now() - started),
    },
    plan,
    failures,
    ...(problem ? { problem } : {}),
    ...(stopReason !== undefined && users === undefined && nextToken !== undefined
      ? { resumeToken: nextToken }
      : {}),
  };
}

function findProblem(
  plan: ReconcilePlan,
  applied: ApplyResult,
  config: ReconcileConfig,
  toUpdate: number,
): string | undefined {
  const { counts } = plan;
  if (config.dryRun) {
    const pending = counts.toCreate + counts.toMark + counts.toDelete + toUpdate;
    if (pending > 0) {
      const updates = config.update ? `, ${toUpdate} to update` : '';
      return `dry run: the table is out of sync (${counts.toCreate} rows to create, ${counts.toMark} to mark, ${counts.toDelete} to delete${updates}); nothing was written`;
    }
  } else if (applied.failures.length > 0) {
    return `${applied.failures.length} of ${counts.toCreate + counts.toMark + counts.toDelete + toUpdate} writes failed; run reconcile again once the cause is fixed`;
  }
  if (config.failOnOrphans && counts.orphansReported > 0) {
    return `${counts.orphansReported} orphaned rows left unmarked (report mode): set the orphan mode to mark or delete (--orphans, ORPHANS, scheduledReconcile.orphans)`;
  }
  return undefined;
}
