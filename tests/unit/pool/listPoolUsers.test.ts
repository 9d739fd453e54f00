import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import {
  initialListingPosition,
  type ListingPosition,
  type ListPoolUsersOptions,
  listPoolUsers,
  type PoolUser,
  parseListingPosition,
  toPoolUser,
} from '../../../src/aws/pool/listPoolUsers.js';
import { ConfigError, UserPoolReadError } from '../../../src/shared/errors.js';
import type { RateLimiter } from '../../../src/shared/rateLimiter.js';
import { cognitoUser, NO_WAIT, sdkError, subOf } from '../reconcile/fakes.js';

const POOL = 'us-east-1_Pool1';
const HEX = [...'0123456789abcdef'];
/** Users per first hex digit of `sub`: empty shards, one short page, exact pages, pages and a bit. */
const SHARD_SIZES: Readonly<Record<string, number>> = {
  '0': 0,
  '1': 1,
  '2': 59,
  '3': 60,
  '4': 61,
  '5': 120,
  '6': 0,
  '7': 7,
  '8': 130,
  '9': 2,
  a: 75,
  b: 121,
  c: 0,
  d: 3,
  e: 60,
  f: 1,
};

/** A pool whose subs are UUIDs starting with each digit as often as `sizes` says, digits interleaved. */
function poolOf(sizes: Readonly<Record<string, number>>): UserType[] {
  const users = Object.entries(sizes).flatMap(([digit, size]) =>
    Array.from({ length: size }, (_, i) => {
      const sub = `${digit}${i.toString(16).padStart(7, '0')}-0000-4000-8000-000000000000`;
      return cognitoUser(sub, 'CONFIRMED', { sub });
    }),
  );
  // Pool order mixes the digits, as Cognito's does, so an unfiltered page holds every shard.
  return users.sort(
    (a, b) =>
      (a.Username?.slice(1) ?? '').localeCompare(b.Username?.slice(1) ?? '') ||
      (a.Username ?? '').localeCompare(b.Username ?? ''),
  );
}

interface ListUsersInput {
  readonly Filter?: string;
  readonly PaginationToken?: string;
  readonly Limit?: number;
}

/**
 * A Cognito serving ListUsers as the real one documents it: pages of at most
 * 60, `sub ^= "x"` filters, opaque tokens valid only with the filter they came
 * from. Every answer waits a turn of the event loop, so that chains overlap.
 */
class ShardedCognito {
  readonly calls: ListUsersInput[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Answers every request with the whole pool's pages, whatever the filter. */
  ignoreFilter = false;
  /** Runs before each answer (after the call is recorded); may throw or wait. */
  before: (input: ListUsersInput, call: number) => void | Promise<void> = () => {};

  constructor(readonly users: readonly UserType[]) {}

  /** The users a filter selects, in pool order. */
  matching(filter: string | undefined): UserType[] {
    if (filter === undefined || this.ignoreFilter) return [...this.users];
    const match = /^sub \^= "([^"]*)"$/.exec(filter);
    if (!match) throw sdkError('InvalidParameterException', `unsupported filter ${filter}`);
    const prefix = match[1] ?? '';
    return this.users.filter((user) =>
      user.Attributes?.some(
        (attribute) => attribute.Name === 'sub' && attribute.Value?.startsWith(prefix),
      ),
    );
  }

  /** The token of the page starting at `start` of a filter's listing. */
  static tokenOf(filter: string | undefined, start: number): string {
    return Buffer.from(JSON.stringify({ filter: filter ?? '', start })).toString('base64url');
  }

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    if (command.constructor.name !== 'ListUsersCommand') {
      throw new Error(`unexpected ${command.constructor.name}`);
    }
    const input = command.input as ListUsersInput;
    const call = this.calls.push({ ...input }) - 1;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      await this.before(input, call);
      const users = this.matching(input.Filter);
      const start = input.PaginationToken ? this.startOf(input.PaginationToken, input.Filter) : 0;
      const limit = Math.min(input.Limit || 60, 60);
      const end = start + limit;
      return {
        Users: users.slice(start, end),
        ...(end < users.length
          ? { PaginationToken: ShardedCognito.tokenOf(input.Filter, end) }
          : {}),
      };
    } finally {
      this.inFlight--;
    }
  }

  private startOf(token: string, filter: string | undefined): number {
    try {
      const content = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      if (content.filter === (filter ?? '') && Number.isInteger(content.start))
        return content.start;
    } catch {}
    throw sdkError('InvalidParameterException', 'Invalid pagination token.');
  }
}

