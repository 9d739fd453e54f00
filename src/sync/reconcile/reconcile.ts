import { setMaxListeners } from 'node:events';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GROUP_CALL_QUOTAS } from '../../aws/pool/groupQuotas.js';
import {
  type ListingPosition,
  listPoolUsers,
  type PoolUser,
} from '../../aws/pool/listPoolUsers.js';
import { subInPool, userInPool } from '../../aws/pool/userInPool.js';
import { readMappedRows } from '../../aws/store/readRowsByKey.js';
import { type ScanPosition, scanPages, type TableKey } from '../../aws/store/scanPages.js';
import { readTableKeySchema } from '../../aws/store/tableKeySchema.js';
import {
  describeStatusFilter,
  type OrphanMode,
  type ReconcileConfig,
} from '../../domain/reconcileConfig.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { keySchemaMismatch } from '../../domain/rowMapping/keySchema.js';
import {
  keyValuesOf,
  matchRowKey,
  type RowKey,
  renderRowKey,
  rowKeyId,
  rowSubOf,
} from '../../domain/rowMapping/keys.js';
import { keyScanFilter, rowProjection } from '../../domain/rowMapping/scan.js';
import { ConfigError } from '../../shared/errors.js';
import { describeFailure, errorMessage, errorName, isTransient } from '../../shared/failure.js';
import { plural } from '../../shared/plural.js';
import { createRateLimiter, listingBurst, type RateLimiter } from '../../shared/rateLimiter.js';
import type { RetryOptions, TransientRetryOptions } from '../../shared/retry.js';
import { fingerprint } from './fingerprints.js';
import { readGroupMemberships } from './groupMemberships.js';
import {
  judgeOrphan,
  type MappedItem,
  mappedUserOf,
  type OrphanDecision,
  type PagePlan,
  type PlanCounts,
  type PlanOptions,
  planPage,
  type ReconcilePlan,
  rowLabel,
} from './plan.js';
import {
  type ApplyFailure,
  type ApplyResult,
  createPlanExecutor,
  type RowTarget,
} from './planExecutor.js';
import {
  type AppliedCounts,
  newRunState,
  type RunCounts,
  type RunState,
  rowKeysOf,
} from './runState.js';

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
  /** Paces ListUsers. @default - a token bucket at `config.listRate`, burst `listingBurst` (half a second's requests) */
  readonly rateLimiter?: RateLimiter;
  /** Backoff settings of every retried call (tests shorten them). @default - 12 attempts */
  readonly retry?: Omit<TransientRetryOptions, 'onRetry'>;
  /** Orphan grace period in milliseconds. @default 600000 */
  readonly orphanGraceMs?: number;
  /** Runs just before each create is sent (tests use it to race a write). @default - nothing */
  readonly beforeCreate?: (row: MappedItem) => Promise<void> | void;
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
  /**
   * Keys (rows, for the creates) the report's `plan` keeps of each action:
   * the first ones planned, for a summary to show; the counts are always
   * complete. Memory then depends on the pages in flight, not on the pool:
   * raise it only to print every key of a small run.
   * @default DEFAULT_KEYS_KEPT (20)
   */
  readonly keysKept?: number;
  /**
   * Describe the table first (DescribeTable) and stop, writing nothing, when
   * its primary key is not the row mapping's. A denied DescribeTable skips
   * the check. @default true
   */
  readonly checkKeySchema?: boolean;
}

/** Keys of each planned action a report keeps by default (see `ReconcileOptions.keysKept`). */
export const DEFAULT_KEYS_KEPT = 20;

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
  /** The row mapping's keys, e.g. `username={username}` or `pk=USER#{sub} sk=PROFILE`. */
  readonly rowKeys: string;
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
  /**
   * What this call planned (or, in a dry run, would have written): the first
   * `keysKept` keys of each action, and the run's counts (every key counted).
   */
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
 * 1. **Listing**: ListUsers over the 16 disjoint `sub` shards (one unfiltered
 *    listing with `listChains: 1`), as many pages in flight as reaching
 *    `listRate` takes (measured), all paced by one rate limiter. For each page, one BatchGetItem reads the
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
 * @throws ConfigError when `state` belongs to another pool or table, or
 *   `keysKept` is not a whole number of at least 0
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const started = performance.now();
  const run = startRun(options);
  if (options.checkKeySchema !== false && !run.shouldStop()) await checkKeySchema(run);
  let { phase, listing, sweep } = run.initial;
  if (phase === 'listing' && run.mapping.fields.groups !== undefined && !run.shouldStop()) {
    await readGroupsStep(run);
  }
  if (phase === 'listing' && !run.shouldStop()) {
    const listed = await listingPhase(run, listing);
    listing = listed.position;
    if (listed.complete) phase = 'sweeping';
  }
  let swept = false;
  if (phase === 'sweeping' && !run.shouldStop()) {
    const result = await sweepPhase(run, sweep);
    sweep = result.position;
    swept = result.complete;
  }
  run.finishSignals();
  return reportRun(run, {
    phase: swept ? 'done' : phase,
    listing,
    sweep,
    applied: await run.executor.finish(),
    durationMs: Math.round(performance.now() - started),
  });
}

