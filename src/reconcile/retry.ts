import { errorName } from '../store/userTable.js';

/** Waits `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** The default {@link Sleep}: a timer. */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
}

/** Error names Cognito uses when it throttles a caller. */
export const COGNITO_THROTTLING_ERRORS: readonly string[] = ['TooManyRequestsException'];

/** Error names DynamoDB uses when it throttles a caller. */
export const DYNAMODB_THROTTLING_ERRORS: readonly string[] = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
];

function nameOrCauseName(error: unknown): string[] {
  const names = [errorName(error)];
  if (error instanceof Error && error.cause !== undefined) names.push(errorName(error.cause));
  return names;
}

/** Whether an error (or the SDK error it wraps) is Cognito throttling the caller. */
export function isCognitoThrottling(error: unknown): boolean {
  return nameOrCauseName(error).some((name) => COGNITO_THROTTLING_ERRORS.includes(name));
}

/** Whether an error (or the SDK error it wraps) is DynamoDB throttling the caller. */
export function isDynamoThrottling(error: unknown): boolean {
  return nameOrCauseName(error).some((name) => DYNAMODB_THROTTLING_ERRORS.includes(name));
}

/**
 * Runs `work`, retrying retryable failures with exponential backoff and full
 * jitter: before attempt n+1 it waits a random time below
 * `min(maxDelayMs, baseDelayMs * 2^(n-1))`.
 *
 * @throws the last error when it is not retryable or the attempts run out
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
      if (attempt >= maxAttempts || !options.isRetryable(error)) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.floor(random() * ceiling);
      options.onRetry?.(error, attempt, delayMs);
      await wait(delayMs);
    }
  }
}
