import {
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConfigError, UserPoolReadError } from '../../shared/errors.js';
import { describeFailure, isTransient } from '../../shared/failure.js';
import { listingBurst, type RateLimiter } from '../../shared/rateLimiter.js';
import { type TransientRetryOptions, withTransientRetry } from '../../shared/retry.js';
import { isRecord } from '../../shared/values.js';
import { createListingConcurrency } from './listingConcurrency.js';

/** A user of the pool, as reconcile needs it. */
export interface PoolUser {
  /** The Cognito username: the row's key. */
  readonly userName: string;
  /** `UserStatus`, e.g. `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, `EXTERNAL_PROVIDER`. */
  readonly status: string;
  /** Whether the user is enabled. */
  readonly enabled: boolean;
  /** Attributes as a string-to-string map (`sub`, `email`…). */
  readonly attributes: Readonly<Record<string, string>>;
  /** `UserLastModifiedDate` as ISO-8601, when Cognito gives it. */
  readonly lastModifiedAt?: string;
}

/** ListUsers' largest page. */
export const LIST_USERS_PAGE_SIZE = 60;

/** The first characters a `sub` can have: lowercase hexadecimal digits. */
const SUB_PREFIXES = '0123456789abcdef';

/** One shard of the listing: a filter on sub's first hex digit, or the whole pool. */
export interface ShardPosition {
  /** `sub` prefix listed by this shard ('0'..'f'), or '' for the unfiltered listing. */
  readonly prefix: string;
  /** Token of the next page to list; absent = the shard's first page (when not done). */
  readonly token?: string;
  /** Whether every page of this shard was listed. */
  readonly done: boolean;
}

/** Where a listing stands: JSON-serialisable, so that a checkpoint can store it. */
export interface ListingPosition {
  /** Every shard of the listing, each with its own progress. */
  readonly shards: readonly ShardPosition[];
}

/**
 * The start of a listing: 16 shards (`sub ^= "0"` … `"f"`) when sharded, else
 * one unfiltered shard.
 *
 * The 16 shards are disjoint, and together complete as long as every `sub`
 * starts with a lowercase hex digit (Cognito's subs are UUIDs); a pool whose
 * subs may not should be listed unsharded.
 */
export function initialListingPosition(sharded: boolean): ListingPosition {
  return {
    shards: sharded
      ? [...SUB_PREFIXES].map((prefix) => ({ prefix, done: false }))
      : [{ prefix: '', done: false }],
  };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 20));
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function parseShard(value: unknown, at: string): ShardPosition {
  if (!isRecord(value)) {
    throw new Error(
      `invalid listing position: ${at} must be an object, got ${describeValue(value)}`,
    );
  }
  const { prefix, token, done } = value;
  if (typeof prefix !== 'string' || !(prefix === '' || /^[0-9a-f]$/.test(prefix))) {
    throw new Error(
      `invalid listing position: ${at}.prefix must be one lowercase hex digit or "", got ${describeValue(prefix)}`,
    );
  }
  if (typeof done !== 'boolean') {
    throw new Error(
      `invalid listing position: ${at}.done must be true or false, got ${describeValue(done)}`,
    );
  }
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    throw new Error(
      `invalid listing position: ${at}.token must be a non-empty string when present, got ${describeValue(token)}`,
    );
  }
  if (done && token !== undefined) {
    throw new Error(`invalid listing position: ${at} is done but still has a token`);
  }
  return token === undefined ? { prefix, done } : { prefix, token, done };
}

/**
 * Checks a position read from a checkpoint; throws an Error naming what is wrong.
 * Its shards must cover the pool exactly once: either one unfiltered shard
 * (prefix `''`) or the 16 hex prefixes, each once, in any order. Unknown
 * properties are dropped.
 *
 * @returns a copy holding only the known properties
 * @throws Error when the value does not have that shape
 */
export function parseListingPosition(value: unknown): ListingPosition {
  if (!isRecord(value)) {
    throw new Error(`invalid listing position: expected an object, got ${describeValue(value)}`);
  }
  if (!Array.isArray(value.shards)) {
    throw new Error(
      `invalid listing position: shards must be an array, got ${describeValue(value.shards)}`,
    );
  }
  const shards = value.shards.map((shard, index) => parseShard(shard, `shards[${index}]`));
  const seen = new Set<string>();
  for (const [index, shard] of shards.entries()) {
    if (seen.has(shard.prefix)) {
      throw new Error(
        `invalid listing position: shards[${index}] repeats prefix ${JSON.stringify(shard.prefix)}`,
      );
    }
    seen.add(shard.prefix);
  }
  const unfiltered = shards.length === 1 && shards[0]?.prefix === '';
  if (!unfiltered && (shards.length !== SUB_PREFIXES.length || seen.has(''))) {
    const missing = [...SUB_PREFIXES].filter((prefix) => !seen.has(prefix));
    throw new Error(
      `invalid listing position: shards must be one unfiltered shard (prefix "") or the 16 hex prefixes "0" to "f", got ${shards.length} shard(s)${missing.length > 0 && !seen.has('') ? ` missing ${missing.map((prefix) => `"${prefix}"`).join(', ')}` : ''}`,
    );
  }
  return { shards };
}