/** What the phases of one call share: its options, the state it continues, its counts and plan. */
interface Run {
  readonly options: ReconcileOptions;
  readonly config: ReconcileConfig;
  /** How a user becomes a row (`config.rowMapping`). */
  readonly mapping: RowMapping;
  /** The state this call continues (or a new run's). */
  readonly initial: RunState;
  /** Whether `initial` is the state given to continue (not a new run's). */
  readonly resumed: boolean;
  /**
   * Whether the run stopped before it started for a configuration that
   * cannot work (the table's key schema): the report then carries no state,
   * since continuing it cannot help.
   */
  configurationError: boolean;
  readonly clock: () => Date;
  /** Whether the listing goes over the 16 `sub` shards. */
  readonly sharded: boolean;
  /** The run's counts (all its slices), updated as pages are planned. */
  readonly counts: Mutable<RunCounts>;
  /** The first keys of each action, for the summary; the counts have the rest. */
  readonly plan: {
    readonly creates: MappedItem[];
    readonly marks: string[];
    readonly deletes: string[];
    readonly reported: string[];
    readonly markedButPresent: string[];
  };
  /** Appends items to a list of `plan` until it holds `keysKept`. */
  keep<T>(kept: T[], items: readonly T[]): void;
  /** Set once; `groupsOf` added when the groups are read. */
  planOptions: PlanOptions;
  readonly executor: ReturnType<typeof createPlanExecutor>;
  /** Writes queued at most before a page waits for them. */
  readonly backlogLimit: number;
  readonly rateLimiter: RateLimiter;
  /** Aborted once the run must end: an interruption or a failed read. */
  readonly stop: AbortController;
  /** Whether no new page may be requested (stopped, or the time budget spent). */
  shouldStop(): boolean;
  /** The `onRetry` of a call's retries, reporting it as progress. */
  retryNotice(call: string): RetryOptions['onRetry'];
  /** Records why the run stops (the first reason stays) and stops it. */
  fail(error: unknown, rerunHelps?: boolean): void;
  /** Why the run stopped early, once it did. */
  stopReason(): string | undefined;
  /**
   * Whether running again can get past the stop: after an interruption or a
   * transient failure, not after an unknown pool or table, a key mismatch or
   * a denied call.
   */
  rerunHelps(): boolean;
  /** Detaches the run from `options.signal`. */
  finishSignals(): void;
}

/** Checks the options and sets up the run: its state, rate limiter, stop signal, executor and plan. */
function startRun(options: ReconcileOptions): Run {
  const { config } = options;
  const mapping = config.rowMapping;
  const clock = options.now ?? (() => new Date());
  const { initial, resumed } = initialStateOf(options, clock);
  const keep = keeperOf(options.keysKept ?? DEFAULT_KEYS_KEPT);
  const rateLimiter =
    options.rateLimiter ??
    createRateLimiter({ ratePerSecond: config.listRate, burst: listingBurst(config.listRate) });
  const stopping = stopControlOf(options);
  const retryNotice = retryNoticeOf(options.progress);
  return {
    options,
    config,
    mapping,
    initial,
    resumed,
    configurationError: false,
    clock,
    sharded: initial.listing.shards.some((shard) => shard.prefix !== ''),
    counts: { ...initial.counts, slices: initial.counts.slices + 1 },
    plan: { creates: [], marks: [], deletes: [], reported: [], markedButPresent: [] },
    keep,
    planOptions: planOptionsOf(options, initial),
    executor: runExecutorOf(options, clock, retryNotice),
    backlogLimit: Math.max(256, config.concurrency * 16),
    rateLimiter,
    ...stopping,
    retryNotice,
  };
}

