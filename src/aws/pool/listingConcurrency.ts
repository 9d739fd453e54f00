/**
 * How many ListUsers pages a listing keeps in flight: the fewest that let it
 * reach its rate budget. One page at a time does at most one page per cycle
 * (the round trip plus the work on the page), so a budget of `rate` requests
 * per second needs `rate × cycle` pages in flight; the rate limiter, not this
 * number, keeps the listing within the budget. Pure: the caller measures.
 */

/** A page's cycle assumed until one is measured: a round trip to Cognito and the work on its users. */
export const ASSUMED_PAGE_CYCLE_MS = 100;

/** Spare room over `rate × cycle`, for cycles that vary from page to page. */
export const PAGES_IN_FLIGHT_HEADROOM = 1.25;

/** Weight of the newest cycle in the running average. */
const NEWEST_CYCLE_WEIGHT = 0.25;

/**
 * Pages to keep in flight to reach `ratePerSecond` when each takes `cycleMs`
 * from its request to the end of its work: `ceil(rate × cycle × 1.25) + 1`.
 */
export function pagesInFlightFor(ratePerSecond: number, cycleMs: number): number {
  return Math.ceil((ratePerSecond * cycleMs * PAGES_IN_FLIGHT_HEADROOM) / 1000) + 1;
}

/** Options of {@link createListingConcurrency}. */
export interface ListingConcurrencyOptions {
  /** At most this many pages in flight (one per shard). */
  readonly max: number;
  /** Exactly this many (capped by `max`): an override; the cycles are then ignored. @default - chosen from the cycles */
  readonly fixed?: number;
  /** The listing's budget in requests per second; without it (and without `fixed`), `max` pages are in flight. */
  readonly ratePerSecond?: number;
  /**
   * Requests the rate limiter grants at once at the start (its burst): the
   * listing starts with at least this many pages in flight, so that the
   * head start goes out before a cycle is measured. @default 1
   */
  readonly burst?: number;
}

/** The number of pages in flight a listing aims at, updated from measured cycles. */
export interface ListingConcurrency {
  /** Pages to keep in flight now: never lower than before (a slow page is not undone by a fast one). */
  target(): number;
  /** Records one page's cycle: from its request (after its token) to the end of its work. */
  observe(cycleMs: number): void;
}

/**
 * Chooses the pages in flight of a listing: `fixed` when given; else, with a
 * rate, {@link pagesInFlightFor} of a running average of the measured cycles
 * ({@link ASSUMED_PAGE_CYCLE_MS} before the first, and never fewer than
 * `burst` pages: those the rate limiter grants at once), growing only, at
 * most `max`; without a rate, `max`.
 */
export function createListingConcurrency(options: ListingConcurrencyOptions): ListingConcurrency {
  const max = Math.max(1, options.max);
  const rate = options.ratePerSecond;
  if (options.fixed !== undefined || rate === undefined) {
    const value = Math.min(max, options.fixed ?? max);
    return { target: () => value, observe: () => {} };
  }
  let average: number | undefined;
  // Before any cycle is measured, the burst's pages go at once: one in flight for each.
  const start = Math.max(
    pagesInFlightFor(rate, ASSUMED_PAGE_CYCLE_MS),
    Math.floor(options.burst ?? 1),
  );
  let current = Math.min(max, start);
  return {
    target: () => current,
    observe: (cycleMs) => {
      if (!(cycleMs >= 0)) return;
      average =
        average === undefined ? cycleMs : average + NEWEST_CYCLE_WEIGHT * (cycleMs - average);
      current = Math.max(current, Math.min(max, pagesInFlightFor(rate, average)));
    },
  };
}
