import type { PoolUser } from '../../aws/pool/listPoolUsers.js';
import type { UserGroups } from '../../domain/groups.js';
import { DEFAULT_STATUS_FILTER, type StatusFilter } from '../../domain/reconcileConfig.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { describeDifference } from '../../domain/rowMapping/expectedRow.js';
import { matchRowKey, type RowKey, rowKeyId } from '../../domain/rowMapping/keys.js';
import {
  decideListedUser,
  isMarkedRow,
  type ListedDecision,
  mappedUserOf,
  rowLabel,
} from '../../sync/reconcile/plan.js';
import {
  PAIR_STATUSES,
  type Pair,
  type PairCounts,
  type PairStatus,
  type PairUser,
} from './apiTypes.js';

/** How rows are expected to look, and which users should have one. */
export interface PairingOptions {
  /** The pool's id, written into every row. */
  readonly userPoolId: string;
  /** How a user becomes a row: the functions' and reconcile's mapping. */
  readonly rowMapping: RowMapping;
  /** Which users should have a row. @default - every status but `UNCONFIRMED`, as reconcile */
  readonly statusFilter?: StatusFilter;
  /** The time of the comparison (see `compareRow`). @default - now */
  readonly now?: Date;
  /**
   * Each user's groups, as the pool has them now: shown with the user, and
   * compared with the row's when the mapping keeps `groups` (as reconcile
   * compares them). @default - groups neither shown nor compared
   */
  readonly groupsOf?: ((username: string) => UserGroups) | undefined;
}

/**
 * The status of a listed user's pair, from reconcile's own decision
 * (`decideListedUser`, over `compareRow`): `attributes-differ` exactly when
 * `reconcile --update` would write the row (it differs, or has no `sub` and
 * would be adopted); `row-missing` when reconcile would create it; a row
 * holding another user's `sub` (a reused username) is that user's orphan.
 * Pure.
 */
export function pairStatusOf(decision: ListedDecision): PairStatus {
  const { comparison } = decision;
  if (comparison.kind === 'missing') return decision.eligible ? 'row-missing' : 'unconfirmed';
  if (decision.marked) return 'row-marked-deleted';
  if (comparison.kind === 'reused-username') return 'orphaned-row';
  if (decision.action === 'update' || decision.action === 'adopt') return 'attributes-differ';
  return 'in-sync';
}

/**
 * Pairs every user with the row at its key under the row mapping and gives
 * each pair a status (see {@link pairStatusOf}). In a table shared with
 * other entities, only items whose key matches the mapping are rows; the
 * others are not shown. Pure. Sorted worst status first, then by e-mail or key.
 */
export function pairUsersWithRows(
  users: readonly PoolUser[],
  rows: readonly Readonly<Record<string, unknown>>[],
  options: PairingOptions,
): Pair[] {
  const mapping = options.rowMapping;
  const statusFilter = options.statusFilter ?? DEFAULT_STATUS_FILTER;
  const now = options.now ?? new Date();
  const rowsById = new Map<string, { key: RowKey; row: Readonly<Record<string, unknown>> }>();
  for (const row of rows) {
    const matched = matchRowKey(mapping, row);
    if (matched) rowsById.set(rowKeyId(mapping, matched.key), { key: matched.key, row });
  }
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for (const poolUser of users) {
    const mapped = mappedUserOf(poolUser, options.userPoolId, options.groupsOf);
    const decision = decideListedUser(mapping, mapped, undefined, { statusFilter, now });
    if (!decision.key) continue;
    const id = rowKeyId(mapping, decision.key);
    if (seen.has(id)) continue;
    seen.add(id);
    const found = rowsById.get(id);
    const settled = decideListedUser(mapping, mapped, found?.row, {
      statusFilter,
      now,
      update: true,
    });
    const status = pairStatusOf(settled);
    const comparison = settled.comparison;
    pairs.push({
      key: rowLabel(mapping, decision.key),
      status,
      user: toPairUser(poolUser, mapped.groups),
      ...(found ? { row: found.row } : {}),
      differences:
        status === 'attributes-differ' &&
        (comparison.kind === 'differs' || comparison.kind === 'adopt')
          ? comparison.differences.map(describeDifference)
          : status === 'orphaned-row' && mapping.fields.sub !== undefined
            ? [mapping.fields.sub]
            : [],
    });
  }
  for (const [id, { key, row }] of rowsById) {
    if (seen.has(id)) continue;
    const status = isMarkedRow(mapping, row) ? 'row-marked-deleted' : 'orphaned-row';
    pairs.push({ key: rowLabel(mapping, key), status, row, differences: [] });
  }
  return pairs.sort(comparePairs);
}

