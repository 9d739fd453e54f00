// The listing's scheduling on a virtual clock: a fake Cognito that answers
// after a round trip and enforces a quota, the real rate limiter and
// listPoolUsers, time advanced from timer to timer (nothing waits for real).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import {
  createListingConcurrency,
  PAGES_IN_FLIGHT_HEADROOM,
  pagesInFlightFor,
} from '../../../src/aws/pool/listingConcurrency.js';
import {
  type ListingPosition,
  type ListPoolUsersOptions,
  listPoolUsers,
  parseListingPosition,
} from '../../../src/aws/pool/listPoolUsers.js';
import { createRateLimiter, listingBurst } from '../../../src/shared/rateLimiter.js';
import { sdkError } from '../reconcile/fakes.js';

/** Virtual time: `sleep` registers a timer, `run` advances from timer to timer. */
class VirtualClock {
  now = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.now + Math.max(0, ms), resolve }));

  /** Settles `work`, advancing the clock whenever nothing but timers is left. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const settled = work.finally(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done) break;
      const next = this.timers.reduce(
        (at, timer) => Math.min(at, timer.at),
        Number.POSITIVE_INFINITY,
      );
      if (next === Number.POSITIVE_INFINITY) {
        await new Promise((resolve) => setImmediate(resolve));
        if (!done) throw new Error('nothing left to run but the work has not settled');
        break;
      }
      this.now = next;
      const due = this.timers.filter((timer) => timer.at <= next);
      this.timers = this.timers.filter((timer) => timer.at > next);
      for (const timer of due) timer.resolve();
    }
    return settled;
  }
}

const HEX = '0123456789abcdef';

function subOfIndex(index: number): string {
  const hex = createHash('sha256').update(String(index)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A Cognito on the virtual clock: pages of 60 per `sub ^=` shard, each answer
 * `roundTripMs` after the request, and the UserList quota as a token bucket of
 * `rate` requests (burst of the same size) that throttles the excess. Each
 * request reaches the quota 0-20% of the round trip after it was sent (a
 * fixed pseudo-random sequence), so requests sent evenly arrive bunched.
 */
class QuotaCognito {
  readonly sentAt: number[] = [];
  throttled = 0;
  private readonly shards = new Map<string, UserType[]>();
  private tokens: number;
  private refilledAt = 0;
  private seed = 7;

  constructor(
    private readonly clock: VirtualClock,
    users: number,
    private readonly rate: number,
    private readonly roundTripMs: number,
  ) {
    this.tokens = rate;
    for (const digit of HEX) this.shards.set(digit, []);
    for (let index = 0; index < users; index++) {
      const sub = subOfIndex(index);
      this.shards.get(sub[0] as string)?.push({
        Username: sub,
        UserStatus: 'CONFIRMED',
        Enabled: true,
        Attributes: [{ Name: 'sub', Value: sub }],
      });
    }
  }

  /** Pages a full listing takes: one per 60 users of each shard, at least one per shard. */
  get pagesNeeded(): number {
    return [...this.shards.values()].reduce(
      (sum, users) => sum + Math.max(1, Math.ceil(users.length / 60)),
      0,
    );
  }

  async send(command: { input: Record<string, unknown> }) {
    const input = command.input as { Filter?: string; PaginationToken?: string };
    this.sentAt.push(this.clock.now);
    const outbound = Math.floor(this.roundTripMs * 0.2 * this.random());
    await this.clock.sleep(outbound);
    const allowed = this.takeToken();
    await this.clock.sleep(this.roundTripMs - outbound);
    if (!allowed) {
      this.throttled++;
      throw sdkError('TooManyRequestsException', 'Too many requests');
    }
    const prefix = /^sub \^= "([0-9a-f])"$/.exec(input.Filter ?? '')?.[1];
    const users = prefix === undefined ? [] : (this.shards.get(prefix) ?? []);
    const start = input.PaginationToken ? Number(input.PaginationToken) : 0;
    const end = start + 60;
    return {
      Users: users.slice(start, end),
      ...(end < users.length ? { PaginationToken: String(end) } : {}),
    };
  }