/**
 * The state the call continues: `options.state`, unless it was started under
 * other row keys (then, as without one, a new run's).
 *
 * @throws ConfigError when the state belongs to another pool or table
 */
function initialStateOf(
  options: ReconcileOptions,
  clock: () => Date,
): { readonly initial: RunState; readonly resumed: boolean } {
  const { config, progress } = options;
  const rowKeys = rowKeysOf(config.rowMapping);
  // A state started under other row keys fingerprinted other keys: worthless now.
  const stale = options.state !== undefined && options.state.rowKeys !== rowKeys;
  if (stale) {
    progress?.restarted?.(
      `the saved run was started with the row keys ${options.state?.rowKeys}, not ${rowKeys}: a new run starts`,
    );
  }
  const resumed = options.state !== undefined && !stale;
  const initial =
    (resumed ? options.state : undefined) ??
    newRunState({
      userPoolId: config.userPoolId,
      tableName: config.tableName,
      now: clock(),
      sharded: config.listChains !== 1,
      scanSegments: config.scanSegments,
      rowKeys,
    });
  if (initial.userPoolId !== config.userPoolId || initial.tableName !== config.tableName) {
    throw new ConfigError(
      `the run state belongs to pool "${initial.userPoolId}" and table "${initial.tableName}", not to pool "${config.userPoolId}" and table "${config.tableName}"`,
    );
  }
  return { initial, resumed };
}

/**
 * The `keep` of a run: appends items to a list until it holds `keysKept`.
 *
 * @throws ConfigError when `keysKept` is not a whole number of at least 0
 */
function keeperOf(keysKept: number): Run['keep'] {
  if (!Number.isInteger(keysKept) || keysKept < 0) {
    throw new ConfigError(`keysKept must be a whole number of at least 0, got ${String(keysKept)}`);
  }
  return (kept, items) => {
    for (const item of items) {
      if (kept.length >= keysKept) return;
      kept.push(item);
    }
  };
}

/** The run's stop signal, aborted with `signal` (and at once when it already is); `unlink` detaches it. */
function linkedStop(signal: AbortSignal | undefined): {
  readonly stop: AbortController;
  readonly unlink: () => void;
} {
  const stop = new AbortController();
  // Every page in flight (up to 16), its rows' read and their retries listen to it.
  setMaxListeners(STOP_LISTENERS, stop.signal);
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  return { stop, unlink: () => signal?.removeEventListener('abort', onAbort) };
}

/** How the run stops: its stop signal, the time budget, and why it stopped (the first reason). */
function stopControlOf(
  options: ReconcileOptions,
): Pick<Run, 'stop' | 'shouldStop' | 'fail' | 'stopReason' | 'rerunHelps' | 'finishSignals'> {
  const { stop, unlink } = linkedStop(options.signal);
  let budgetSpent = false;
  let stopReason: string | undefined;
  let rerunHelps = true;
  return {
    stop,
    shouldStop: () => {
      if (stop.signal.aborted) return true;
      if (options.shouldStop?.()) budgetSpent = true;
      return budgetSpent;
    },
    fail: (error, helps) => {
      if (stopReason === undefined) {
        stopReason = options.signal?.aborted ? 'interrupted' : errorMessage(error);
        if (!options.signal?.aborted && (helps === false || !isTransient(error))) {
          rerunHelps = false;
        }
      }
      stop.abort();
    },
    stopReason: () => stopReason,
    rerunHelps: () => rerunHelps,
    finishSignals: () => {
      if (options.signal?.aborted && stopReason === undefined) stopReason = 'interrupted';
      unlink();
    },
  };
}

/**
 * Reads every user's groups, for the mapping's `groups` field, by listing
 * the pool's groups (`ListGroups`, at most 5 requests/s to one pool, and not
 * above the run's rate) and each group's members (`ListUsersInGroup`, a
 * UserList call like ListUsers: it takes the run's own rate limiter, so both
 * share one budget), before the listing; once per invocation, since a slice
 * that resumes must see the groups as they are now. A failure stops the run
 * before anything is written (running again may help).
 */
