import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  initialListingPosition,
  listPoolUsers,
  type PoolUser,
} from '../../aws/pool/listPoolUsers.js';
import { scanUserRows } from '../../aws/store/scanUserRows.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { createRateLimiter } from '../../shared/rateLimiter.js';
import type { Pair, PairCounts } from './apiTypes.js';
import { countPairs, pairUsersWithRows } from './pairUsersWithRows.js';
import { readPoolGroupMembers } from './poolGroupMembers.js';

/** Users and rows paired at one moment. */
export interface SyncSnapshot {
  /** Every pair, worst status first. */
  readonly pairs: readonly Pair[];
  /** Pairs by status. */
  readonly counts: PairCounts;
  /** Every group of the pool, sorted by UTF-16 code unit. */
  readonly groups: readonly string[];
  /** When the listing and the scan started (ISO 8601). */
  readonly takenAt: string;
  /** How long listing, scanning and pairing took. */
  readonly durationMs: number;
}

/** Where a snapshot is read from. */
export interface SyncSnapshotOptions {
  /** Cognito client pointed at the pool's API. */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client pointed at the table's API. */
  readonly dynamo: DynamoDBDocumentClient;
  /** The pool. */
  readonly userPoolId: string;
  /** The table. */
  readonly tableName: string;
  /** The row mapping the functions and reconcile write by. */
  readonly rowMapping: RowMapping;
  /**
   * A snapshot older than this, and than twice the time its read took, is read
   * again. @default 500
   */
  readonly maxAgeMs?: number;
  /** How long a caller waits for a fresh read before it is served the stale snapshot. @default 250 */
  readonly freshWaitMs?: number;
  /** ListUsers requests per second (a local pool needs no pacing to speak of). @default 200 */
  readonly listRate?: number;
  /** Clock in milliseconds, for ages and read durations; injected by tests. @default performance.now */
  readonly now?: () => number;
}

/**
 * Serves snapshots. When the last one is stale a fresh read starts, and the
 * caller gets it if it arrives within `freshWaitMs`, else the stale one while
 * the read goes on in the background (a pool of 10,000 users takes seconds to
 * list), so paging and searching never wait long; after an invalidation the
 * next caller waits for a fresh read.
 */
export interface SyncSnapshotSource {
  /**
   * The latest snapshot; when it is older than `maxAgeMs` a new read starts in
   * the background. Waits for a read when there is none yet or after {@link invalidate}.
   */
  get(): Promise<SyncSnapshot>;
  /** Makes the next {@link get} read anew (after a change made through the console). */
  invalidate(): void;
}

/**
 * Reads the pool with `listPoolUsers`, its groups and their members with
 * `readPoolGroupMembers` (the calls reconcile reads them with) and the table with
 * `scanUserRows` at the same time, and pairs them with `pairUsersWithRows`.
 * Concurrent callers share one read; a read is never started while another
 * is under way.
 *
 * The groups cost one `ListGroups` page per 60 groups and one
 * `ListUsersInGroup` page per group (per 60 members) a snapshot, however many
 * users are shown: a local pool has a few groups, while
 * `AdminListGroupsForUser` would cost a call per shown user on every
 * refresh (and the emulator loads every group for each), and could not give
 * the counts of every status, which need every user's groups when the
 * mapping keeps them.
 */
export function createSyncSnapshotSource(options: SyncSnapshotOptions): SyncSnapshotSource {
  const maxAgeMs = options.maxAgeMs ?? 500;
  const freshWaitMs = options.freshWaitMs ?? 250;
  const now = options.now ?? (() => performance.now());
  const rateLimiter = createRateLimiter({ ratePerSecond: options.listRate ?? 200 });
  let latest: { snapshot: SyncSnapshot; readAt: number } | undefined;
  let reading: { promise: Promise<SyncSnapshot>; generation: number } | undefined;
  let generation = 0;

  const read = async (): Promise<SyncSnapshot> => {
    const started = now();
    const takenAt = new Date().toISOString();
    const readGeneration = generation;
    const users: PoolUser[] = [];
    const [listing, rows, memberships] = await Promise.all([
      // One unfiltered chain: the local pool is small and served from memory.
      listPoolUsers(options.cognito, {
        userPoolId: options.userPoolId,
        rateLimiter,
        chains: 1,
        position: initialListingPosition(false),
        onPage: (page) => {
          users.push(...page);
        },
      }),
      scanUserRows(options.dynamo, { tableName: options.tableName }),
      // ListUsersInGroup is a UserList call, as ListUsers: one pace for both.
      readPoolGroupMembers(options.cognito, options.userPoolId, { limiter: rateLimiter }),
    ]);
    // A listing that ended early says why: the snapshot would miss users.
    if (listing.error !== undefined) throw listing.error;
    const pairs = pairUsersWithRows(users, rows, {
      userPoolId: options.userPoolId,
      rowMapping: options.rowMapping,
      groupsOf: (username) => memberships.groupsOf(username),
    });
    const snapshot: SyncSnapshot = {
      pairs,
      counts: countPairs(pairs),
      groups: memberships.groups,
      takenAt,
      durationMs: Math.round(now() - started),
    };
    // A read that began before an invalidation is served once but not kept.
    if (readGeneration === generation) latest = { snapshot, readAt: now() };
    return snapshot;
  };

  const readAgain = (): Promise<SyncSnapshot> => {
    // A read that began before the last invalidation may miss the change: read again after it.
    if (reading && reading.generation === generation) return reading.promise;
    const after = reading?.promise.catch(() => undefined) ?? Promise.resolve();
    const current = {
      generation,
      promise: after.then(read).finally(() => {
        if (reading === current) reading = undefined;
      }),
    };
    reading = current;
    return current.promise;
  };

  return {
    get: () => {
      if (!latest) return readAgain();
      const stale = latest.snapshot;
      // A slow read (a large pool) is not repeated more often than every other read's time.
      const age = now() - latest.readAt;
      if (age < Math.max(maxAgeMs, 2 * stale.durationMs)) return Promise.resolve(stale);
      const underWay = reading !== undefined && reading.generation === generation;
      const fresh = readAgain();
      if (underWay) return Promise.resolve(stale);
      // Small pools read in milliseconds: wait a little for the fresh snapshot, no longer.
      return Promise.race([
        new Promise<SyncSnapshot>((resolveStale) => {
          setTimeout(() => resolveStale(stale), freshWaitMs).unref();
        }),
        fresh.catch(() => stale),
      ]);
    },
    invalidate: () => {
      generation++;
      latest = undefined;
    },
  };
}
