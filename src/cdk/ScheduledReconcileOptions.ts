import { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { OrphanMode } from '../domain/reconcileConfig.js';

/**
 * Options of the scheduled reconcile function of `UserTableSync`
 * (its `scheduledReconcile` prop).
 *
 * The function runs the same reconcile as the `cognito-user-sync reconcile`
 * command, with the construct's key attribute and attribute allowlist, so that
 * its rows are identical to the trigger's.
 */
export interface ScheduledReconcileOptions {
  /**
   * When the reconcile runs. A `rate(…)` schedule must not be shorter than
   * {@link timeout}.
   *
   * @default Schedule.rate(Duration.hours(1)) - a user whose row was lost, or
   *   who was created by an admin, waits at most an hour for it
   */
  readonly schedule?: Schedule;

  /**
   * What happens to rows whose user is no longer in the pool: `report` (count
   * and log them), `mark` (set `deletedAt`) or `delete`. Passed as `ORPHANS`.
   * Decides whether the function may call `dynamodb:UpdateItem` (`mark`) or
   * `dynamodb:DeleteItem` (`delete`).
   *
   * @default 'report'
   */
  readonly orphans?: OrphanMode;

  /**
   * Whether a run fails (and counts in the function's `Errors` metric) when
   * orphaned rows are left unmarked in `report` mode. Passed as `FAIL_ON_ORPHANS`.
   *
   * @default false
   */
  readonly failOnOrphans?: boolean;

  /**
   * Writes in flight at once, 1-256. Passed as `CONCURRENCY`.
   *
   * @default 16
   */
  readonly concurrency?: number;

  /**
   * ListUsers requests per second (decimals allowed), at most 1000. Each
   * request returns up to 60 users. Cognito allows 30 ListUsers requests per
   * second per account and Region, shared with every other caller.
   * Passed as `LIST_RATE`.
   *
   * @default 10
   */
  readonly listRate?: number;

  /**
   * ListUsers pages in flight, 1-16: an override. By default the pool is
   * listed in 16 shards (`sub ^= "0"` … `"f"`) with as many pages in flight
   * as reaching {@link listRate} takes, measured from the round trips, so
   * that the listing reaches its rate although each page waits a round trip;
   * rows whose `sub` no shard covers are then never treated as orphans. 1
   * lists the pool in one unfiltered chain (for a pool whose subs may not be
   * hex digits first). Passed as `LIST_CHAINS`.
   *
   * @default - chosen from the rate and the round trips
   */
  readonly listChains?: number;

  /**
   * Parallel Scan segments over the table, 1-64. Passed as `SCAN_SEGMENTS`.
   *
   * @default 4
   */
  readonly scanSegments?: number;

  /**
   * Plan and log only, write nothing. The function then gets only the reads:
   * `cognito-idp:ListUsers` (and `cognito-idp:AdminGetUser` when orphans are
   * marked or deleted), `dynamodb:BatchGetItem` and `dynamodb:Scan`, and a run that finds work
   * to do fails, so the function's `Errors` metric shows drift. Passed as `DRY_RUN`.
   *
   * @default false
   */
  readonly dryRun?: boolean;

  /**
   * Also update the managed fields (attributes, e-mail, `enabled`, `status`…)
   * of existing rows that differ from the pool, never app-owned fields.
   * Passed as `UPDATE`; gives the function `dynamodb:UpdateItem`.
   *
   * @default false
   */
  readonly update?: boolean;

  /**
   * Give users who never confirmed their sign-up (`UNCONFIRMED`) a row too.
   * Not together with {@link statuses}. Passed as `INCLUDE_UNCONFIRMED`.
   *
   * @default false
   */
  readonly includeUnconfirmed?: boolean;

  /**
   * The only user statuses that get a row, e.g. `['CONFIRMED', 'EXTERNAL_PROVIDER']`.
   * Not together with {@link includeUnconfirmed}. Passed as `USER_STATUSES`.
   *
   * @default - every status but `UNCONFIRMED`
   */
  readonly statuses?: readonly string[];

  /**
   * How long one invocation may take, at most 15 minutes (Lambda's limit). At
   * the default {@link listRate}, listing takes about 100 seconds per 60,000
   * users; with {@link resumable}, a run that needs longer continues in the
   * next invocations.
   *
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;

  /**
   * Whether a run that cannot finish within one invocation continues where it
   * stopped, so that pools of any size are reconciled. Adds a small state
   * table (`ReconcileState`: where the run stands, and 8 bytes per user listed,
   * expiring on its own) and a schedule that every minute continues a run in
   * progress (an invocation that finds none ends at once). Each invocation
   * keeps a quarter of its time (2 s to 60 s) to settle its writes and save
   * where it stands. Without it, a run that does not finish in time fails.
   *
   * @default true
   */
  readonly resumable?: boolean;

  /**
   * Memory of the function in MB, 128-10240. A run keeps 16 to 32 bytes per
   * user listed (fingerprints, not usernames) plus the pages in flight and at
   * most 256 rows waiting to be written, also in a first backfill where every
   * row is missing: 512 MB covers about 5 million users, 1024 MB 10 million.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * How long the function's log events are kept.
   *
   * @default - the construct's `logRetention`
   */
  readonly logRetention?: RetentionDays;

  /**
   * Whether the function's concurrency is reserved at 1, so that two runs
   * never overlap (a run that finds the previous one still going waits in
   * Lambda's queue). Lambda refuses the reservation in an account with fewer
   * than 100 unreserved concurrent executions left; turn it off there.
   *
   * With {@link resumable}, the run's lease already lets one invocation at a
   * time work on a run (another one ends at once), so nothing is reserved by
   * default: a reservation would make every continuation event that arrives
   * during a long invocation a throttle, and fire the `ReconcileThrottles` alarm.
   *
   * @default - false with `resumable`, true without
   */
  readonly preventOverlap?: boolean;

  /**
   * How many times Lambda retries a failed run (0-2). A run fails when the
   * table has not converged or the run timed out; the next scheduled run
   * repairs the same rows, so retrying earlier is rarely worth the extra
   * ListUsers calls.
   *
   * @default 0
   */
  readonly retryAttempts?: number;
}

/** Default schedule of the reconcile function: every hour. */
export const DEFAULT_RECONCILE_SCHEDULE: Schedule = Schedule.rate(Duration.hours(1));

/** Default (and highest) timeout of the reconcile function: Lambda's 15-minute limit. */
export const DEFAULT_RECONCILE_TIMEOUT: Duration = Duration.minutes(15);

/** Default memory of the reconcile function, in MB. */
export const DEFAULT_RECONCILE_MEMORY_SIZE = 512;

/**
 * How long a scheduled event may wait to be run (behind a run still going,
 * or while EventBridge retries delivering it) before it is dropped: the next
 * scheduled run takes its place.
 */
export const RECONCILE_MAX_EVENT_AGE: Duration = Duration.hours(1);