async function readGroupsStep(run: Run): Promise<void> {
  const { options, config } = run;
  try {
    const memberships = await readGroupMemberships(options.cognito, config.userPoolId, {
      groupsLimiter: createRateLimiter({
        ratePerSecond: Math.min(GROUP_CALL_QUOTAS.userPoolResourceReadPerPool, config.listRate),
        burst: 1,
      }),
      membersLimiter: run.rateLimiter,
      retry: { ...options.retry, onRetry: run.retryNotice('ListUsersInGroup') },
    });
    run.planOptions = {
      ...run.planOptions,
      groupsOf: (username) => memberships.groupsOf(username),
    };
  } catch (error) {
    run.fail(error);
  }
}

/** The run's `retryNotice`: a call's retries reported as progress. */
function retryNoticeOf(progress: ReconcileProgress | undefined): Run['retryNotice'] {
  return (call) => (error, attempt, delayMs) =>
    progress?.retrying?.(call, attempt, describeFailure(error), delayMs);
}

/** What planning a page or an orphan needs to know of the run. */
function planOptionsOf(options: ReconcileOptions, initial: RunState): PlanOptions {
  const { config } = options;
  return {
    userPoolId: config.userPoolId,
    rowMapping: config.rowMapping,
    statusFilter: config.statusFilter,
    orphans: config.orphans,
    now: new Date(initial.startedAt),
    ...(options.orphanGraceMs !== undefined ? { orphanGraceMs: options.orphanGraceMs } : {}),
  };
}

/** The executor of the run's writes; a dry run queues nothing, so its executor reports zero writes. */
function runExecutorOf(
  options: ReconcileOptions,
  clock: () => Date,
  retryNotice: Run['retryNotice'],
): Run['executor'] {
  const { config, progress } = options;
  return createPlanExecutor({
    client: options.dynamo,
    tableName: config.tableName,
    rowMapping: config.rowMapping,
    concurrency: config.concurrency,
    now: clock(),
    ...(config.deletedRows ? { deletedRows: config.deletedRows } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.beforeCreate ? { beforeCreate: options.beforeCreate } : {}),
    onRetry: retryNotice('write'),
    // Only an interruption cancels queued writes: after a failed read, the
    // rows of the users already listed are still written.
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => progress?.applying?.(done, total),
  });
}

/** Where a phase stopped, and whether it went to its end. */
interface PhaseEnd<P> {
  readonly position: P;
  readonly complete: boolean;
}

/** The end of a phase from its listing's or scan's result: a failed call stops the run. */
function phaseEndOf<P>(
  run: Run,
  result: { readonly position: P; readonly complete: boolean; readonly error?: unknown },
): PhaseEnd<P> {
  if (result.error !== undefined) {
    run.fail(result.error);
    return { position: result.position, complete: false };
  }
  return { position: result.position, complete: result.complete };
}

/**
 * Phase 1: lists the pool from `position`, and for each page reads its users'
 * rows (one BatchGetItem), plans them and queues the creates (and updates).
 */
async function listingPhase(
  run: Run,
  position: ListingPosition,
): Promise<PhaseEnd<ListingPosition>> {
  const { options, config, counts } = run;
  const onListedPage = listedPageHandler(run);
  try {
    const result = await listPoolUsers(options.cognito, {
      userPoolId: config.userPoolId,
      rateLimiter: run.rateLimiter,
      ...(config.listChains !== undefined ? { chains: config.listChains } : {}),
      ratePerSecond: config.listRate,
      position,
      retry: { ...options.retry, onRetry: run.retryNotice('ListUsers') },
      signal: run.stop.signal,
      shouldStop: run.shouldStop,
      onTokenRefused: (reason) => options.progress?.restarted?.(reason),
      onPage: onListedPage,
    });
    const end = phaseEndOf(run, result);
    if (end.complete) options.progress?.planned?.(counts);
    return end;
  } catch (error) {
    // Bad options (a malformed position): nothing was listed.
    run.fail(error);
    return { position, complete: false };
  }
}

/** What the listing does with each page: reads its users' rows, counts and plans them, queues the writes. */
function listedPageHandler(run: Run): (users: readonly PoolUser[]) => Promise<void> {
  const { config, mapping } = run;
  // What the listing reads of each listed user's row: every managed column to
  // compare it (`--update`), else what tells a present row and a marked one.
  const projection = config.update
    ? rowProjection(mapping)
    : rowProjection(mapping, ['sub', 'createdAt', 'deletedAt']);
  return async (users) => {
    const keys = rowKeysOfUsers(run, users);
    const found =
      keys.length === 0
        ? new Map<string, Record<string, unknown>>()
        : await readListedRows(run, keys, projection);
    countListedPage(run, users, keys);
    const page = planListedPage(run, users, found);
    if (!queueListedPage(run, page)) return;
    await run.executor.whenBelow(run.backlogLimit);
  };
}