  /** A linear congruential sequence in [0, 1). */
  private random(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  private takeToken(): boolean {
    const now = this.clock.now;
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.refilledAt) * this.rate) / 1000);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A listing with the defaults reconcile uses (the rate given, pages in flight chosen), on the virtual clock. */
async function listOnClock(options: {
  readonly users: number;
  readonly rate: number;
  readonly roundTripMs: number;
  /** Virtual time spent on each page's users (reading their rows). @default 5 */
  readonly workMs?: number;
  readonly chains?: number;
  readonly shouldStop?: (now: number) => boolean;
  readonly position?: ListingPosition;
  readonly cognito?: QuotaCognito;
  readonly clock?: VirtualClock;
}) {
  const clock = options.clock ?? new VirtualClock();
  const cognito =
    options.cognito ?? new QuotaCognito(clock, options.users, options.rate, options.roundTripMs);
  const names: string[] = [];
  const listOptions: ListPoolUsersOptions = {
    userPoolId: 'us-east-1_Pool1',
    rateLimiter: createRateLimiter({
      ratePerSecond: options.rate,
      burst: listingBurst(options.rate),
      now: () => clock.now,
      sleep: clock.sleep,
    }),
    ratePerSecond: options.rate,
    now: () => clock.now,
    retry: { sleep: clock.sleep, random: () => 0.5 },
    ...(options.chains !== undefined ? { chains: options.chains } : {}),
    ...(options.position ? { position: options.position } : {}),
    ...(options.shouldStop ? { shouldStop: () => options.shouldStop?.(clock.now) ?? false } : {}),
    onPage: async (users) => {
      for (const user of users) names.push(user.userName);
      await clock.sleep(options.workMs ?? 5);
    },
  };
  const startedAt = clock.now;
  const result = await clock.run(listPoolUsers(cognito, listOptions));
  return { result, names, cognito, clock, elapsedMs: clock.now - startedAt };
}

describe('Function: createListingConcurrency', () => {
  it('asks for rate × cycle pages in flight, with headroom, plus one', () => {
    assert.equal(PAGES_IN_FLIGHT_HEADROOM, 1.25);
    assert.equal(pagesInFlightFor(30, 300), 13); // 30/s × 0.3 s × 1.25 = 11.25 → 12, + 1
    assert.equal(pagesInFlightFor(10, 30), 2);
    assert.equal(pagesInFlightFor(10, 100), 3);
  });

  it('grows with the measured cycles, never shrinks, and stays within one page per shard', () => {
    const concurrency = createListingConcurrency({ max: 16, ratePerSecond: 30 });
    assert.equal(concurrency.target(), 5); // 100 ms assumed before the first page
    concurrency.observe(300);
    assert.equal(concurrency.target(), 13);
    concurrency.observe(10);
    assert.equal(concurrency.target(), 13);
    for (let i = 0; i < 20; i++) concurrency.observe(2000);
    assert.equal(concurrency.target(), 16);
  });

  it('starts with a page in flight for each request of the burst, before any cycle is measured', () => {
    const concurrency = createListingConcurrency({ max: 16, ratePerSecond: 30, burst: 15 });
    assert.equal(concurrency.target(), 15);
    concurrency.observe(30);
    assert.equal(concurrency.target(), 15); // never fewer than it started with
    assert.equal(createListingConcurrency({ max: 8, ratePerSecond: 30, burst: 15 }).target(), 8);
    assert.equal(createListingConcurrency({ max: 16, ratePerSecond: 10, burst: 2 }).target(), 3);
  });

  it('keeps a fixed number when told, and one page per shard without a rate', () => {
    const fixed = createListingConcurrency({ max: 16, ratePerSecond: 30, fixed: 3 });
    fixed.observe(1000);
    assert.equal(fixed.target(), 3);
    assert.equal(createListingConcurrency({ max: 5, fixed: 9 }).target(), 5);
    assert.equal(createListingConcurrency({ max: 16 }).target(), 16);
  });
});