function countingLimiter(): RateLimiter & { taken: number } {
  const limiter = {
    taken: 0,
    take: async () => {
      limiter.taken++;
    },
  };
  return limiter;
}

/** Lists with `options`, collecting every page handed to `onPage`. */
async function collect(
  cognito: ShardedCognito,
  options: Partial<ListPoolUsersOptions> = {},
  users: PoolUser[] = [],
) {
  const result = await listPoolUsers(cognito, {
    userPoolId: POOL,
    rateLimiter: countingLimiter(),
    retry: NO_WAIT,
    ...options,
    onPage: async (page, position) => {
      users.push(...page);
      await options.onPage?.(page, position);
    },
  });
  return { result, users };
}

function namesOf(users: readonly (PoolUser | UserType)[]): string[] {
  return users.map((user) => ('userName' in user ? user.userName : String(user.Username))).sort();
}

/** Pages a full sharded listing of a pool of `sizes` takes: at least one per shard. */
function pagesFor(sizes: Readonly<Record<string, number>>): number {
  return Object.values(sizes).reduce((sum, size) => sum + Math.max(1, Math.ceil(size / 60)), 0);
}

/** A checkpoint's round trip: what a resumed run reads back. */
function throughJson(position: ListingPosition): ListingPosition {
  return parseListingPosition(JSON.parse(JSON.stringify(position)));
}

