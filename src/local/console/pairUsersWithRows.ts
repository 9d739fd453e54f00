import type { PoolUser } from '../../aws/pool/listPoolUsers.js';
import type { MappingConfig } from '../../domain/config.js';
import { diffManaged, toManagedState } from '../../domain/converge.js';
import {
  DEFAULT_STATUS_FILTER,
  isEligibleStatus,
  type StatusFilter,
} from '../../domain/reconcileConfig.js';
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
  /** Key attribute and attribute allowlist: the trigger's mapping. */
  readonly mapping: MappingConfig;
  /** Which users should have a row. @default - every status but `UNCONFIRMED`, as reconcile */
  readonly statusFilter?: StatusFilter;
}

/**
 * Pairs every user with the row under its username and gives each pair a
 * status. A row differs when the package's sync would change one of its
 * managed fields for this user (see {@link rowDifferences}). Pure. Sorted
 * worst status first, then by e-mail or key.
 */
export function pairUsersWithRows(
  users: readonly PoolUser[],
  rows: readonly Readonly<Record<string, unknown>>[],
  options: PairingOptions,
): Pair[] {
  const keyAttribute = options.mapping.keyAttribute;
  const statusFilter = options.statusFilter ?? DEFAULT_STATUS_FILTER;
  const rowsByKey = new Map<string, Readonly<Record<string, unknown>>>();
  for (const row of rows) {
    const key = row[keyAttribute];
    if (typeof key === 'string') rowsByKey.set(key, row);
  }
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for (const poolUser of users) {
    if (seen.has(poolUser.userName)) continue;
    seen.add(poolUser.userName);
    const user = toPairUser(poolUser);
    const row = rowsByKey.get(poolUser.userName);
    if (!row) {
      const status = isEligibleStatus(poolUser.status, statusFilter)
        ? 'row-missing'
        : 'unconfirmed';
      pairs.push({ key: poolUser.userName, status, user, differences: [] });
      continue;
    }
    if (row.deletedAt !== undefined) {
      pairs.push({
        key: poolUser.userName,
        status: 'row-marked-deleted',
        user,
        row,
        differences: [],
      });
      continue;
    }
    const differences = rowDifferences(poolUser, row, options);
    pairs.push({
      key: poolUser.userName,
      status: differences.length > 0 ? 'attributes-differ' : 'in-sync',
      user,
      row,
      differences,
    });
  }
  for (const [key, row] of rowsByKey) {
    if (seen.has(key)) continue;
    const status = row.deletedAt !== undefined ? 'row-marked-deleted' : 'orphaned-row';
    pairs.push({ key, status, row, differences: [] });
  }
  return pairs.sort(comparePairs);
}

/**
 * Managed fields that rows created by reconcile, or written before the
 * lifecycle sync, do not carry (the lifecycle paths add them): compared only
 * when the row has them.
 */
const FIELDS_COMPARED_WHEN_PRESENT: readonly string[] = ['enabled', 'status'];

/**
 * The fields of a row that differ from what the package's sync would write
 * for this user now (`toManagedState` and `diffManaged`, the lifecycle sync's
 * own comparison), as `sub`, `email`, `attributes.<name>`, `enabled`… Not
 * compared: `source`, the timestamps, the `userLastModifiedAt` version, and
 * `enabled`/`status` on a row that does not carry them. Pure.
 */
export function rowDifferences(
  user: PoolUser,
  row: Readonly<Record<string, unknown>>,
  options: Pick<PairingOptions, 'userPoolId' | 'mapping'>,
): string[] {
  const state = toManagedState(
    {
      username: user.userName,
      userPoolId: options.userPoolId,
      attributes: user.attributes,
      enabled: user.enabled,
      status: user.status,
    },
    options.mapping,
  );
  const { set, remove } = diffManaged(row, state);
  const differences: string[] = [];
  for (const field of [...Object.keys(set), ...remove]) {
    if (FIELDS_COMPARED_WHEN_PRESENT.includes(field) && row[field] === undefined) continue;
    if (field !== 'attributes') {
      differences.push(field);
      continue;
    }
    const actual = isStringMap(row.attributes) ? row.attributes : {};
    const names = new Set([...Object.keys(state.attributes), ...Object.keys(actual)]);
    for (const name of [...names].sort()) {
      if (state.attributes[name] !== actual[name]) differences.push(`attributes.${name}`);
    }
  }
  return differences.sort(compareFields);
}

const FIELD_ORDER = [
  'sub',
  'userPoolId',
  'email',
  'emailVerified',
  'attributes',
  'enabled',
  'status',
];

function compareFields(a: string, b: string): number {
  const rank = (field: string) => FIELD_ORDER.indexOf(field.split('.')[0] ?? field);
  return rank(a) - rank(b) || a.localeCompare(b);
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

function toPairUser(user: PoolUser): PairUser {
  const email = user.attributes.email;
  return {
    userName: user.userName,
    ...(email ? { email } : {}),
    status: user.status,
    enabled: user.enabled,
    attributes: user.attributes,
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

function isStringMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