describe('Scheduling of listPoolUsers on a virtual clock against a quota', () => {
  for (const rate of [10, 30]) {
    for (const roundTripMs of [30, 100, 300]) {
      it(`reaches ${rate} requests/s with ${roundTripMs} ms round trips by default: within 1.05× the floor, no call throttled or wasted`, async (t) => {
        const users = rate * 60 * 30; // 30 s of listing at the floor
        const { result, names, cognito, elapsedMs } = await listOnClock({
          users,
          rate,
          roundTripMs,
        });

        const floorMs = (Math.ceil(users / 60) / rate) * 1000;
        t.diagnostic(
          `${(elapsedMs / floorMs).toFixed(3)}× the floor, ${cognito.sentAt.length} calls`,
        );
        assert.equal(result.complete, true);
        assert.equal(cognito.throttled, 0);
        // One request per page, and the only short pages are the shards' last ones.
        assert.equal(cognito.sentAt.length, cognito.pagesNeeded);
        assert.equal(names.length, users);
        assert.equal(new Set(names).size, users);
        assert.ok(
          elapsedMs <= floorMs * 1.05,
          `${elapsedMs} ms for a floor of ${floorMs} ms (${(elapsedMs / floorMs).toFixed(3)}×)`,
        );
      });
    }
  }

  it('reaches 30 requests/s with 300 ms round trips from its first pages: an 11-second listing within 1.05× the floor, as close as one page per shard in flight', async (t) => {
    // Short enough that the first round trips weigh: 334 pages at 30/s.
    const users = 20_000;
    const floorMs = (Math.ceil(users / 60) / 30) * 1000;
    const byDefault = await listOnClock({ users, rate: 30, roundTripMs: 300 });
    const everyShard = await listOnClock({ users, rate: 30, roundTripMs: 300, chains: 16 });
    t.diagnostic(
      `defaults ${(byDefault.elapsedMs / floorMs).toFixed(3)}×, 16 chains ${(everyShard.elapsedMs / floorMs).toFixed(3)}× the floor`,
    );
    assert.equal(byDefault.cognito.throttled, 0);
    assert.equal(byDefault.cognito.sentAt.length, byDefault.cognito.pagesNeeded);
    assert.ok(
      byDefault.elapsedMs <= floorMs * 1.05,
      `${byDefault.elapsedMs} ms for a floor of ${floorMs} ms`,
    );
    // The ramp-up costs at most one round trip over pages in flight on every shard.
    assert.ok(
      byDefault.elapsedMs <= everyShard.elapsedMs + 300,
      `${byDefault.elapsedMs} ms by default, ${everyShard.elapsedMs} ms with a page in flight on every shard`,
    );
    // The rate limiter's burst goes out at once: the first half second sends half a second's pages.
    assert.ok(
      byDefault.cognito.sentAt.filter((at) => at < 100).length >= 15,
      `sent in the first 100 ms: ${byDefault.cognito.sentAt.filter((at) => at < 100).length}`,
    );
  });

  it('one chain stays below the rate once a round trip is longer than 1 / rate (what the default avoids)', async () => {
    const users = 30 * 60 * 4;
    const { elapsedMs, cognito } = await listOnClock({
      users,
      rate: 30,
      roundTripMs: 100,
      chains: 1,
    });
    const floorMs = (Math.ceil(users / 60) / 30) * 1000;
    assert.equal(cognito.throttled, 0);
    assert.ok(elapsedMs > floorMs * 2.5, `${elapsedMs} ms for a floor of ${floorMs} ms`);
  });

  it('sends no request once shouldStop turned true, even from lanes waiting for a token, and resumes exactly', async () => {
    const users = 10 * 60 * 6;
    const clock = new VirtualClock();
    const cognito = new QuotaCognito(clock, users, 10, 300);
    const stopAt = 2000;

    const first = await listOnClock({
      users,
      rate: 10,
      roundTripMs: 300,
      clock,
      cognito,
      shouldStop: (now) => now >= stopAt,
    });
    const sentBeforeStop = cognito.sentAt.length;
    await clock.run(clock.sleep(1000)); // the next invocation, with a rate limiter of its own
    const rest = await listOnClock({
      users,
      rate: 10,
      roundTripMs: 300,
      clock,
      cognito,
      position: parseListingPosition(JSON.parse(JSON.stringify(first.result.position))),
    });

    assert.equal(first.result.complete, false);
    assert.ok(cognito.sentAt.slice(0, sentBeforeStop).every((at) => at < stopAt));
    assert.equal(first.result.pages, sentBeforeStop); // every request sent was a page handed over
    const all = [...first.names, ...rest.names];
    assert.equal(all.length, users);
    assert.equal(new Set(all).size, users);
    assert.equal(rest.result.complete, true);
    assert.equal(cognito.throttled, 0);
  });
});
