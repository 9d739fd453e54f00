import { ConfigError } from '../shared/errors.js';
import type { MappingConfig } from './config.js';
import type { DeletedRowPolicy } from './deletedRows.js';
import type { RowMapping } from './rowMapping/document.js';

/** What reconcile does with a row whose user is no longer in the pool. */
export const ORPHAN_MODES = ['report', 'mark', 'delete'] as const;

/** One of {@link ORPHAN_MODES}. */
export type OrphanMode = (typeof ORPHAN_MODES)[number];

/** User statuses Cognito reports (`UserStatus` of ListUsers). */
export const USER_STATUSES: readonly string[] = [
  'UNCONFIRMED',
  'CONFIRMED',
  'ARCHIVED',
  'COMPROMISED',
  'UNKNOWN',
  'RESET_REQUIRED',
  'FORCE_CHANGE_PASSWORD',
  'EXTERNAL_PROVIDER',
];

/**
 * Which listed users get a row: `only` the given statuses, or every status
 * `except` the given ones (so that statuses Cognito adds later are included).
 */
export type StatusFilter =
  | { readonly only: readonly string[] }
  | { readonly except: readonly string[] };

/** Default: every user who can sign in, i.e. every status but `UNCONFIRMED`. */
export const DEFAULT_STATUS_FILTER: StatusFilter = { except: ['UNCONFIRMED'] };

/** Default number of writes in flight. */
export const DEFAULT_CONCURRENCY = 16;
/** Highest accepted `concurrency`. */
export const MAX_CONCURRENCY = 256;
/**
 * Default ListUsers rate, in requests per second. ListUsers belongs to
 * Cognito's `UserList` quota category: 30 requests per second per account
 * and Region, shared by every caller and not adjustable. 10/s leaves two
 * thirds of it to the applications that share the account.
 */
export const DEFAULT_LIST_RATE = 10;
/** Highest accepted `listRate`. */
export const MAX_LIST_RATE = 1000;

/** Smallest ListUsers rate, in requests per second. */
export const MIN_LIST_RATE = 0.1;
/** Highest accepted `listChains`: one page in flight per `sub` shard. */
export const MAX_LIST_CHAINS = 16;
/** Default number of parallel Scan segments. */
export const DEFAULT_SCAN_SEGMENTS = 4;
/** Highest accepted `scanSegments`. */
export const MAX_SCAN_SEGMENTS = 64;
/**
 * Rows created less than this many milliseconds before the pool was listed are
 * never treated as orphans: their user may have signed up while reconcile ran.
 */
export const DEFAULT_ORPHAN_GRACE_MS = 10 * 60 * 1000;

/** Everything one reconcile run needs to know, validated. */
export interface ReconcileConfig extends MappingConfig {
  /** The user pool to list. */
  readonly userPoolId: string;
  /** The table to fill. */
  readonly tableName: string;
  /** Which listed users should have a row. */
  readonly statusFilter: StatusFilter;
  /** What to do with orphaned rows. */
  readonly orphans: OrphanMode;
  /** Writes in flight at once. */
  readonly concurrency: number;
  /** ListUsers requests per second (token bucket, burst of the same size). */
  readonly listRate: number;
  /** Parallel Scan segments. */
  readonly scanSegments: number;
  /**
   * ListUsers pages in flight, an override. Absent: the pool is listed over
   * the 16 `sub ^= "<hex digit>"` shards with as many pages in flight as
   * reaching `listRate` takes, measured from the round trips; 2-16: that many
   * over the shards; 1: one unfiltered chain (a pool whose subs may not be
   * hex). @default - chosen by the run
   */
  readonly listChains?: number;
  /** Compute and report the plan, write nothing. */
  readonly dryRun: boolean;
  /** Count orphaned rows left in place as "not converged". */
  readonly failOnOrphans: boolean;
  /**
   * Also update the managed fields of existing rows that differ from the
   * pool (conditional on the row holding no newer state). @default false
   */
  readonly update?: boolean;
  /**
   * What marking an orphan does besides `deletedAt` (`orphans: mark`).
   * @default DEFAULT_DELETED_ROW_POLICY - erase personal data, no expiry
   */
  readonly deletedRows?: DeletedRowPolicy;
  /** How a user becomes a row: keys, field names, attribute columns, constants (`--row-mapping`, `ROW_MAPPING`). */
  readonly rowMapping: RowMapping;
}

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/**
 * Checks a user pool id (`<region>_<id>`, as Cognito's API defines it).
 *
 * @throws ConfigError when it is missing or malformed
 */
export function parseUserPoolId(value: string | undefined, source: string): string {
  const id = value?.trim();
  if (!id) throw new ConfigError(`${source} is required (the Cognito user pool id)`);
  if (id.length > 55 || !USER_POOL_ID.test(id)) {
    throw new ConfigError(`${source} must look like "us-east-1_AbC123", got "${id}"`);
  }
  return id;
}

/** Default total time limit of a command-line run, in seconds. */
export const DEFAULT_TIME_LIMIT_SECONDS = 120;

/** Largest total time limit of a command-line run, in seconds (a day). */
export const MAX_TIME_LIMIT_SECONDS = 86_400;

/**
 * Parses a time limit in seconds (decimals allowed), 0 meaning none.
 *
 * @throws ConfigError naming `source` and the bad value
 */
export function parseTimeLimit(text: string | undefined, source: string): number {
  if (text === undefined || text.trim() === '') return DEFAULT_TIME_LIMIT_SECONDS;
  const trimmed = text.trim();
  const seconds = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds > MAX_TIME_LIMIT_SECONDS) {
    throw new ConfigError(
      `${source} must be a number of seconds from 0 (no limit) to ${MAX_TIME_LIMIT_SECONDS}, got "${text}"`,
    );
  }
  return seconds;
}

/**
 * Parses a rate (requests per second, decimals allowed) from `min` to `max`.
 *
 * @throws ConfigError when it is not a number in `[min, max]` (`min` defaults to {@link MIN_LIST_RATE})
 */
export function parseRate(
  value: string | undefined,
  source: string,
  range: { readonly max: number; readonly default: number; readonly min?: number },
): number {
  if (value === undefined || value.trim() === '') return range.default;
  const text = value.trim();
  const min = range.min ?? MIN_LIST_RATE;
  const number = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(number) || number < min || number > range.max) {
    throw new ConfigError(`${source} must be a number from ${min} to ${range.max}, got ${text}`);
  }
  return number;
}

/**
 * Parses a comma-separated list of user statuses (case-insensitive).
 *
 * @returns `{ only: [...] }`, or `undefined` when the value is empty or absent
 * @throws ConfigError naming the first unknown status
 */
export function parseStatusList(
  value: string | undefined,
  source: string,
): StatusFilter | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const statuses = value.split(',').map((entry) => entry.trim().toUpperCase());
  for (const status of statuses) {
    if (!USER_STATUSES.includes(status)) {
      throw new ConfigError(
        `${source} must be a comma-separated list of ${USER_STATUSES.join(', ')}, got an invalid entry "${status}"`,
      );
    }
  }
  return { only: [...new Set(statuses)] };
}

/** Whether a listed user with this status should have a row. */
export function isEligibleStatus(status: string | undefined, filter: StatusFilter): boolean {
  const value = status ?? 'UNKNOWN';
  return 'only' in filter ? filter.only.includes(value) : !filter.except.includes(value);
}

/** Describes a status filter in words, for summaries and logs. */
export function describeStatusFilter(filter: StatusFilter): string {
  if ('only' in filter) return filter.only.join(',');
  return filter.except.length === 0 ? 'all' : `all but ${filter.except.join(',')}`;
}
