import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeFailure, errorMessage, isTransient } from '../domain/failure.js';
import { plural } from '../domain/plural.js';
import type { UserRow } from '../domain/userRow.js';
import { ConfigError } from '../errors.js';
import { type ListingPosition, listPoolUsers, type PoolUser } from '../pool/listPoolUsers.js';
import { readRowsByKey } from '../store/readRowsByKey.js';
import { type ScanPosition, scanPages, type TableKey, toTableKey } from '../store/scanPages.js';
import { projectedFields, scanProjection } from '../store/scanProjection.js';
import { describeStatusFilter, type OrphanMode, type ReconcileConfig } from './config.js';
import { fingerprint } from './fingerprints.js';
import { judgeOrphan, type PlanCounts, planPage, type ReconcilePlan } from './plan.js';
import { type ApplyFailure, type ApplyResult, createPlanExecutor } from './planExecutor.js';
import { planUpdates, type UpdateTask } from './planUpdates.js';
import { createRateLimiter, type RateLimiter } from './rateLimiter.js';
import type { RetryOptions } from './retry.js';
import { type AppliedCounts, newRunState, type RunCounts, type RunState } from './runState.js';

/** Where reconcile reports its progress; every callback is optional. */
export interface ReconcileProgress {
  /** After each ListUsers page. */
  listing?(listed: number, pages: number): void;
  /** After each Scan page. */
  scanning?(scanned: number): void;
  /** Once the whole pool is listed (the creates are planned; the orphan sweep follows). */
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
   * Continues this run (the `state` of an earlier report) instead of starting
   * one. @default - a new run
   */
  readonly state?: RunState;
  /**
   * Checked at every page boundary: once it returns true, no new page is
   * requested, the writes under way settle, and the report carries the
   * `state` to continue from (a Lambda function's time budget). @default - never
   */
  readonly shouldStop?: () => boolean;
}

/**
 * Counts of one run, safe to log (no usernames, no attributes): the plan's
 * counts, what applying it did (see `ApplyResult`), and the run's settings.
 */
export interface ReconcileSummary extends RunCounts, AppliedCounts {
  /** Whether the table matches the pool at the end of the run (see {@link reconcile}). */
  readonly converged: boolean;
  /** Whether the run wrote nothing. */
  readonly dryRun: boolean;
  /** Orphan handling used. */
  readonly orphanMode: OrphanMode;
  /** Status filter used, in words. */
  readonly statuses: string;
  /** Whether managed fields of existing rows were compared (`--update`). */
  readonly update: boolean;
  /** Whether this call continued an earlier run's state rather than starting a run. */
  readonly resumed: boolean;
  /** Whether the whole pool was listed and every row checked for orphans. */
  readonly orphansEvaluated: boolean;
  /** Whether the run went to its end (listing and sweep); if not, the report has its `state`. */
  readonly complete: boolean;
  /** Identifies the run across its slices. */
  readonly runId: string;
  /** Why the run stopped early (listing, scan, interruption); absent when it ran to the end. */
  readonly stopReason?: string;
  /** Wall-clock duration of the run. */
  readonly durationMs: number;
}

/** Everything a run produced. */
export interface ReconcileReport {
  /** Counts. */
  readonly summary: ReconcileSummary;
  /** What this call planned (or, in a dry run, would have written); the counts are the run's. */
  readonly plan: ReconcilePlan;
  /** Failed writes, with keys and reasons. */
  readonly failures: readonly ApplyFailure[];
  /** Why the table has not converged; `undefined` when it has. */
  readonly problem?: string;
  /** When the run did not go to its end: where it stands, to continue it (see `ReconcileOptions.state`). */
  readonly state?: RunState;
}

