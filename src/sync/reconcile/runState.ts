import { randomUUID } from 'node:crypto';
import {
  initialListingPosition,
  type ListingPosition,
  parseListingPosition,
} from '../../aws/pool/listPoolUsers.js';
import {
  initialScanPosition,
  parseScanPosition,
  type ScanPosition,
} from '../../aws/store/scanPages.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { isRecord } from '../../shared/values.js';
import { FingerprintSet, newSalt } from './fingerprints.js';
import type { PlanCounts } from './plan.js';
import { type ApplyCounts, ZERO_APPLY_COUNTS } from './planExecutor.js';

/** Counts a run adds up across its invocations: the plan's, and these. */
export interface RunCounts extends PlanCounts {
  /** Rows whose managed fields differ from the pool (`update`). */
  readonly toUpdate: number;
  /** ListUsers pages read. */
  readonly pages: number;
  /** Invocations (slices) the run has taken so far, this one included. */
  readonly slices: number;
}

/** What the run's writes did so far (see `ApplyResult`), and how many failed. */
export type AppliedCounts = ApplyCounts & { readonly failed: number };

/** No writes yet. */
export const ZERO_APPLIED_COUNTS: AppliedCounts = { ...ZERO_APPLY_COUNTS, failed: 0 };

/** No counts yet. */
export const ZERO_RUN_COUNTS: RunCounts = {
  usersListed: 0,
  usersEligible: 0,
  inSync: 0,
  toCreate: 0,
  toAdopt: 0,
  toUpdate: 0,
  markedButPresent: 0,
  rowsScanned: 0,
  orphans: 0,
  orphansAlreadyMarked: 0,
  orphansTooRecent: 0,
  orphansInPool: 0,
  toMark: 0,
  toDelete: 0,
  orphansReported: 0,
  orphansOutsideShards: 0,
  pages: 0,
  slices: 0,
};

/**
 * Where a reconcile run stands between two invocations: enough to go on
 * without listing any user twice or skipping one at a page boundary. The
 * users already listed are kept as fingerprints (8 bytes each once saved).
 */
export interface RunState {
  /** Identifies the run (logs, checkpoints). */
  readonly runId: string;
  /** The pool being listed: a state is only used for the same pool and table. */
  readonly userPoolId: string;
  /** The table being filled. */
  readonly tableName: string;
  /** When the run started (ISO-8601): `createdAt` of created rows, and the orphan cut-off. */
  readonly startedAt: string;
  /** The fingerprints' salt (see `fingerprint`). */
  readonly salt: number;
  /** `listing` until every shard is listed, then `sweeping` until every Scan segment is read. */
  readonly phase: 'listing' | 'sweeping';
  /** Where the listing stands. */
  readonly listing: ListingPosition;
  /** Where the orphan sweep stands. */
  readonly sweep: ScanPosition;
  /** Counts so far. */
  readonly counts: RunCounts;
  /** Writes so far. */
  readonly applied: AppliedCounts;
  /**
   * The row mapping's keys the run was started with (see {@link rowKeysOf}):
   * the fingerprints are of row keys under them, so a state is only used
   * under the same keys.
   */
  readonly rowKeys: string;
  /** Fingerprints of the row key (`rowKeyId`) of every user listed so far. */
  readonly listed: FingerprintSet;
}

/** The keys of a row mapping in one text, e.g. `pk=USER#{sub} sk=PROFILE`. */
export function rowKeysOf(mapping: Pick<RowMapping, 'key' | 'sortKey'>): string {
  const keys = mapping.sortKey ? [mapping.key, mapping.sortKey] : [mapping.key];
  return keys.map((key) => `${key.attribute}=${key.template}`).join(' ');
}

/** {@link rowKeysOf} the default mapping: `username={username}`. */
export const DEFAULT_ROW_KEYS = 'username={username}';

/** Options of {@link newRunState}. */
export interface NewRunStateOptions {
  /** The pool. */
  readonly userPoolId: string;
  /** The table. */
  readonly tableName: string;
  /** The run's start. */
  readonly now: Date;
  /** List in 16 `sub` shards (concurrent chains) rather than one unfiltered chain. */
  readonly sharded: boolean;
  /** Parallel Scan segments of the sweep. */
  readonly scanSegments: number;
  /** Random source of the salt. @default Math.random */
  readonly random?: () => number;
  /** The row mapping's keys (see {@link rowKeysOf}). @default DEFAULT_ROW_KEYS */
  readonly rowKeys?: string;
}