function deferred() {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

async function ticks(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('Function: listPoolUsers', () => {
  it('lists every user exactly once over 16 sub-prefix shards of varied sizes, empty ones included', async () => {
    // Prepare
    const pool = poolOf(SHARD_SIZES);
    const cognito = new ShardedCognito(pool);

    // Act
    const { result, users } = await collect(cognito);

    // Assess
    assert.deepEqual(namesOf(users), namesOf(pool));
    assert.equal(new Set(namesOf(users)).size, pool.length);
    assert.deepEqual(
      [...new Set(cognito.calls.map((call) => call.Filter))].sort(),
      HEX.map((digit) => `sub ^= "${digit}"`),
    );
    assert.ok(cognito.calls.every((call) => call.Limit === 60));
    assert.equal(cognito.calls.length, pagesFor(SHARD_SIZES));
    assert.deepEqual(result, {
      position: { shards: HEX.map((prefix) => ({ prefix, done: true })) },
      complete: true,
      pages: pagesFor(SHARD_SIZES),
      listed: pool.length,
    });
  });

  it('sends no filter and lists every user when the position is unsharded', async () => {
    const pool = poolOf(SHARD_SIZES);
    const cognito = new ShardedCognito(pool);
    const { result, users } = await collect(cognito, { position: initialListingPosition(false) });
    assert.deepEqual(namesOf(users), namesOf(pool));
    assert.ok(cognito.calls.every((call) => call.Filter === undefined));
    assert.equal(cognito.calls.length, Math.ceil(pool.length / 60));
    assert.deepEqual(result.position, { shards: [{ prefix: '', done: true }] });
  });

  it('keeps as many requests in flight as there are chains', async () => {
    for (const chains of [1, 2, 4, 6]) {
      const cognito = new ShardedCognito(poolOf(SHARD_SIZES));
      await collect(cognito, { chains });
      assert.equal(cognito.maxInFlight, chains, `with ${chains} chain(s)`);
    }
    // Without chains nor a rate to reach, the rate limiter alone paces: one page per shard in flight.
    const defaultChains = new ShardedCognito(poolOf(SHARD_SIZES));
    await collect(defaultChains);
    assert.equal(defaultChains.maxInFlight, 16);
  });

  it('takes a token from the one shared rate limiter before every attempt, retries included', async () => {
    // Prepare: the first three answers are throttled
    const pool = poolOf(SHARD_SIZES);
    const cognito = new ShardedCognito(pool);
    cognito.before = (_, call) => {
      if (call < 3) throw sdkError('TooManyRequestsException');
    };
    const limiter = countingLimiter();

    // Act
    const { result, users } = await collect(cognito, { rateLimiter: limiter });

    // Assess
    assert.equal(cognito.calls.length, pagesFor(SHARD_SIZES) + 3);
    assert.equal(limiter.taken, cognito.calls.length);
    assert.equal(result.pages, pagesFor(SHARD_SIZES));
    assert.deepEqual(namesOf(users), namesOf(pool));
  });

  it('resumes from a mid-way position and lists exactly the users after it', async () => {
    // Prepare: shards 0-3 done, shard 4 past its first page, shard 5 at its first page…
    const pool = poolOf(SHARD_SIZES);
    const cognito = new ShardedCognito(pool);
    const position = parseListingPosition({
      shards: HEX.map((prefix, index) => {
        if (index < 4) return { prefix, done: true };
        if (prefix === '4') {
          return { prefix, token: ShardedCognito.tokenOf('sub ^= "4"', 60), done: false };
        }
        return { prefix, done: false };
      }),
    });
    const expected = HEX.slice(4).flatMap((prefix) =>
      cognito.matching(`sub ^= "${prefix}"`).slice(prefix === '4' ? 60 : 0),
    );

    // Act
    const { result, users } = await collect(cognito, { position });

    // Assess
    assert.deepEqual(namesOf(users), namesOf(expected));
    assert.equal(users.length, expected.length);
    assert.equal(result.complete, true);
    assert.equal(result.listed, expected.length);
    assert.ok(cognito.calls.every((call) => !/"[0-3]"/.test(call.Filter ?? '')));
  });

  it('sends nothing and reports complete when every shard of the position is done', async () => {
    const cognito = new ShardedCognito(poolOf(SHARD_SIZES));
    const done = { shards: HEX.map((prefix) => ({ prefix, done: true })) };
    const { result } = await collect(cognito, { position: done });
    assert.equal(cognito.calls.length, 0);
    assert.deepEqual(result, { position: done, complete: true, pages: 0, listed: 0 });
  });

  it('waits for the promise onPage returns before the next request, and only then advances the position', async () => {
    // Prepare: one chain, shard 0 of 130 users (3 pages)
    const cognito = new ShardedCognito(poolOf({ '0': 130 }));
    const held = deferred();
    const positions: ListingPosition[] = [];
    const finished: { position?: ListingPosition } = {};
    const listing = collect(cognito, {
      chains: 1,
      onPage: (_, position) => {
        positions.push(position);
        return positions.length === 1 ? held.promise : undefined;
      },
    }).then((done) => {
      finished.position = done.result.position;
    });

    // Act: the first page's processing is still under way
    await ticks(50);

    // Assess
    assert.equal(cognito.calls.length, 1);
    assert.deepEqual(Object.keys(finished), []); // the listing has not returned
    const token = ShardedCognito.tokenOf('sub ^= "0"', 60);
    assert.deepEqual(positions[0]?.shards[0], { prefix: '0', token, done: false });
    assert.equal(positions.length, 1);

    held.resolve();
    await listing;
    assert.equal(cognito.calls.length, 18); // 3 pages of shard 0 and one page each of the 15 others
    const shardZero = cognito.calls.filter((call) => call.Filter === 'sub ^= "0"');
    assert.equal(shardZero[1]?.PaginationToken, token);
    // The next page of shard 0 moves its position on only once handed over.
    const shardZeroPositions = positions.map((position) => position.shards[0]);
    assert.deepEqual(
      shardZeroPositions.find((shard) => shard?.token !== token),
      { prefix: '0', token: ShardedCognito.tokenOf('sub ^= "0"', 120), done: false },
    );
    assert.deepEqual(finished.position?.shards[0], { prefix: '0', done: true });
  });

  it("passes each page a position that holds another chain's shard back until its onPage returned", async () => {
    // Prepare: two chains; the page of shard 0 is held while shard 1's arrives
    const cognito = new ShardedCognito(poolOf({ '0': 10, '1': 10 }));
    const held = deferred();
    const seen = new Map<string, ListingPosition>();
    const listing = collect(cognito, {
      chains: 2,
      onPage: (page, position) => {
        const prefix = page[0]?.attributes.sub?.[0];
        if (prefix && !seen.has(prefix)) seen.set(prefix, position);
        return prefix === '0' ? held.promise : undefined;
      },
    });

    // Act
    await ticks(50);
    held.resolve();
    const { result } = await listing;

    // Assess
    assert.deepEqual(seen.get('0')?.shards.slice(0, 2), [
      { prefix: '0', done: true },
      { prefix: '1', done: false },
    ]);
    assert.deepEqual(seen.get('1')?.shards.slice(0, 2), [
      { prefix: '0', done: false },
      { prefix: '1', done: true },
    ]);
    assert.equal(result.complete, true);
  });

  it('stops at a page boundary when shouldStop turns true, and resuming lists exactly the rest', async () => {
    // Prepare
    const pool = poolOf(SHARD_SIZES);
    const first = new ShardedCognito(pool);
    let handed = 0;

    // Act: stop once 5 pages have been handed over
    const stopped = await collect(first, {
      onPage: () => {
        handed++;
      },
      shouldStop: () => handed >= 5,
    });
    const resumed = await collect(new ShardedCognito(pool), {
      position: throughJson(stopped.result.position),
    });

    // Assess: every request sent was a page handed over; none lost, none twice
    assert.equal(stopped.result.complete, false);
    assert.equal(first.calls.length, stopped.result.pages);
    assert.ok(stopped.result.pages >= 5 && stopped.result.pages < pagesFor(SHARD_SIZES));
    assert.equal(stopped.result.listed, stopped.users.length);
    const all = [...stopped.users, ...resumed.users];
    assert.deepEqual(namesOf(all), namesOf(pool));
    assert.equal(resumed.result.complete, true);
  });

  it('stops the other chains when one fails, and returns the error with a position from which the rest is listed exactly once', async () => {
    // Prepare: two chains; the first page of shard 8 is refused for good
    const pool = poolOf(SHARD_SIZES);
    const failing = new ShardedCognito(pool);
    failing.before = (input) => {
      if (input.Filter === 'sub ^= "8"') {
        throw sdkError('NotAuthorizedException', 'Access denied.');
      }
    };
    const before: PoolUser[] = [];

    // Act: the shards take turns, so shard 8 fails before shards a-f are listed
    const { result: failed } = await collect(failing, { chains: 2 }, before);
    const error = failed.error;

    // Assess
    assert.ok(error instanceof UserPoolReadError);
    assert.match(
      error.message,
      /pool "us-east-1_Pool1" \(filter sub \^= "8", page 1\): NotAuthorizedException: Access denied/,
    );
    const position = failed.position;
    assert.equal(failed.complete, false);
    assert.deepEqual(
      position.shards.find((shard) => shard.prefix === '8'),
      { prefix: '8', done: false },
    );
    assert.ok(failing.calls.length < pagesFor(SHARD_SIZES));
    assert.ok(position.shards.some((shard) => !shard.done && shard.token === undefined));

    const rest = await collect(new ShardedCognito(pool), { position: throughJson(position) });
    assert.deepEqual(namesOf([...before, ...rest.users]), namesOf(pool));
    assert.equal(rest.result.complete, true);
  });

  it('restarts only the shard whose resumed token is refused, and says so', async () => {
    // Prepare: shard a holds a token Cognito no longer accepts, shard b a valid one
    const pool = poolOf(SHARD_SIZES);
    const cognito = new ShardedCognito(pool);
    const position = {
      shards: HEX.map((prefix) => {
        if (prefix === 'a') return { prefix, token: 'expired', done: false };
        if (prefix === 'b') {
          return { prefix, token: ShardedCognito.tokenOf('sub ^= "b"', 60), done: false };
        }
        return { prefix, done: true };
      }),
    };
    const reasons: string[] = [];

    // Act
    const { result, users } = await collect(cognito, {
      position,
      onTokenRefused: (reason) => reasons.push(reason),
    });

    // Assess
    assert.equal(reasons.length, 1);
    assert.match(reasons[0] ?? '', /InvalidParameterException/);
    const expected = [
      ...cognito.matching('sub ^= "a"'),
      ...cognito.matching('sub ^= "b"').slice(60),
    ];
    assert.deepEqual(namesOf(users), namesOf(expected));
    assert.equal(result.complete, true);
    assert.deepEqual(
      cognito.calls
        .filter((call) => call.Filter === 'sub ^= "b"')
        .map((call) => call.PaginationToken),
      [ShardedCognito.tokenOf('sub ^= "b"', 60), ShardedCognito.tokenOf('sub ^= "b"', 120)],
    );
  });

  it('reports a server that ignores the filter instead of listing users twice', async () => {
    const cognito = new ShardedCognito(poolOf(SHARD_SIZES));
    cognito.ignoreFilter = true;
    const { result, users } = await collect(cognito);
    const { error } = result;
    assert.ok(error instanceof UserPoolReadError);
    assert.match(
      error.message,
      /ListUsers did not apply the filter sub \^= "[0-9a-f]" of pool "us-east-1_Pool1" \(filter sub \^= "[0-9a-f]", page 1\)/,
    );
    assert.deepEqual(result.position, initialListingPosition(true));
    assert.equal(users.length, 0);
  });

  it('hands no user over when a filtered page carries a user of another shard', async () => {
    const cognito = new ShardedCognito(poolOf(SHARD_SIZES));
    cognito.ignoreFilter = true;
    const handed: PoolUser[] = [];
    const { result } = await collect(cognito, {}, handed);
    assert.ok(result.error instanceof UserPoolReadError);
    assert.deepEqual(handed, []);
  });

  it('returns an error of onPage as is, after the other chains stopped at their page boundary', async () => {
    const cognito = new ShardedCognito(poolOf(SHARD_SIZES));
    const refused = new Error('the table is gone');
    let handed = 0;
    const { result } = await collect(cognito, {
      onPage: () => {
        handed++;
        if (handed === 2) throw refused;
      },
    });
    assert.equal(result.error, refused);
    // The pages in flight when it threw were still handed over; no new request followed.
    assert.equal(cognito.calls.length, handed);
    assert.ok(handed < pagesFor(SHARD_SIZES));
  });

  it('returns an interruption with the position reached when the signal aborts', async () => {
    const cognito = new ShardedCognito(poolOf(SHARD_SIZES));
    const { result } = await collect(cognito, { signal: AbortSignal.abort() });
    assert.ok(
      result.error instanceof UserPoolReadError &&
        /pool "us-east-1_Pool1" was interrupted/.test(result.error.message),
    );
    assert.deepEqual(result.position, initialListingPosition(true));
    assert.equal(cognito.calls.length, 0);
  });

  it('fails with a ConfigError when chains is not a whole number of at least 1', async () => {
    for (const chains of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(
        collect(new ShardedCognito([]), { chains }),
        (error: unknown) =>
          error instanceof ConfigError && /chains must be a whole number/.test(error.message),
      );
    }
  });

  it('fails on a malformed position before sending anything', async () => {
    const cognito = new ShardedCognito(poolOf(SHARD_SIZES));
    await assert.rejects(
      collect(cognito, { position: { shards: [{ prefix: '0', done: false }] } }),
      /missing "1", "2"/,
    );
    assert.equal(cognito.calls.length, 0);
  });
});

describe('Function: initialListingPosition', () => {
  it('starts 16 shards on the hex digits when sharded, one unfiltered shard otherwise', () => {
    assert.deepEqual(
      initialListingPosition(true).shards.map((shard) => shard.prefix),
      HEX,
    );
    assert.ok(initialListingPosition(true).shards.every((shard) => !shard.done && !shard.token));
    assert.deepEqual(initialListingPosition(false), { shards: [{ prefix: '', done: false }] });
  });
});

describe('Function: parseListingPosition', () => {
  const sixteen = (change: (shard: Record<string, unknown>, index: number) => unknown) => ({
    shards: HEX.map((prefix, index) => change({ prefix, done: false }, index)),
  });
  const cases: [string, unknown, RegExp][] = [
    ['a non-object', 'shards', /expected an object, got "shards"/],
    ['null', null, /expected an object, got null/],
    ['missing shards', {}, /shards must be an array, got undefined/],
    ['shards not an array', { shards: { prefix: '' } }, /shards must be an array, got an object/],
    ['no shard', { shards: [] }, /one unfiltered shard .* or the 16 hex prefixes .*got 0 shard/],
    ['a shard not an object', { shards: [7] }, /shards\[0\] must be an object, got number 7/],
    [
      'an uppercase prefix',
      sixteen((s, i) => (i === 10 ? { ...s, prefix: 'A' } : s)),
      /shards\[10\]\.prefix must be one lowercase hex digit or "", got "A"/,
    ],
    [
      'a two-digit prefix',
      { shards: [{ prefix: 'ab', done: false }] },
      /shards\[0\]\.prefix .* got "ab"/,
    ],
    [
      'a numeric prefix',
      { shards: [{ prefix: 0, done: false }] },
      /shards\[0\]\.prefix .* got number 0/,
    ],
    [
      'done not a boolean',
      { shards: [{ prefix: '', done: 'no' }] },
      /shards\[0\]\.done must be true or false, got "no"/,
    ],
    [
      'an empty token',
      { shards: [{ prefix: '', token: '', done: false }] },
      /shards\[0\]\.token must be a non-empty string/,
    ],
    [
      'a token not a string',
      { shards: [{ prefix: '', token: 12, done: false }] },
      /shards\[0\]\.token .* got number 12/,
    ],
    [
      'a done shard with a token',
      { shards: [{ prefix: '', token: 't', done: true }] },
      /shards\[0\] is done but still has a token/,
    ],
    [
      'a repeated prefix',
      sixteen((s, i) => (i === 15 ? { ...s, prefix: '0' } : s)),
      /shards\[15\] repeats prefix "0"/,
    ],
    [
      'a missing prefix',
      { shards: HEX.slice(1).map((prefix) => ({ prefix, done: false })) },
      /got 15 shard\(s\) missing "0"/,
    ],
    [
      'an unfiltered shard beside filtered ones',
      {
        shards: [
          { prefix: '', done: false },
          { prefix: '0', done: false },
        ],
      },
      /one unfiltered shard/,
    ],
  ];
  for (const [name, value, message] of cases) {
    it(`rejects ${name}, saying what is wrong`, () => {
      assert.throws(() => parseListingPosition(value), message);
    });
  }

  it('accepts the positions a listing writes, through JSON, and drops unknown properties', () => {
    const midway = sixteen((s, i) =>
      i === 3 ? { ...s, token: 'tok' } : i < 3 ? { ...s, done: true } : s,
    );
    for (const position of [initialListingPosition(true), initialListingPosition(false), midway]) {
      assert.deepEqual(parseListingPosition(JSON.parse(JSON.stringify(position))), position);
    }
    assert.deepEqual(
      parseListingPosition({ version: 2, shards: [{ prefix: '', done: false, extra: 1 }] }),
      { shards: [{ prefix: '', done: false }] },
    );
  });
});

describe('Function: toPoolUser', () => {
  it('defaults a missing status and enabled flag, and skips a user without a name', () => {
    assert.deepEqual(toPoolUser({ Username: 'x' }), {
      userName: 'x',
      status: 'UNKNOWN',
      enabled: true,
      attributes: {},
    });
    assert.equal(toPoolUser({}), undefined);
  });

  it('maps attributes, status, enabled flag and last modification date', () => {
    assert.deepEqual(
      toPoolUser({
        ...cognitoUser('u1', 'FORCE_CHANGE_PASSWORD'),
        Enabled: false,
        UserLastModifiedDate: new Date('2025-01-02T03:04:05Z'),
      }),
      {
        userName: 'u1',
        status: 'FORCE_CHANGE_PASSWORD',
        enabled: false,
        attributes: { sub: subOf('u1'), email: 'u1@example.com' },
        lastModifiedAt: '2025-01-02T03:04:05.000Z',
      },
    );
  });
});