/** Options of {@link listPoolUsers}. */
export interface ListPoolUsersOptions {
  /** The pool to list. */
  readonly userPoolId: string;
  /** Paces the requests of every chain (see `DEFAULT_LIST_RATE`): one token per attempt. */
  readonly rateLimiter: RateLimiter;
  /**
   * Backoff on any transient error (throttling, 5xx, reset, timeout), per page.
   * @default - 12 attempts from 250 ms, at most 5 s apart
   */
  readonly retry?: TransientRetryOptions;
  /**
   * Pages in flight at once, each of another shard (at most one per
   * unfinished shard): an override. With one, each page waits for the
   * previous page's round trip, which keeps a listing below its rate as soon
   * as a round trip is longer than 1 / rate.
   * @default - chosen from `ratePerSecond` and the measured cycle of a page
   *   (see `createListingConcurrency`); one per unfinished shard without a rate
   */
  readonly chains?: number;
  /**
   * The budget `rateLimiter` enforces, in requests per second: what the
   * pages in flight are chosen to reach. @default - none (see `chains`)
   */
  readonly ratePerSecond?: number;
  /**
   * Requests `rateLimiter` grants at once when it is full: the listing starts
   * with at least this many pages in flight.
   * @default - `listingBurst(ratePerSecond)` (the burst reconcile's rate limiter has); 1 without a rate
   */
  readonly burst?: number;
  /** Clock in milliseconds, to measure a page's cycle (tests inject one). @default performance.now */
  readonly now?: () => number;
  /** Where to start. @default initialListingPosition(true) */
  readonly position?: ListingPosition;
  /**
   * Called with each page's users as the page arrives, and the position after
   * it (that page's shard now points past the page; the other shards as far
   * as their own `onPage` calls have returned). May return a promise: the
   * chain waits for it before its next request (back-pressure), so a
   * checkpoint taken from the position passed never covers unprocessed users.
   * An error it throws ends the listing (the other chains stop at their next
   * page boundary) and is returned as is (`ListingResult.error`). @default - nothing
   */
  readonly onPage?: (users: readonly PoolUser[], position: ListingPosition) => void | Promise<void>;
  /**
   * Called when a shard's token is refused (non-transient error on a resumed
   * token, e.g. an expired one): that shard restarts at its first page.
   * @default - nothing
   */
  readonly onTokenRefused?: (reason: string) => void;
  /** Checked before each request: when true, chains stop at the page boundary (no new request). @default - never */
  readonly shouldStop?: () => boolean;
  /** Aborts the requests under way and stops the listing. @default - never */
  readonly signal?: AbortSignal;
}

/** What {@link listPoolUsers} reached. */
export interface ListingResult {
  /** Position reached (every shard done when `complete`). */
  readonly position: ListingPosition;
  /** Whether every shard was listed to its end. */
  readonly complete: boolean;
  /** Pages listed (and handed to `onPage`) by this call. */
  readonly pages: number;
  /** Users listed (and handed to `onPage`) by this call. */
  readonly listed: number;
  /**
   * Why the listing ended before its end, when it did not stop at its end or
   * at `shouldStop`: a `UserPoolReadError` (a page could not be read after its
   * retries, the server ignored a filter, or the signal aborted; the message
   * names the pool, the shard's filter and the page) or what `onPage` threw,
   * as is. `position` is then where to resume: every page handed to `onPage`
   * is behind it, no other is. Absent when nothing failed.
   */
  readonly error?: unknown;
}

/** Maps a listed user; `undefined` for an entry without a username. */
export function toPoolUser(user: UserType): PoolUser | undefined {
  if (!user.Username) return undefined;
  // Own data properties only, whatever the names (`__proto__`, `constructor`…).
  const attributes: Record<string, string> = Object.fromEntries(
    (user.Attributes ?? []).flatMap((attribute) =>
      attribute.Name === undefined ? [] : [[attribute.Name, attribute.Value ?? '']],
    ),
  );
  return {
    userName: user.Username,
    status: user.UserStatus ?? 'UNKNOWN',
    enabled: user.Enabled ?? true,
    attributes,
    ...(user.UserLastModifiedDate instanceof Date
      ? { lastModifiedAt: user.UserLastModifiedDate.toISOString() }
      : {}),
  };
}