/**
 * The columns of a row that `reconcile --update` would change for this
 * user now (`compareRow`'s differences), as `email`, `attributes.<name>`,
 * `firstName (given_name)`… Not compared: `source`, the timestamps, the
 * constants and app-owned columns. Pure.
 */
export function rowDifferences(
  user: PoolUser,
  row: Readonly<Record<string, unknown>>,
  options: Pick<PairingOptions, 'userPoolId' | 'rowMapping' | 'now'>,
): string[] {
  const decision = decideListedUser(
    options.rowMapping,
    mappedUserOf(user, options.userPoolId),
    row,
    {
      statusFilter: { except: [] },
      now: options.now ?? new Date(),
      update: true,
    },
  );
  const comparison = decision.comparison;
  return comparison.kind === 'differs' || comparison.kind === 'adopt'
    ? comparison.differences.map(describeDifference)
    : [];
}

/** Counts the pairs by status. Pure. */
export function countPairs(pairs: readonly Pair[]): PairCounts {
  const counts = Object.fromEntries(PAIR_STATUSES.map((status) => [status, 0])) as Record<
    PairStatus,
    number
  >;
  for (const pair of pairs) counts[pair.status]++;
  return { ...counts, total: pairs.length };
}

/** Which pairs to show. */
export interface PageQuery {
  /** Index of the first pair of the page, among the matching pairs. @default 0 */
  readonly offset?: number;
  /** Most pairs on the page. @default 50 */
  readonly limit?: number;
  /** Only pairs of this status. @default - every status */
  readonly status?: PairStatus;
  /** Only pairs whose key, e-mail or row e-mail contains this text (any case). @default - all */
  readonly search?: string;
}

/** One page of matching pairs. */
export interface PairPage {
  /** Pairs matching the query, over all pages. */
  readonly total: number;
  /** Index of the first pair of the page. */
  readonly offset: number;
  /** The page's size limit. */
  readonly limit: number;
  /** The pairs of the page. */
  readonly items: readonly Pair[];
}

/** Most pairs a page may hold. */
export const MAX_PAGE_LIMIT = 200;

/** Filters the pairs and cuts one page out of them. Pure. */
export function pagePairs(pairs: readonly Pair[], query: PageQuery): PairPage {
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const limit = Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.floor(query.limit ?? 50)));
  const needle = query.search?.trim().toLowerCase() ?? '';
  const matching = pairs.filter(
    (pair) =>
      (query.status === undefined || pair.status === query.status) &&
      (needle === '' || searchText(pair).includes(needle)),
  );
  return { total: matching.length, offset, limit, items: matching.slice(offset, offset + limit) };
}

function toPairUser(user: PoolUser, groups: UserGroups | undefined): PairUser {
  const email = user.attributes.email;
  return {
    userName: user.userName,
    ...(email ? { email } : {}),
    status: user.status,
    enabled: user.enabled,
    attributes: user.attributes,
    ...(groups ? { groups } : {}),
  };
}

function searchText(pair: Pair): string {
  const rowEmail = typeof pair.row?.email === 'string' ? pair.row.email : '';
  return `${pair.key}\n${pair.user?.email ?? ''}\n${rowEmail}`.toLowerCase();
}

function sortName(pair: Pair): string {
  if (pair.user?.email) return pair.user.email;
  if (typeof pair.row?.email === 'string') return pair.row.email;
  return pair.key;
}

function comparePairs(a: Pair, b: Pair): number {
  const byStatus = PAIR_STATUSES.indexOf(a.status) - PAIR_STATUSES.indexOf(b.status);
  if (byStatus !== 0) return byStatus;
  return sortName(a).localeCompare(sortName(b)) || a.key.localeCompare(b.key);
}
