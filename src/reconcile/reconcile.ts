import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserRow } from '../domain/userRow.js';
import { listPoolUsers, type PoolUser } from '../pool/listPoolUsers.js';
import { scanTableKeys, type TableKey } from '../store/scanTableKeys.js';
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
}

/** Dependencies and options of {@link reconcile}. */
export interface ReconcileOptions {
  /** Validated configuration. */
  readonly config: ReconcileConfig;
  /** Cognito client (ListUsers). */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client (Scan, PutItem, UpdateItem, DeleteItem). */
  readonly dynamo: DynamoDBDocumentClient;
  /** Progress callbacks. @default - none */
  readonly progress?: ReconcileProgress;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
  /** Paces ListUsers. @default - a token bucket at `config.listRate` */
  readonly rateLimiter?: RateLimiter;
  /** Backoff settings for throttled calls (tests shorten them). @default - 8 attempts */
  readonly retry?: Omit<RetryOptions, 'isRetryable' | 'onRetry'>;
  /** Orphan grace period in milliseconds. @default 600000 */
  readonly orphanGraceMs?: number;
  /** Runs just before each create is sent (tests use it to race a write). @default - nothing */
  readonly beforeCreate?: (row: UserRow) => Promise<void> | void;
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
  /** Writes that failed after retries. */
  readonly failed: number;
  /** Whether managed fields of existing rows were compared (`--update`). */
  readonly update: boolean;
  /** Existing rows whose managed fields differ from the pool (`--update`). */
  readonly toUpdate: number;
  /** Wall-clock duration of the run. */
  readonly durationMs: number;
}

/** Everything a run produced. */
export interface ReconcileReport {
  /** Counts. */
  readonly summary: ReconcileSummary;
  /** The plan that was (or, in a dry run, would have been) applied. */
  readonly plan: ReconcilePlan;
  /** Failed writes, with keys and reasons. */
  readonly failures: readonly ApplyFailure[];
  /** Why the table has not converged; `undefined` when it has. */
  readonly problem?: string;
}

/**
 * Lists the pool and scans the table at the same time, plans, and applies the
 * plan (unless `dryRun`). Creates start as soon as the scan is done, page by
 * page, while the rest of the pool is being listed (they are exactly the
 * plan's creates, see `planCreates`); orphans are handled once the listing is
 * complete.
 *
 * The table has converged when every planned write succeeded (a dry run: when
 * the plan has nothing to write) and, with `failOnOrphans`, no orphaned row is
 * left without `deletedAt`.
 *
 * @throws TableReadError when the table cannot be read (nothing is written
 *   then), or UserPoolReadError when a ListUsers page cannot be read (only rows
 *   of users already listed may have been created, after the writes under way
 *   have settled; no orphan is touched)
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { config, progress } = options;
  const clock = options.now ?? (() => new Date());
  const started = performance.now();
  const now = clock();
  const rateLimiter = options.rateLimiter ?? createRateLimiter({ ratePerSecond: config.listRate });

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
    onProgress: (done, total) => progress?.applying?.(done, total),
  });

  const scan = scanTableKeys(options.dynamo, {
    tableName: config.tableName,
    keyAttribute: config.keyAttribute,
    segments: config.scanSegments,
    managedFields: config.update === true,
    ...(options.retry ? { retry: options.retry } : {}),
    onPage: (scanned) => progress?.scanning?.(scanned),
  });
  // Creates start page by page once the table's keys are known, while the
  // listing goes on (it is paced, so it is usually the longest part).
  const rowsByKey = scan.then(indexRows);
  // A failed scan is reported through `scan` below; this copy must not go unhandled.
  rowsByKey.catch(() => {});
  const fed = new Set<string>();
  let feeding: Promise<void> = Promise.resolve();
  let failed = false;
  const feed = (page: readonly PoolUser[]): void => {
    if (config.dryRun) return;
    const fresh = page.filter((user) => !fed.has(user.userName));
    for (const user of fresh) fed.add(user.userName);
    feeding = feeding
      .then(async () => {
        const creates = planCreates(fresh, await rowsByKey, planOptions);
        if (!failed) executor.create(creates);
      })
      .catch(() => {});
  };

  let users: PoolUser[];
  let keys: TableKey[];
  try {
    [users, keys] = await Promise.all([
      listPoolUsers(options.cognito, {
        userPoolId: config.userPoolId,
        rateLimiter,
        ...(options.retry ? { retry: options.retry } : {}),
        onPage: (listed, pages) => progress?.listing?.(listed, pages),
        onUsers: feed,
      }),
      scan,
    ]);
  } catch (error) {
    // Start no more writes, and let those under way settle, before reporting.
    failed = true;
    await feeding;
    await executor.finish();
    throw error;
  }
  await feeding;

  const plan = planReconcile(users, keys, planOptions);
  progress?.planned?.(plan.counts);
  const updates = config.update
    ? planUpdates(users, indexRows(keys), { userPoolId: config.userPoolId, mapping: config, now })
    : [];
  if (!config.dryRun) {
    executor.orphans(plan);
    executor.update(updates);
  }
  const applied = await executor.finish();

  const problem = findProblem(plan, applied, config, updates.length);
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
      durationMs: Math.round(performance.now() - started),
    },
    plan,
    failures,
    ...(problem ? { problem } : {}),
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
    return `${counts.orphansReported} orphaned rows left unmarked (report mode); use --orphans mark or --orphans delete`;
  }
  return undefined;
}