/** The ListUsers `Filter` of a shard; `undefined` for the unfiltered one. */
function filterOf(prefix: string): string | undefined {
  return prefix === '' ? undefined : `sub ^= "${prefix}"`;
}

/** Where a failed page stands, for error messages. */
function pageLabel(prefix: string, page: number, resumed: boolean): string {
  const where = resumed ? `page ${page} after the resumed token` : `page ${page}`;
  return prefix === '' ? where : `filter sub ^= "${prefix}", ${where}`;
}

function parseChains(chains: number | undefined): number | undefined {
  if (chains !== undefined && (!Number.isInteger(chains) || chains < 1)) {
    throw new ConfigError(`chains must be a whole number of at least 1, got ${String(chains)}`);
  }
  return chains;
}

/**
 * Lists every user of the pool with ListUsers, 60 a page, over disjoint
 * shards (`sub ^= "0"` … `"f"`, or one unfiltered shard), all paced by one
 * rate limiter. Pages of different shards are in flight at once, each shard
 * one page at a time, the shards advancing in turn (the one with the fewest
 * pages listed by this call goes next), so that they end together. How many
 * are in flight is chosen from the rate and the measured cycle of a page
 * (see {@link createListingConcurrency}) unless `chains` fixes it: one page
 * at a time waits a round trip per page and cannot reach a rate above one
 * page per round trip, enough pages in flight can, and the rate limiter keeps
 * the listing within its budget. Each page is retried with backoff and jitter
 * on any transient error (throttling, 5xx, connection reset, timeout),
 * taking a token before each attempt; the client should make one attempt per
 * call so that no SDK retry quota is shared between pages.
 *
 * The listing resumes from a position (`options.position`), stops at a page
 * boundary when `shouldStop()` turns true (checked before a token is waited
 * for and again once it is granted: no request is sent after it turned true),
 * and hands each page to `onPage` with the position after it; a shard
 * advances only once `onPage` has returned. In a filtered shard, a user whose
 * `sub` does not start with the shard's prefix means the server did not
 * apply the filter: the listing fails rather than list users twice.
 *
 * A failed page (after its retries), a filter the server ignored, an
 * interruption or an error of `onPage` ends the listing (the other shards
 * stop at their page boundary) and is returned as `error`, with the position
 * to resume from: the listing itself throws only for bad options.
 *
 * @returns the position reached, whether the listing is complete, counts, and
 *   why it ended early (`error`)
 * @throws ConfigError when `chains` is not a whole number of at least 1
 * @throws Error when `position` is malformed (see {@link parseListingPosition})
 */
