import type { MappingConfig } from '../domain/config.js';
import { toUserRow, type UserRow } from '../domain/userRow.js';
import type { PoolUser } from '../pool/listPoolUsers.js';
import type { TableKey } from '../store/scanTableKeys.js';
import {
  DEFAULT_ORPHAN_GRACE_MS,
  isEligibleStatus,
  type OrphanMode,
  type StatusFilter,
} from './config.js';

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
  /** Orphaned rows to mark with `deletedAt` (`mark` mode). */
  readonly toMark: number;
  /** Orphaned rows to delete (`delete` mode). */
  readonly toDelete: number;
  /** Orphaned rows reported and left as they are (`report` mode, not yet marked). */
  readonly orphansReported: number;
  /** Rows marked `deletedAt` whose username is in the pool again: reported, left as they are. */
  readonly markedButPresent: number;
}

/** What reconcile will do: rows to create, orphaned rows to mark or delete. */
export interface ReconcilePlan {
  /** Rows to write if still absent, mapped like the trigger's with `source: reconcile`. */
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

/**
 * Computes what to change so that the table matches the pool. Pure.
 *
 * - Every listed user whose status passes the filter and has no row gets one.
 * - A row is orphaned when no listed user (of any status) has its key; rows
 *   created within the grace period are left for a later run. In `mark` mode
 *   orphans without `deletedAt` are marked; in `delete` mode every orphan
 *   (marked or not) is deleted; in `report` mode nothing is written.
 * - A row carrying `deletedAt` whose username is listed again is reported
 *   and never modified: the username may belong to a new user.
 */
export function planReconcile(
  users: readonly PoolUser[],
  keys: readonly TableKey[],
  options: PlanOptions,
): ReconcilePlan {
  const rowsByKey = indexRows(keys);
  const listed = new Set<string>();
  const creates: UserRow[] = [];
  const markedButPresent: string[] = [];
  let usersEligible = 0;
  let inSync = 0;

  for (const user of users) {
    if (listed.has(user.userName)) continue;
    listed.add(user.userName);
    const row = rowsByKey.get(user.userName);
    if (row?.deletedAt !== undefined) markedButPresent.push(user.userName);
    if (!isEligibleStatus(user.status, options.statusFilter)) continue;
    usersEligible++;
    if (row) {
      inSync++;
      continue;
    }
    creates.push(newRow(user, options));
  }

  const cutoff = options.now.getTime() - (options.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS);
  const marks: string[] = [];
  const deletes: string[] = [];
  const reported: string[] = [];
  let orphans = 0;
  let orphansAlreadyMarked = 0;
  let orphansTooRecent = 0;
  for (const row of rowsByKey.values()) {
    if (listed.has(row.key)) continue;
    orphans++;
    const marked = row.deletedAt !== undefined;
    if (marked) orphansAlreadyMarked++;
    if (isRecent(row.createdAt, cutoff)) {
      orphansTooRecent++;
      continue;
    }
    if (options.orphans === 'delete') deletes.push(row.key);
    else if (marked) continue;
    else if (options.orphans === 'mark') marks.push(row.key);
    else reported.push(row.key);
  }

  return {
    creates,
    marks,
    deletes,
    reported,
    markedButPresent,
    counts: {
      usersListed: listed.size,
      usersEligible,
      rowsScanned: rowsByKey.size,
      inSync,
      toCreate: creates.length,
      orphans,
      orphansAlreadyMarked,
      orphansTooRecent,
      toMark: marks.length,
      toDelete: deletes.length,
      orphansReported: reported.length,
      markedButPresent: markedButPresent.length,
    },
  };
}

/** What {@link planCreates} needs of the plan's options. */
export type CreatePlanOptions = Pick<
  PlanOptions,
  'userPoolId' | 'mapping' | 'statusFilter' | 'now'
>;

/**
 * The creates part of {@link planReconcile} for some of the listed users (a
 * page), so that writes can start before the whole pool is listed: the rows of
 * the users whose status calls for a row and whose key is not in the table.
 * Pure; gives exactly the rows `planReconcile` gives for these users.
 */
export function planCreates(
  users: readonly PoolUser[],
  rowsByKey: ReadonlyMap<string, TableKey>,
  options: CreatePlanOptions,
): UserRow[] {
  const creates: UserRow[] = [];
  for (const user of users) {
    if (!isEligibleStatus(user.status, options.statusFilter)) continue;
    if (rowsByKey.has(user.userName)) continue;
    creates.push(newRow(user, options));
  }
  return creates;
}

/** Indexes scanned rows by key. */
export function indexRows(keys: readonly TableKey[]): Map<string, TableKey> {
  const rowsByKey = new Map<string, TableKey>();
  for (const row of keys) rowsByKey.set(row.key, row);
  return rowsByKey;
}

function newRow(user: PoolUser, options: CreatePlanOptions): UserRow {
  return toUserRow(
    {
      userName: user.userName,
      userPoolId: options.userPoolId,
      userAttributes: user.attributes,
      source: RECONCILE_SOURCE,
      now: options.now,
    },
    options.mapping,
  );
}

function isRecent(createdAt: string | undefined, cutoff: number): boolean {
  if (createdAt === undefined) return false;
  const time = Date.parse(createdAt);
  return Number.isFinite(time) && time > cutoff;
}