/**
 * Makes the table converge with the pool in two phases, keeping nothing of
 * the users but an 8-byte fingerprint each:
 *
 * 1. **Listing**: ListUsers in concurrent chains over disjoint `sub` shards,
 *    all paced by one rate limiter. For each page, one BatchGetItem reads the
 *    rows of its users; missing rows are created (conditional puts), and with
 *    `update` differing managed fields are updated, while the listing goes on.
 * 2. **Sweep**: once every user is listed, a parallel Scan reads the table's
 *    keys; a row whose key was not listed is an orphan (see `judgeOrphan`).
 *
 * A run can stop at any page boundary (`shouldStop`, a failed read, `signal`)
 * and continue later from the report's `state`, in the same process or
 * another: the listing and the sweep resume exactly where they stopped, so no
 * user is skipped or listed twice at a page boundary. Every write queued
 * before the stop has settled when the report is returned.
 *
 * The table has converged when the run went to its end and every write of
 * the run (all its slices) landed (a dry run: when nothing is left to write)
 * and, with `failOnOrphans`, no orphaned row is left without `deletedAt`.
 *
 * A run never throws for a failed call: the report says why it stopped
 * (`stopReason`), what was done, and carries the state to continue from.
 *
 * @throws ConfigError when `state` belongs to another pool or table
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { config, progress } = options;
  const clock = options.now ?? (() => new Date());
  const started = performance.now();
  const initial =
    options.state ??
    newRunState({
      userPoolId: config.userPoolId,
      tableName: config.tableName,
      now: clock(),
      sharded: (config.listChains ?? 1) > 1,
      scanSegments: config.scanSegments,
    });
  if (initial.userPoolId !== config.userPoolId || initial.tableName !== config.tableName) {
    throw new ConfigError(
      `the run state belongs to pool "${initial.userPoolId}" and table "${initial.tableName}", not to pool "${config.userPoolId}" and table "${config.tableName}"`,
    );
  }
  const runStart = new Date(initial.startedAt);
  const sharded = initial.listing.shards.some((shard) => shard.prefix !== '');
  const listed = initial.listed;
  const counts: Mutable<RunCounts> = { ...initial.counts, slices: initial.counts.slices + 1 };
  let listing: ListingPosition = initial.listing;
  let sweep: ScanPosition = initial.sweep;
  let phase: RunState['phase'] | 'done' = initial.phase;

  const rateLimiter = options.rateLimiter ?? createRateLimiter({ ratePerSecond: config.listRate });
  // Stops everything once the run must end: an interruption or a failed read.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  let budgetSpent = false;
  const shouldStop = (): boolean => {
    if (stop.signal.aborted) return true;
    if (options.shouldStop?.()) budgetSpent = true;
    return budgetSpent;
  };
  const retryNotice =
    (call: string): RetryOptions['onRetry'] =>
    (error, attempt, delayMs) =>
      progress?.retrying?.(call, attempt, describeFailure(error), delayMs);

  const planOptions = {
    userPoolId: config.userPoolId,
    mapping: config,
    statusFilter: config.statusFilter,
    orphans: config.orphans,
    now: runStart,
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
  const backlogLimit = Math.max(256, config.concurrency * 16);
  const plan = {
    creates: [] as UserRow[],
    marks: [] as string[],
    deletes: [] as string[],
    reported: [] as string[],
    markedButPresent: [] as string[],
  };
  // What the listing reads of each listed user's row.
  const rowAttributes = projectedFields({
    keyAttribute: config.keyAttribute,
    managedFields: config.update === true,
  });

  const onListedPage = async (users: readonly PoolUser[]): Promise<void> => {
    const found =
      users.length === 0
        ? new Map<string, Record<string, unknown>>()
        : await readRowsByKey(options.dynamo, {
            tableName: config.tableName,
            keyAttribute: config.keyAttribute,
            keys: users.map((user) => user.userName),
            attributes: rowAttributes,
            retry: { ...options.retry, onRetry: retryNotice('BatchGetItem') },
            signal: stop.signal,
          });
    // Counted once its rows are read: a page that fails is listed again on resume.
    for (const user of users) listed.add(fingerprint(user.userName, initial.salt));
    counts.usersListed += users.length;
    counts.pages++;
    progress?.listing?.(counts.usersListed, counts.pages);
    const rows = new Map<string, TableKey>();
    for (const [key, item] of found) rows.set(key, toTableKey(key, item));
    const page = planPage(users, rows, planOptions);
    counts.usersEligible += page.eligible;
    counts.inSync += page.inSync;
    counts.toCreate += page.creates.length;
    counts.markedButPresent += page.markedButPresent.length;
    plan.markedButPresent.push(...page.markedButPresent);
    const updates: UpdateTask[] = config.update
      ? planUpdates(users, rows, { userPoolId: config.userPoolId, mapping: config, now: clock() })
      : [];
    counts.toUpdate += updates.length;
    if (config.dryRun) {
      plan.creates.push(...page.creates);
      return;
    }
    if (options.signal?.aborted) return;
    plan.creates.push(...page.creates);
    executor.create(page.creates);
    executor.update(updates);
    await executor.whenBelow(backlogLimit);
  };

  const onSweptPage = async (rows: readonly TableKey[]): Promise<void> => {
    counts.rowsScanned += rows.length;
    progress?.scanning?.(counts.rowsScanned);
    const marks: string[] = [];
    const deletes: string[] = [];
    for (const row of rows) {
      if (listed.has(fingerprint(row.key, initial.salt))) continue;
      if (sharded && !inSomeShard(row)) {
        // Its user may exist with a sub the 16 shards do not cover: never an orphan.
        counts.orphansOutsideShards++;
        continue;
      }
      counts.orphans++;
      if (row.deletedAt !== undefined) counts.orphansAlreadyMarked++;
      const decision = judgeOrphan(row, planOptions);
      if (decision === 'too-recent') counts.orphansTooRecent++;
      else if (decision === 'delete') deletes.push(row.key);
      else if (decision === 'mark') marks.push(row.key);
      else if (decision === 'report') {
        plan.reported.push(row.key);
        counts.orphansReported++;
      }
    }
    counts.toMark += marks.length;
    counts.toDelete += deletes.length;
    plan.marks.push(...marks);
    plan.deletes.push(...deletes);
    if (config.dryRun || options.signal?.aborted) return;
    executor.orphans({ marks, deletes });
    await executor.whenBelow(backlogLimit);
  };

  let stopReason: string | undefined;
  // Running again helps after an interruption or a transient failure, not
  // after an unknown pool or table, a key mismatch or a denied call.
  let rerunHelps = true;
  const fail = (error: unknown): void => {
    if (stopReason === undefined) {
      stopReason = options.signal?.aborted ? 'interrupted' : errorMessage(error);
      if (!options.signal?.aborted && !isTransient(error)) rerunHelps = false;
    }
    stop.abort();
  };
  const positionOf = <T>(error: unknown, fallback: T): T =>
    ((error as { position?: T } | null)?.position ?? fallback) as T;

  if (phase === 'listing' && !shouldStop()) {
    try {
      const result = await listPoolUsers(options.cognito, {
        userPoolId: config.userPoolId,
        rateLimiter,
        chains: config.listChains ?? 1,
        position: listing,
        retry: { ...options.retry, onRetry: retryNotice('ListUsers') },
        signal: stop.signal,
        shouldStop,
        onTokenRefused: (reason) => progress?.restarted?.(reason),
        onPage: onListedPage,
      });
      listing = result.position;
      if (result.complete) {
        phase = 'sweeping';
        progress?.planned?.(counts);
      }
    } catch (error) {
      listing = positionOf(error, listing);
      fail(error);
    }
  }
  if (phase === 'sweeping' && !shouldStop()) {
    try {
      const result = await scanPages(options.dynamo, {
        tableName: config.tableName,
        keyAttribute: config.keyAttribute,
        projection: scanProjection({ keyAttribute: config.keyAttribute, sub: sharded }),
        position: sweep,
        shouldStop,
        retry: { ...options.retry, onRetry: retryNotice('Scan') },
        signal: stop.signal,
        onPage: onSweptPage,
      });
      sweep = result.position;
      if (result.complete) phase = 'done';
    } catch (error) {
      sweep = positionOf(error, sweep);
      fail(error);
    }
  }
  if (options.signal?.aborted && stopReason === undefined) stopReason = 'interrupted';
  if (stopReason === undefined && phase !== 'done') stopReason = TIME_BUDGET_SPENT;
  options.signal?.removeEventListener('abort', onAbort);

  const applied = await executor.finish();
  const { failures, ...appliedNow } = applied;
  const total = addApplied(initial.applied, appliedNow, failures.length);
  const state: RunState = {
    ...initial,
    phase: phase === 'done' ? 'sweeping' : phase,
    listing,
    sweep,
    counts,
    applied: total,
  };
  const complete = phase === 'done';
  const problem =
    stopReason !== undefined
      ? `the run stopped early (${stopReason}); ${total.created + total.createdOrPresent} rows were written so far${rerunHelps ? ': run again to continue' : ''}`
      : findProblem(counts, total, config);
  return {
    summary: {
      converged: problem === undefined,
      dryRun: config.dryRun,
      orphanMode: config.orphans,
      statuses: describeStatusFilter(config.statusFilter),
      ...counts,
      ...total,
      update: config.update === true,
      resumed: options.state !== undefined,
      orphansEvaluated: complete,
      complete,
      runId: initial.runId,
      ...(stopReason !== undefined ? { stopReason } : {}),
      durationMs: Math.round(performance.now() - started),
    },
    plan: { ...plan, counts },
    failures,
    ...(problem ? { problem } : {}),
    ...(complete ? {} : { state }),
  };
}

/** The `stopReason` of a run stopped by `shouldStop` (its time budget), to be continued. */
export const TIME_BUDGET_SPENT = 'time budget spent';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Whether a row's `sub` starts with a lowercase hex digit, i.e. falls in one of the 16 shards. */
function inSomeShard(row: TableKey): boolean {
  const sub = row.row?.sub;
  return typeof sub === 'string' && /^[0-9a-f]/.test(sub);
}

