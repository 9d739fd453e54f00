import { isTransient } from './failure.js';

/** Waits `ms` milliseconds, or less when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The default {@link Sleep}: a timer, cut short (resolving) when the signal aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Attempts per call of reconcile's own retries (the SDK's are off): with 30%
 * of requests failing, twelve attempts in a row fail about once in two
 * million calls.
 */
export const RECONCILE_MAX_ATTEMPTS = 12;

/** How a throttled call is retried. */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 8 */
  readonly maxAttempts?: number;
  /** Upper bound of the first backoff, in milliseconds; doubles each attempt. @default 100 */
  readonly baseDelayMs?: number;
  /** Upper bound of any backoff, in milliseconds. @default 5000 */
  readonly maxDelayMs?: number;
  /** Which errors are worth another attempt. */
  readonly isRetryable: (error: unknown) => boolean;
  /** Called before each wait (for counting throttles). @default - nothing */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Waits; injected by tests. @default - a timer */
  readonly sleep?: Sleep;
  /** Uniform random number in [0, 1); injected by tests. @default Math.random */
  readonly random?: () => number;
  /** Stops retrying (the last error is thrown) once aborted. @default - never */
  readonly signal?: AbortSignal;
}

/**
 * Runs `work`, retrying retryable failures with exponential backoff and full
 * jitter: before attempt n+1 it waits a random time below
 * `min(maxDelayMs, baseDelayMs * 2^(n-1))`.
 *
 * @throws the last error when it is not retryable, the attempts run out or
 *   `signal` aborts
 */
export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= maxAttempts || !options.isRetryable(error) || options.signal?.aborted) {
        throw error;
      }
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.floor(random() * ceiling);
      options.onRetry?.(error, attempt, delayMs);
      await wait(delayMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/** Options of {@link withTransientRetry}: the backoff, the waits and the stop; what is retried is fixed. */
export type TransientRetryOptions = Omit<RetryOptions, 'isRetryable'>;

/**
 * Reconcile's retry policy, the one of every call a run makes (ListUsers,
 * BatchGetItem, Scan, AdminGetUser, the writes, the checkpoint's calls):
 * any transient error (`isTransient`: throttling, 5xx, reset, timeout) is
 * retried with full-jitter backoff, {@link RECONCILE_MAX_ATTEMPTS} attempts
 * in all unless `options` says otherwise. The SDK's retries are off
 * (`maxAttempts: 1` on the clients), so no retry quota is shared between calls.
 *
 * @throws the last error when it is not transient, the attempts run out or
 *   `options.signal` aborts
 */
export function withTransientRetry<T>(
  work: () => Promise<T>,
  options: TransientRetryOptions = {},
): Promise<T> {
  return withRetry(work, {
    maxAttempts: RECONCILE_MAX_ATTEMPTS,
    ...options,
    isRetryable: isTransient,
  });
}