/** The row keys of a page's users (a user whose key cannot be rendered has none). */
function rowKeysOfUsers(run: Run, users: readonly PoolUser[]): RowKey[] {
  const keys: RowKey[] = [];
  for (const user of users) {
    const key = renderRowKey(run.mapping, keyValuesOf(mappedUserOf(user, run.config.userPoolId)));
    if (key) keys.push(key);
  }
  return keys;
}

/** Reads the rows of a page's keys (one BatchGetItem, retried), by row key id. */
function readListedRows(
  run: Run,
  keys: readonly RowKey[],
  projection: ReturnType<typeof rowProjection>,
): ReturnType<typeof readMappedRows> {
  const { options, config, mapping } = run;
  return readMappedRows(options.dynamo, {
    tableName: config.tableName,
    mapping,
    keys,
    projection,
    retry: { ...options.retry, onRetry: run.retryNotice('BatchGetItem') },
    signal: run.stop.signal,
  });
}

/** Records a page as listed (its keys' fingerprints, the counts) and reports it as progress. */
function countListedPage(run: Run, users: readonly PoolUser[], keys: readonly RowKey[]): void {
  const { initial, mapping, counts } = run;
  // Counted once its rows are read: a page that fails is listed again on resume.
  for (const key of keys) initial.listed.add(fingerprint(rowKeyId(mapping, key), initial.salt));
  counts.usersListed += users.length;
  counts.pages++;
  run.options.progress?.listing?.(counts.usersListed, counts.pages);
}

/** Plans a listed page against its rows, adding to the run's counts. */
function planListedPage(
  run: Run,
  users: readonly PoolUser[],
  found: ReadonlyMap<string, MappedItem>,
): PagePlan {
  const { counts } = run;
  const page = planPage(users, found, {
    ...run.planOptions,
    update: run.config.update === true,
    writeTime: run.clock(),
  });
  counts.usersEligible += page.eligible;
  counts.inSync += page.inSync;
  counts.toCreate += page.creates.length;
  counts.markedButPresent += page.markedButPresent.length;
  run.keep(run.plan.markedButPresent, page.markedButPresent);
  for (const update of page.updates) {
    if (update.adopt) counts.toAdopt++;
    else counts.toUpdate++;
  }
  return page;
}

/**
 * Keeps a planned page's creates and queues its writes; whether it queued
 * them (not in a dry run, which only keeps them, nor once interrupted).
 */
function queueListedPage(run: Run, page: PagePlan): boolean {
  if (run.config.dryRun) {
    run.keep(run.plan.creates, page.creates);
    return false;
  }
  if (run.options.signal?.aborted) return false;
  run.keep(run.plan.creates, page.creates);
  run.executor.create(page.creates);
  run.executor.update(page.updates);
  return true;
}

/**
 * Phase 2, once the whole pool is listed: scans the table's keys from
 * `position`; a row whose key was not listed is an orphan (see `judgeOrphan`).
 */
async function sweepPhase(run: Run, position: ScanPosition): Promise<PhaseEnd<ScanPosition>> {
  const { options, config, mapping } = run;
  const select = userRowSelector(mapping);
  const onSweptPage = sweptPageHandler(run);
  try {
    const result = await scanPages(options.dynamo, {
      tableName: config.tableName,
      keyAttribute: mapping.key.attribute,
      projection: rowProjection(mapping, [
        'createdAt',
        'deletedAt',
        ...(run.sharded ? (['sub'] as const) : []),
      ]),
      filter: keyScanFilter(mapping),
      select,
      position,
      shouldStop: run.shouldStop,
      retry: { ...options.retry, onRetry: run.retryNotice('Scan') },
      signal: run.stop.signal,
      onPage: onSweptPage,
    });
    return phaseEndOf(run, result);
  } catch (error) {
    run.fail(error);
    return { position, complete: false };
  }
}

