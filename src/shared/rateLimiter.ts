import { type Sleep, sleep } from './retry.js';

/** Hands out permission to send one request. */
export interface RateLimiter {
  /** Resolves when a request may be sent. */
  take(): Promise<void>;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained requests per second. */
  readonly ratePerSecond: number;
  /** Requests that may go at once after an idle period. @default - `max(1, ceil(ratePerSecond))` */
  readonly burst?: number;
  /** Clock in milliseconds; injected by tests. @default performance.now */
  readonly now?: () => number;
  /** Waits; injected by tests. @default - a timer */
  readonly sleep?: Sleep;
}

/**
 * A token bucket: it holds up to `burst` tokens, refills at `ratePerSecond`,
 * and each request takes one token, waiting for it when the bucket is empty.
 * Callers are served in order.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const rate = options.ratePerSecond;
  if (!(rate > 0)) throw new Error(`ratePerSecond must be above 0, got ${rate}`);
  const burst = options.burst ?? Math.max(1, Math.ceil(rate));
  const now = options.now ?? (() => performance.now());
  const wait = options.sleep ?? sleep;
  let tokens = burst;
  let last = now();
  let queue: Promise<void> = Promise.resolve();

  const refill = (): void => {
    const current = now();
    tokens = Math.min(burst, tokens + ((current - last) * rate) / 1000);
    last = current;
  };

  const takeOne = async (): Promise<void> => {
    refill();
    while (tokens < 1) {
      await wait(Math.ceil(((1 - tokens) * 1000) / rate));
      refill();
    }
    tokens -= 1;
  };

  return {
    take: () => {
      const turn = queue.then(takeOne);
      queue = turn.catch(() => {});
      return turn;
    },
  };
}

/** Share of a second's requests a listing may send at once (see {@link listingBurst}). */
export const LISTING_BURST_SHARE = 0.5;

/**
 * The burst of a listing's rate limiter: half a second's requests, at least
 * one. The quota's own bucket (Cognito's, shared by every caller) then keeps
 * the other half for its other callers and for requests that arrive closer
 * together than they were sent, so that a listing at the whole quota is not
 * throttled; the head start is half a second's pages.
 */
export function listingBurst(ratePerSecond: number): number {
  return Math.max(1, Math.floor(ratePerSecond * LISTING_BURST_SHARE));
}
