import { withDeadline } from './deadline.js';
import { type RetryOptions, withTransientRetry } from './retry.js';

/** How an invocation retries its calls: attempts in all and full-jitter backoff bounds. */
export interface InvocationRetrySettings {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  /** Upper bound of the first backoff, in milliseconds; doubles each attempt. */
  readonly baseDelayMs?: number;
  /** Upper bound of any backoff, in milliseconds. */
  readonly maxDelayMs?: number;
}

/**
 * The one retry policy of every function that Cognito or EventBridge invokes
 * (Post Confirmation, Post Authentication, change signals). Each invocation
 * retries on its own: the SDK's retries are off (`maxAttempts: 1` on the
 * clients), since their retry quota is shared by every invocation a warm
 * container serves. Any transient error (throttling, 5xx, reset, timeout) is
 * retried with full-jitter backoff until the attempts run out or the
 * invocation's deadline passes, whichever comes first.
 */
export const INVOCATION_RETRY = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 800 } as const;

/** Options of {@link retryWithinDeadline}. */
export interface RetryWithinDeadlineOptions {
  /** Milliseconds after which the requests are aborted and the call rejects. */
  readonly deadlineMs: number;
  /** The error to reject with at the deadline. */
  readonly onTimeout: () => Error;
  /** Overrides of {@link INVOCATION_RETRY} (tests shorten them). @default - none */
  readonly retry?: InvocationRetrySettings | undefined;
  /** Called before each wait. @default - nothing */
  readonly onRetry?: RetryOptions['onRetry'];
}

/**
 * Runs `work` under the invocation's deadline, retrying the errors
 * `withTransientRetry` retries, with the backoff of {@link INVOCATION_RETRY}:
 * the abort signal passed to `work` fires at the deadline, which also cuts a
 * backoff short.
 *
 * @throws the last error when it is not transient or the attempts run out,
 *   or `onTimeout()` at the deadline
 */
export function retryWithinDeadline<T>(
  work: (abortSignal: AbortSignal) => Promise<T>,
  options: RetryWithinDeadlineOptions,
): Promise<T> {
  const retry = { ...INVOCATION_RETRY, ...options.retry };
  return withDeadline(options.deadlineMs, options.onTimeout, (abortSignal) =>
    withTransientRetry(() => work(abortSignal), {
      ...retry,
      signal: abortSignal,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    }),
  );
}