/** The sweep's `select`: only items whose key matches the mapping's templates are user rows. */
function userRowSelector(
  mapping: RowMapping,
): (item: Record<string, unknown>) => TableKey | undefined {
  const createdAtColumn = mapping.fields.createdAt;
  const deletedAtColumn = mapping.fields.deletedAt;
  return (item) => {
    const matched = matchRowKey(mapping, item);
    if (!matched) return undefined;
    const createdAt = stringColumn(item, createdAtColumn);
    const deletedAt = stringColumn(item, deletedAtColumn);
    return {
      key: rowLabel(mapping, matched.key),
      rowKey: matched.key,
      id: rowKeyId(mapping, matched.key),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(deletedAt !== undefined ? { deletedAt } : {}),
      row: item,
    };
  };
}

/** An item's column when it holds a string. */
function stringColumn(item: MappedItem, column: string | undefined): string | undefined {
  const value = column !== undefined && Object.hasOwn(item, column) ? item[column] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The orphans of a page to mark and to delete. */
interface OrphanTargets {
  readonly marks: RowTarget[];
  readonly deletes: RowTarget[];
}

/** What the sweep does with each page: finds its orphans, counts them and queues their writes. */
function sweptPageHandler(run: Run): (rows: readonly TableKey[]) => Promise<void> {
  const { options, config, counts } = run;
  const lookup = {
    retry: { ...options.retry, onRetry: run.retryNotice('AdminGetUser'), signal: run.stop.signal },
  };
  return async (rows) => {
    counts.rowsScanned += rows.length;
    options.progress?.scanning?.(counts.rowsScanned);
    const targets: OrphanTargets = { marks: [], deletes: [] };
    for (const row of rows) {
      let decision = orphanDecisionOf(run, row);
      if (decision === undefined) continue;
      if ((decision === 'mark' || decision === 'delete') && row.createdAt === undefined) {
        // A row that says nothing of its age (written by something else than this
        // package) may belong to a user who signed up after the listing: the pool
        // is asked about that one user before the row is marked or deleted.
        try {
          if (await isInPool(run, row, lookup)) {
            counts.orphansInPool++;
            continue;
          }
        } catch (error) {
          run.fail(error);
          decision = 'too-recent';
        }
      }
      countOrphan(run, row, decision, targets);
    }
    keepOrphanTargets(run, targets);
    if (config.dryRun || options.signal?.aborted) return;
    run.executor.orphans(targets);
    await run.executor.whenBelow(run.backlogLimit);
  };
}

/**
 * What to do with a scanned row if it is an orphan (see `judgeOrphan`);
 * `undefined` when it is not: its key was listed, or (counted) its `sub` is
 * outside the 16 shards.
 */
function orphanDecisionOf(run: Run, row: TableKey): OrphanDecision | undefined {
  const { initial } = run;
  if (initial.listed.has(fingerprint(row.id ?? row.key, initial.salt))) return undefined;
  if (run.sharded && !inSomeShard(run.mapping, row)) {
    // Its user may exist with a sub the 16 shards do not cover: never an orphan.
    run.counts.orphansOutsideShards++;
    return undefined;
  }
  return judgeOrphan(row, run.planOptions);
}

/** Counts an orphan under its decision, adding it to the targets to mark or delete. */
function countOrphan(
  run: Run,
  row: TableKey,
  decision: OrphanDecision,
  targets: OrphanTargets,
): void {
  const { counts } = run;
  counts.orphans++;
  if (row.deletedAt !== undefined) counts.orphansAlreadyMarked++;
  if (decision === 'too-recent') counts.orphansTooRecent++;
  else if (decision === 'delete') targets.deletes.push(targetOf(row));
  else if (decision === 'mark') targets.marks.push(targetOf(row));
  else if (decision === 'report') {
    run.keep(run.plan.reported, [row.key]);
    counts.orphansReported++;
  }
}

/** Adds a page's orphans to mark and delete to the run's counts and plan. */
function keepOrphanTargets(run: Run, targets: OrphanTargets): void {
  const { counts, plan } = run;
  counts.toMark += targets.marks.length;
  counts.toDelete += targets.deletes.length;
  run.keep(plan.marks, targets.marks.map(labelOf));
  run.keep(plan.deletes, targets.deletes.map(labelOf));
}

/** Phase 3: the report of the call, with the state to continue from when the run did not end. */
function reportRun(
  run: Run,
  end: {
    readonly phase: RunState['phase'] | 'done';
    readonly listing: ListingPosition;
    readonly sweep: ScanPosition;
    readonly applied: ApplyResult;
    readonly durationMs: number;
  },
): ReconcileReport {
  const { config, counts, initial } = run;
  const { failures, ...appliedNow } = end.applied;
  const total = addApplied(initial.applied, appliedNow, failures.length);
  const complete = end.phase === 'done';
  const stopReason = run.stopReason() ?? (complete ? undefined : TIME_BUDGET_SPENT);
  const state: RunState = {
    ...initial,
    phase: end.phase === 'done' ? 'sweeping' : end.phase,
    listing: end.listing,
    sweep: end.sweep,
    counts,
    applied: total,
  };
  const problem =
    stopReason !== undefined
      ? `the run stopped early (${stopReason}); ${total.created + total.createdOrPresent} rows were written so far${run.rerunHelps() ? ': run again to continue' : ''}`
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
      rowKeys: initial.rowKeys,
      resumed: run.resumed,
      orphansEvaluated: complete,
      complete,
      runId: initial.runId,
      ...(stopReason !== undefined ? { stopReason } : {}),
      durationMs: end.durationMs,
    },
    plan: { ...run.plan, counts },
    failures,
    ...(problem ? { problem } : {}),
    ...(complete || run.configurationError ? {} : { state }),
  };
}

