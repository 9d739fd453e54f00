import type { PoolUser } from '../../aws/pool/listPoolUsers.js';
import type { TableKey } from '../../aws/store/scanPages.js';
import type { UserGroups } from '../../domain/groups.js';
import {
  DEFAULT_ORPHAN_GRACE_MS,
  isEligibleStatus,
  type OrphanMode,
  type StatusFilter,
} from '../../domain/reconcileConfig.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import {
  compareRow,
  expectedRow,
  type MappedUpdate,
  type MappedUser,
  type RowComparison,
  updateFor,
} from '../../domain/rowMapping/expectedRow.js';
import { keyValuesOf, type RowKey, renderRowKey, rowKeyId } from '../../domain/rowMapping/keys.js';

/** The `source` of rows written by reconcile. */
export const RECONCILE_SOURCE = 'reconcile';

/** A whole row as written or read: its key attributes and its columns. */
export type MappedItem = Readonly<Record<string, unknown>>;

/** Inputs of {@link planReconcile} besides the users and the keys. */
export interface PlanOptions {
  /** The pool the users come from (written into created rows). */
  readonly userPoolId: string;
  /** How a user becomes a row: the same mapping as the trigger. */
  readonly rowMapping: RowMapping;
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
  /**
   * Each listed user's groups, when the mapping's `groups` field is on (read
   * once per invocation by listing the groups and their members).
   * @default - groups are not compared
   */
  readonly groupsOf?: ((username: string) => UserGroups) | undefined;
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
  /**
   * Rows at a listed user's key without a `sub` (written before this
   * product, e.g. `{ username, useremail }`): `--update` adopts them, adding
   * the managed fields and keeping every other column.
   */
  readonly toAdopt: number;
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
  /** Rows to write if still absent, the row the user should have (`expectedRow`), with `source: reconcile`. */
  readonly creates: readonly MappedItem[];
  /** Keys of orphaned rows to mark with `deletedAt` (see {@link rowLabel}). */
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

/** One row whose managed columns differ from its user's, or which has no `sub` yet (adoption). */
export interface UpdateTask {
  /** The row's key as shown in reports (see {@link rowLabel}). */
  readonly key: string;
  /** The row's whole key. */
  readonly rowKey: RowKey;
  /** The conditional update that makes it match (see `updateFor`). */
  readonly update: MappedUpdate;
  /** Whether the row had no `sub` and is adopted. */
  readonly adopt: boolean;
}

/** What the listing of one page of users calls for (see {@link planPage}). */
export interface PagePlan {
  /** Listed users whose status calls for a row. */
  readonly eligible: number;
  /** Eligible users that already have a row. */
  readonly inSync: number;
  /** Rows to write if still absent, the row the user should have (`expectedRow`), with `source: reconcile`. */
  readonly creates: readonly MappedItem[];
  /** Keys of rows whose `deletedAt` is set: reported, never modified. */
  readonly markedButPresent: readonly string[];
  /** With `update`: the rows to update or adopt (`adopt` tells them apart); else empty. */
  readonly updates: readonly UpdateTask[];
}

/** What the row of one listed user calls for. */
export type ListedAction = 'create' | 'update' | 'adopt' | 'none';

/** How one listed user's row stands and what reconcile does about it (see {@link decideListedUser}). */
export interface ListedDecision {
  /** The row's key, `undefined` when it cannot be built (a `{sub}` key and a user without `sub`). */
  readonly key: RowKey | undefined;
  /** The one comparison (`compareRow`) of the row with the user. */
  readonly comparison: RowComparison;
  /** Whether the row carries `deletedAt` (a marked row is reported, never modified). */
  readonly marked: boolean;
  /** Whether the user's status calls for a row. */
  readonly eligible: boolean;
  /**
   * What is written: `create` for an eligible user whose row is `missing`;
   * with `update`, `update` for a row that `differs` and `adopt` for a row
   * to adopt, neither marked; else `none` (in sync, a reused username, a
   * row holding a newer state, a marked row).
   */
  readonly action: ListedAction;
}

/** A listed user as the row mapping reads it. */
export function mappedUserOf(
  user: PoolUser,
  userPoolId: string,
  groupsOf?: ((username: string) => UserGroups) | undefined,
): MappedUser {
  return {
    username: user.userName,
    userPoolId,
    attributes: user.attributes,
    enabled: user.enabled,
    status: user.status,
    lastModifiedAt: user.lastModifiedAt,
    ...(groupsOf ? { groups: groupsOf(user.userName) } : {}),
  };
}

/** Whether a row carries `deletedAt` under the mapping's name for it. */
export function isMarkedRow(mapping: RowMapping, item: MappedItem | undefined): boolean {
  const column = mapping.fields.deletedAt;
  return (
    item !== undefined &&
    column !== undefined &&
    Object.hasOwn(item, column) &&
    item[column] !== undefined
  );
}

/**
 * Decides what the row of one listed user calls for, from the one
 * comparison of a row with its user (`compareRow`, the version alone not
 * counting as a difference: a row is written for its data, and its
 * `userLastModifiedAt` goes along): the same decision the console shows as
 * a status. Pure.
 */
export function decideListedUser(
  mapping: RowMapping,
  user: MappedUser,
  item: MappedItem | undefined,
  options: Pick<PlanOptions, 'statusFilter' | 'now'> & { readonly update?: boolean },
): ListedDecision {
  const key = renderRowKey(mapping, keyValuesOf(user));
  const eligible = isEligibleStatus(user.status, options.statusFilter);
  const comparison = compareRow(mapping, user, key ? item : undefined, {
    now: options.now,
    source: RECONCILE_SOURCE,
    versionAloneDiffers: false,
  });
  const marked = isMarkedRow(mapping, item);
  let action: ListedAction = 'none';
  if (key === undefined) action = 'none';
  else if (comparison.kind === 'missing') action = eligible ? 'create' : 'none';
  else if (options.update === true && !marked) {
    if (comparison.kind === 'differs') action = 'update';
    else if (comparison.kind === 'adopt') action = 'adopt';
  }
  return { key, comparison, marked, eligible, action };
}

/**
 * The row's key as reports show it: the partition key's value, followed by
 * the sort key's after a space when the mapping has one. Pure.
 */
export function rowLabel(mapping: RowMapping, key: RowKey): string {
  const partition = key[mapping.key.attribute] ?? '';
  return mapping.sortKey ? `${partition} ${key[mapping.sortKey.attribute] ?? ''}` : partition;
}

/**
 * Plans one listed page against the rows of its users (read with one
 * BatchGetItem, by `rowKeyId`), deciding each with {@link decideListedUser}. Pure.
 *
 * - Every user whose status passes the filter and has no row gets one (`expectedRow`).
 * - A row carrying `deletedAt` whose user is listed is reported and never
 *   modified: the username may belong to a new user.
 * - With `update`, rows that differ are updated and rows without `sub` are
 *   adopted, with conditional updates (`updateFor`) whose `updatedAt` is `writeTime`.
 */
export function planPage(
  users: readonly PoolUser[],
  rowsById: ReadonlyMap<string, MappedItem>,
  options: CreatePlanOptions & { readonly update?: boolean; readonly writeTime?: Date },
): PagePlan {
  const mapping = options.rowMapping;
  const creates: MappedItem[] = [];
  const markedButPresent: string[] = [];
  const updates: UpdateTask[] = [];
  let eligible = 0;
  let inSync = 0;
  const seen = new Set<string>();
  for (const listed of users) {
    const user = mappedUserOf(listed, options.userPoolId, options.groupsOf);
    const key = renderRowKey(mapping, keyValuesOf(user));
    if (!key) continue;
    const id = rowKeyId(mapping, key);
    if (seen.has(id)) continue;
    seen.add(id);
    const item = rowsById.get(id);
    const decision = decideListedUser(mapping, user, item, options);
    if (decision.marked) markedButPresent.push(rowLabel(mapping, key));
    if (decision.eligible) {
      eligible++;
      if (item) inSync++;
    }
    if (decision.action === 'create') {
      const row = expectedRow(mapping, user, { now: options.now, source: RECONCILE_SOURCE });
      if (row) creates.push(row.item);
    } else if (
      (decision.action === 'update' || decision.action === 'adopt') &&
      (decision.comparison.kind === 'differs' || decision.comparison.kind === 'adopt')
    ) {
      updates.push({
        key: rowLabel(mapping, key),
        rowKey: key,
        update: updateFor(mapping, user, decision.comparison, {
          now: options.writeTime ?? options.now,
        }),
        adopt: decision.action === 'adopt',
      });
    }
  }
  return { eligible, inSync, creates, markedButPresent, updates };
}

/** What {@link planPage} needs of the plan's options. */
export type CreatePlanOptions = Pick<
  PlanOptions,
  'userPoolId' | 'rowMapping' | 'statusFilter' | 'now' | 'groupsOf'
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

function isRecent(createdAt: string | undefined, cutoff: number): boolean {
  if (createdAt === undefined) return false;
  const time = Date.parse(createdAt);
  return Number.isFinite(time) && time > cutoff;
}
