import type { PoolUser } from '../../aws/pool/listPoolUsers.js';
import type { TableKey } from '../../aws/store/scanPages.js';
import type { MappingConfig } from '../../domain/config.js';
import { newUserRow } from '../../domain/converge.js';
import {
  DEFAULT_ORPHAN_GRACE_MS,
  isEligibleStatus,
  type OrphanMode,
  type StatusFilter,
} from '../../domain/reconcileConfig.js';
import type { UserRow } from '../../domain/userRow.js';

/** The `source` of rows written by reconcile. */
export const RECONCILE_SOURCE = 'reconcile';

/** Inputs of {@link planReconcile} besides the users and the keys. */
export interface PlanOptions {
  /** The pool the users come from (written into created rows). */
  readonly userPoolId: string;
  /** Key attribute and attribute allowlist: the same mapping as the trigger. */
  readonly mapping: MappingConfig;
  /** Which listed users should have a row. */
  readonly statusFilter: StatusFilter;
  /** What to do with orphaned rows. */
  readonly orphans: OrphanMode;
  /** When listing the pool started: `createdAt` of created rows, and the orphan cut-off. */
  readonly now: Date;
  /**
   * Rows created less than this long before `now` are not orphans yet (their
   * user may have signed up after the listing). @default 600000 (10 minutes)
   */
  readonly orphanGraceMs?: number;
}

/** Counts that describe a plan. */
export interface PlanCounts {
  /** Users returned by ListUsers. */
  readonly usersListed: number;
  /** Listed users whose status calls for a row. */
  readonly usersEligible: number;
  /** Rows read from the table. */
  readonly rowsScanned: number;
  /** Eligible users that already have a row. */
  readonly inSync: number;
  /** Eligible users without a row: rows to create. */
  readonly toCreate: number;
  /** Rows whose key is not a user of the pool (any status), marked or not. */
  readonly orphans: number;
  /** Orphaned rows already carrying `deletedAt`. */
  readonly orphansAlreadyMarked: number;
  /** Orphaned rows younger than the grace period, left alone this time. */
  readonly orphansTooRecent: number;
  /**
   * Rows not listed and without `createdAt` whose username the pool has now
   * (asked with AdminGetUser before marking or deleting): not orphans.
   */
  readonly orphansInPool: number;
  /** Orphaned rows to mark with `deletedAt` (`mark` mode). */
  readonly toMark: number;
  /** Orphaned rows to delete (`delete` mode). */
  readonly toDelete: number;
  /** Orphaned rows reported and left as they are (`report` mode, not yet marked). */
  readonly orphansReported: number;
  /** Rows marked `deletedAt` whose username is in the pool again: reported, left as they are. */
  readonly markedButPresent: number;
  /**
   * Rows not listed whose `sub` no shard covers (it does not start with a
   * lowercase hex digit), in a sharded listing: never treated as orphans.
   */
  readonly orphansOutsideShards: number;
}

/**
 * What reconcile will do: rows to create, orphaned rows to mark or delete.
 * In a report of `reconcile`, each list holds only the first keys planned
 * (`ReconcileOptions.keysKept`); `counts` counts them all.
 */
export interface ReconcilePlan {
  /** Rows to write if still absent, the row converge would create (`newUserRow`), with `source: reconcile`. */
  readonly creates: readonly UserRow[];
  /** Keys of orphaned rows to mark with `deletedAt`. */
  readonly marks: readonly string[];
  /** Keys of orphaned rows to delete. */
  readonly deletes: readonly string[];
  /** Keys of orphaned rows reported and left in place. */
  readonly reported: readonly string[];
  /** Keys of rows marked `deletedAt` whose user is listed again. */
  readonly markedButPresent: readonly string[];
  /** Counts. */
  readonly counts: PlanCounts;
}

/** What the listing of one page of users calls for (see {@link planPage}). */
export interface PagePlan {
  /** Listed users whose status calls for a row. */
  readonly eligible: number;
  /** Eligible users that already have a row. */
  readonly inSync: number;
  /** Rows to write if still absent, the row converge would create (`newUserRow`), with `source: reconcile`. */
  readonly creates: readonly UserRow[];
  /** Usernames whose row carries `deletedAt`: reported, never modified. */
  readonly markedButPresent: readonly string[];
}

/**
 * Plans one listed page against the rows of its users (read with one
 * BatchGetItem). Pure.
 *
 * - Every user whose status passes the filter and has no row gets one.
 * - A row carrying `deletedAt` whose username is listed is reported and
 *   never modified: the username may belong to a new user.
 */
export function planPage(
  users: readonly PoolUser[],
  rowsByKey: ReadonlyMap<string, TableKey>,
  options: CreatePlanOptions,
): PagePlan {
  const creates: UserRow[] = [];
  const markedButPresent: string[] = [];
  let eligible = 0;
  let inSync = 0;
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.userName)) continue;
    seen.add(user.userName);
    const row = rowsByKey.get(user.userName);
    if (row?.deletedAt !== undefined) markedButPresent.push(user.userName);
    if (!isEligibleStatus(user.status, options.statusFilter)) continue;
    eligible++;
    if (row) inSync++;
    else creates.push(newRow(user, options));
  }
  return { eligible, inSync, creates, markedButPresent };
}

/** What {@link planPage} needs of the plan's options. */
export type CreatePlanOptions = Pick<
  PlanOptions,
  'userPoolId' | 'mapping' | 'statusFilter' | 'now'
>;

/**
 * What becomes of a row no listed user has (an orphan):
 * - `too-recent`: created within the grace period before the run started
 *   (its user may have signed up meanwhile); left for a later run;
 * - `delete` in `delete` mode (marked or not);
 * - `already-marked` when it carries `deletedAt` (`mark` and `report` modes);
 * - `mark` in `mark` mode, `report` in `report` mode.
 * Pure.
 */
export type OrphanDecision = 'too-recent' | 'delete' | 'already-marked' | 'mark' | 'report';

/** Decides what to do with an orphaned row (see {@link OrphanDecision}). Pure. */
export function judgeOrphan(
  row: Pick<TableKey, 'createdAt' | 'deletedAt'>,
  options: Pick<PlanOptions, 'orphans' | 'now' | 'orphanGraceMs'>,
): OrphanDecision {
  const cutoff = options.now.getTime() - (options.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS);
  if (isRecent(row.createdAt, cutoff)) return 'too-recent';
  if (options.orphans === 'delete') return 'delete';
  if (row.deletedAt !== undefined) return 'already-marked';
  return options.orphans === 'mark' ? 'mark' : 'report';
}

/** The row converge would create for the listed user (`newUserRow`), with `source: reconcile`. */
function newRow(user: PoolUser, options: CreatePlanOptions): UserRow {
  return newUserRow(
    {
      username: user.userName,
      userPoolId: options.userPoolId,
      attributes: user.attributes,
      enabled: user.enabled,
      status: user.status,
      lastModifiedAt: user.lastModifiedAt,
    },
    options.mapping,
    { source: RECONCILE_SOURCE, now: options.now },
  );
}

function isRecent(createdAt: string | undefined, cutoff: number): boolean {
  if (createdAt === undefined) return false;
  const time = Date.parse(createdAt);
  return Number.isFinite(time) && time > cutoff;
}