/** Listeners a run's stop signal may have without a warning: four per page in flight, and the Scan's. */
const STOP_LISTENERS = 128;

/** The `stopReason` of a run stopped by `shouldStop` (its time budget), to be continued. */
export const TIME_BUDGET_SPENT = 'time budget spent';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Whether a row's `sub` starts with a lowercase hex digit, i.e. falls in one of the 16 shards. */
function inSomeShard(mapping: RowMapping, row: TableKey): boolean {
  const sub = row.row ? rowSubOf(mapping, row.row) : undefined;
  return typeof sub === 'string' && /^[0-9a-f]/.test(sub);
}

function targetOf(row: TableKey): RowTarget {
  return row.rowKey ? { key: row.key, rowKey: row.rowKey } : row.key;
}

function labelOf(target: RowTarget): string {
  return typeof target === 'string' ? target : target.key;
}

/**
 * Whether the pool has the user of an orphaned row now: by the username its
 * key carries (AdminGetUser), else by the `sub` it holds (ListUsers by sub).
 */
async function isInPool(
  run: Run,
  row: TableKey,
  lookup: Parameters<typeof userInPool>[3],
): Promise<boolean> {
  const { options, config, mapping } = run;
  const values = row.row ? matchRowKey(mapping, row.row)?.values : undefined;
  const username = values?.username ?? (row.rowKey ? undefined : row.key);
  if (username !== undefined) {
    return userInPool(options.cognito, config.userPoolId, username, lookup);
  }
  const sub = row.row ? rowSubOf(mapping, row.row) : undefined;
  return sub === undefined ? false : subInPool(options.cognito, config.userPoolId, sub, lookup);
}

/**
 * Before anything is read or written: describes the table (DescribeTable)
 * and stops the run when its primary key is not the row mapping's (a missing
 * or extra sort key, another key name, a key that is not a string), so that
 * every write does not fail on its own. Running again does not help, so the
 * report does not say to. A denied or failed DescribeTable skips the check:
 * the reads that follow say what is wrong.
 */
async function checkKeySchema(run: Run): Promise<void> {
  const { options, config, mapping } = run;
  let schema: Awaited<ReturnType<typeof readTableKeySchema>>;
  try {
    schema = await readTableKeySchema(options.dynamo, config.tableName, {
      signal: run.stop.signal,
    });
  } catch (error) {
    if (errorName((error as Error).cause) === 'ResourceNotFoundException') {
      run.configurationError = true;
      run.fail(new ConfigError(`table "${config.tableName}" does not exist`), false);
    }
    return;
  }
  const mismatch = keySchemaMismatch(mapping, schema, config.tableName);
  if (mismatch !== undefined) {
    run.configurationError = true;
    run.fail(new ConfigError(mismatch), false);
  }
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
  const writes =
    counts.toCreate + counts.toMark + counts.toDelete + counts.toUpdate + counts.toAdopt;
  if (config.dryRun) {
    if (writes > 0) {
      const updates = config.update
        ? `, ${counts.toUpdate} to update${counts.toAdopt > 0 ? `, ${counts.toAdopt} to adopt` : ''}`
        : '';
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