function addApplied(
  before: AppliedCounts,
  now: Omit<ApplyResult, 'failures'>,
  failed: number,
): AppliedCounts {
  const sum: Record<string, number> = {};
  for (const [name, value] of Object.entries(before)) {
    sum[name] = value + ((now as unknown as Record<string, number>)[name] ?? 0);
  }
  sum.failed = before.failed + failed;
  return sum as AppliedCounts;
}

function findProblem(
  counts: RunCounts,
  applied: AppliedCounts,
  config: ReconcileConfig,
): string | undefined {
  const writes = counts.toCreate + counts.toMark + counts.toDelete + counts.toUpdate;
  if (config.dryRun) {
    if (writes > 0) {
      const updates = config.update ? `, ${counts.toUpdate} to update` : '';
      return `dry run: the table is out of sync (${plural(counts.toCreate, 'row')} to create, ${counts.toMark} to mark, ${counts.toDelete} to delete${updates}); nothing was written`;
    }
  } else if (applied.failed > 0) {
    return `${applied.failed} of ${writes} writes failed; run reconcile again once the cause is fixed`;
  }
  if (config.failOnOrphans && counts.orphansReported > 0) {
    return `${plural(counts.orphansReported, 'orphaned row')} left unmarked (report mode): set the orphan mode to mark or delete (--orphans, ORPHANS, scheduledReconcile.orphans)`;
  }
  return undefined;
}