export async function listPoolUsers(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  options: ListPoolUsersOptions,
): Promise<ListingResult> {
  const chains = parseChains(options.chains);
  const shards: ShardPosition[] = [
    ...parseListingPosition(options.position ?? initialListingPosition(true)).shards,
  ];
  const signal = options.signal;
  const now = options.now ?? (() => performance.now());
  const concurrency = createListingConcurrency({
    max: shards.filter((shard) => !shard.done).length,
    ...(chains !== undefined ? { fixed: chains } : {}),
    ...(options.ratePerSecond !== undefined
      ? {
          ratePerSecond: options.ratePerSecond,
          burst: options.burst ?? listingBurst(options.ratePerSecond),
        }
      : {}),
  });
  // Per shard: pages this call listed, whether its token came from the position, whether a page is in flight.
  const listedPages = shards.map(() => 0);
  const resumed = shards.map((shard) => shard.token !== undefined);
  const busy = shards.map(() => false);
  let pages = 0;
  let listed = 0;
  let failure: { error: unknown } | undefined;
  let stopped = false;

  const snapshot = (index?: number, shard?: ShardPosition): ListingPosition => ({
    shards: shards.map((current, at) => (at === index && shard ? shard : current)),
  });
  const halted = (): boolean => {
    if (failure || signal?.aborted || stopped) return true;
    if (options.shouldStop?.()) stopped = true;
    return stopped;
  };
  /** The idle unfinished shard with the fewest pages listed by this call; `undefined` if none. */
  const nextShard = (): number | undefined => {
    let best: number | undefined;
    for (const [index, shard] of shards.entries()) {
      if (shard.done || busy[index]) continue;
      if (best === undefined || (listedPages[index] as number) < (listedPages[best] as number)) {
        best = index;
      }
    }
    return best;
  };

  /** One page of a shard; `undefined` when the listing halted once its token was granted. */
  const readPage = (prefix: string, token: string | undefined, sent: { at: number }) => {
    const filter = filterOf(prefix);
    return withTransientRetry(
      async () => {
        await options.rateLimiter.take();
        if (halted()) return undefined;
        sent.at = now();
        return client.send(
          new ListUsersCommand({
            UserPoolId: options.userPoolId,
            Limit: LIST_USERS_PAGE_SIZE,
            ...(filter ? { Filter: filter } : {}),
            ...(token ? { PaginationToken: token } : {}),
          }),
          signal ? { abortSignal: signal } : {},
        );
      },
      { baseDelayMs: 250, ...options.retry, ...(signal ? { signal } : {}) },
    );
  };

  /** Lists the next page of shard `index` and hands it over. */
  const listPage = async (index: number): Promise<void> => {
    const { prefix, token } = shards[index] as ShardPosition;
    const page = (listedPages[index] as number) + 1;
    const label = pageLabel(prefix, page, resumed[index] as boolean);
    const sent = { at: now() };
    let response: Awaited<ReturnType<typeof readPage>>;
    try {
      response = await readPage(prefix, token, sent);
    } catch (error) {
      if (resumed[index] && !isTransient(error) && !signal?.aborted) {
        // A checkpoint's token Cognito no longer accepts: this shard starts over.
        options.onTokenRefused?.(describeFailure(error, 'Cognito'));
        shards[index] = { prefix, done: false };
        resumed[index] = false;
        return;
      }
      failure ??= {
        error: new UserPoolReadError(
          `could not list the users of pool "${options.userPoolId}" (${label}): ${describeFailure(error, 'Cognito')}`,
          { cause: error },
        ),
      };
      return;
    }
    if (response === undefined) return;
    const users: PoolUser[] = [];
    for (const listedUser of response.Users ?? []) {
      const user = toPoolUser(listedUser);
      if (!user) continue;
      if (prefix !== '' && !(user.attributes.sub ?? '').toLowerCase().startsWith(prefix)) {
        failure ??= {
          error: new UserPoolReadError(
            `ListUsers did not apply the filter sub ^= "${prefix}" of pool "${options.userPoolId}" (${label}): it returned a user whose sub does not start with "${prefix}"; list this pool unsharded rather than list users twice`,
          ),
        };
        return;
      }
      users.push(user);
    }
    const next = response.PaginationToken || undefined;
    const after: ShardPosition = next
      ? { prefix, token: next, done: false }
      : { prefix, done: true };
    try {
      await options.onPage?.(users, snapshot(index, after));
    } catch (error) {
      failure ??= { error };
      return;
    }
    shards[index] = after;
    resumed[index] = false;
    listedPages[index] = page;
    pages++;
    listed += users.length;
    concurrency.observe(now() - sent.at);
  };

  // Each lane lists one page at a time, of whichever shard is next; lanes are
  // added as the measured cycles call for more pages in flight.
  let lanes = 0;
  const running: Promise<void>[] = [];
  const lane = async (): Promise<void> => {
    for (let index = nextShard(); index !== undefined && !halted(); index = nextShard()) {
      busy[index] = true;
      try {
        await listPage(index);
      } finally {
        busy[index] = false;
      }
      addLanes();
    }
    lanes--;
  };
  const addLanes = (): void => {
    const idle = shards.filter((shard, index) => !shard.done && !busy[index]).length;
    const wanted = Math.min(concurrency.target(), lanes + idle);
    while (lanes < wanted && !halted()) {
      lanes++;
      running.push(lane());
    }
  };
  addLanes();
  for (let awaited = 0; awaited < running.length; ) {
    const upTo = running.length;
    await Promise.all(running.slice(awaited, upTo));
    awaited = upTo;
  }

  const position = snapshot();
  const complete = shards.every((shard) => shard.done);
  // Whatever failed (a page, or `onPage` itself), the position says where to resume.
  const error =
    failure?.error ??
    (signal?.aborted
      ? new UserPoolReadError(
          `listing the users of pool "${options.userPoolId}" was interrupted: ${describeFailure(signal.reason, 'Cognito')}`,
          { cause: signal.reason },
        )
      : undefined);
  return error === undefined
    ? { position, complete, pages, listed }
    : { position, complete, pages, listed, error };
}