/** The state of a run that has not started. */
export function newRunState(options: NewRunStateOptions): RunState {
  return {
    runId: randomUUID(),
    userPoolId: options.userPoolId,
    tableName: options.tableName,
    startedAt: options.now.toISOString(),
    salt: newSalt(options.random),
    phase: 'listing',
    listing: initialListingPosition(options.sharded),
    sweep: initialScanPosition(options.scanSegments),
    counts: ZERO_RUN_COUNTS,
    applied: ZERO_APPLIED_COUNTS,
    rowKeys: options.rowKeys ?? DEFAULT_ROW_KEYS,
    listed: new FingerprintSet(),
  };
}

/** A run state as stored: JSON text and the fingerprints' bytes. */
export interface SerializedRunState {
  /** Everything but the fingerprints, as JSON. */
  readonly body: string;
  /** The fingerprints (see `FingerprintSet.toBytes`). */
  readonly blob: Uint8Array;
}

const FORMAT = 'cognito-user-sync/reconcile-run@1';

/** Serialises a run state for a checkpoint. */
export function serializeRunState(state: RunState): SerializedRunState {
  return { body: serializeRunStateBody(state), blob: state.listed.toBytes() };
}

/** The body of {@link serializeRunState} alone: everything but the fingerprints, as JSON. */
export function serializeRunStateBody(state: RunState): string {
  const { listed: _listed, ...rest } = state;
  return JSON.stringify({ format: FORMAT, ...rest });
}

/**
 * Reads a serialised run state back, checking every field.
 *
 * @throws Error naming the field that is missing or invalid
 */
export function parseRunState(stored: SerializedRunState): RunState {
  let data: unknown;
  try {
    data = JSON.parse(stored.body);
  } catch (error) {
    throw new Error(`the saved run state is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(data) || data.format !== FORMAT) {
    throw new Error(`the saved run state is not a ${FORMAT} state`);
  }
  const text = (name: string): string => {
    const value = data[name];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`the saved run state has no valid "${name}"`);
    }
    return value;
  };
  const startedAt = text('startedAt');
  if (!Number.isFinite(Date.parse(startedAt))) {
    throw new Error(`the saved run state has an invalid "startedAt" (${startedAt})`);
  }
  const salt = data.salt;
  if (typeof salt !== 'number' || !Number.isInteger(salt) || salt < 0 || salt >= 2 ** 32) {
    throw new Error('the saved run state has no valid "salt"');
  }
  if (data.phase !== 'listing' && data.phase !== 'sweeping') {
    throw new Error(`the saved run state has an invalid "phase" (${String(data.phase)})`);
  }
  return {
    runId: text('runId'),
    userPoolId: text('userPoolId'),
    tableName: text('tableName'),
    startedAt,
    salt,
    phase: data.phase,
    listing: parseListingPosition(data.listing),
    sweep: parseScanPosition(data.sweep),
    counts: parseCounts(data.counts, ZERO_RUN_COUNTS, 'counts'),
    applied: parseCounts(data.applied, ZERO_APPLIED_COUNTS, 'applied'),
    // A state saved before row keys were fingerprinted has none: it cannot be continued.
    rowKeys: text('rowKeys'),
    listed: FingerprintSet.fromBytes(stored.blob),
  };
}

/** Counts a state saved before they existed lacks: read as 0. */
const COUNTS_ADDED_LATER: readonly string[] = ['toAdopt', 'adopted'];

function parseCounts<T extends object>(value: unknown, zero: T, field: string): T {
  if (!isRecord(value)) throw new Error(`the saved run state has no "${field}"`);
  const counts: Record<string, number> = {};
  for (const name of Object.keys(zero)) {
    // A count added since the state was saved starts at 0.
    const count = value[name] ?? (COUNTS_ADDED_LATER.includes(name) ? 0 : undefined);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new Error(`the saved run state has an invalid count "${field}.${name}"`);
    }
    counts[name] = count;
  }
  return counts as T;
}
