import {
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { describeFailure, isTransient } from '../domain/failure.js';
import { UserPoolReadError } from '../errors.js';
import type { RateLimiter } from '../reconcile/rateLimiter.js';
import { RECONCILE_MAX_ATTEMPTS, type RetryOptions, withRetry } from '../reconcile/retry.js';

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

/** Options of {@link listPoolUsers}. */
export interface ListPoolUsersOptions {
  /** The pool to list. */
  readonly userPoolId: string;
  /** Paces the requests (see `DEFAULT_LIST_RATE`). */
  readonly rateLimiter: RateLimiter;
  /**
   * Backoff on any transient error (throttling, 5xx, reset, timeout), per page.
   * @default - 12 attempts from 250 ms, at most 5 s apart
   */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  /** Called after each page with the number of users listed so far. @default - nothing */
  readonly onPage?: (listed: number, pages: number) => void;
  /** Called with each page's users as soon as the page arrives. @default - nothing */
  readonly onUsers?: (users: readonly PoolUser[]) => void;
  /**
   * Called after each page with the token of the next page (`undefined` after
   * the last): what a checkpoint records. @default - nothing
   */
  readonly onToken?: (nextToken: string | undefined, pages: number) => void;
  /**
   * Starts at this page instead of the first (a checkpoint's token). When
   * Cognito refuses it (e.g. it has expired), the listing starts over from
   * the first page and `onTokenRefused` is called. @default - the first page
   */
  readonly startToken?: string;
  /** Called when `startToken` is refused, with the reason. @default - nothing */
  readonly onTokenRefused?: (reason: string) => void;
  /** Stops the listing (the current request is aborted) when signalled. @default - never */
  readonly signal?: AbortSignal;
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

/**
 * Lists every user of the pool with ListUsers, page by page (60 a page),
 * paced by the rate limiter. Each page is retried with backoff and jitter on
 * any transient error (throttling, 5xx, connection reset, timeout); the
 * client should make one attempt per call so that no SDK retry quota is
 * shared between pages.
 *
 * @throws UserPoolReadError when a page cannot be read after its retries (or
 *   the signal aborts), saying why; its `nextToken` is the token of that page
 */
export async function listPoolUsers(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  options: ListPoolUsersOptions,
): Promise<PoolUser[]> {
  const users: PoolUser[] = [];
  let token: string | undefined = options.startToken;
  let resuming = token !== undefined;
  let pages = 0;
  for (;;) {
    const paginationToken = token;
    try {
      const page = await withRetry(
        async () => {
          await options.rateLimiter.take();
          return client.send(
            new ListUsersCommand({
              UserPoolId: options.userPoolId,
              Limit: LIST_USERS_PAGE_SIZE,
              ...(paginationToken ? { PaginationToken: paginationToken } : {}),
            }),
            options.signal ? { abortSignal: options.signal } : {},
          );
        },
        {
          baseDelayMs: 250,
          maxAttempts: RECONCILE_MAX_ATTEMPTS,
          ...options.retry,
          ...(options.signal ? { signal: options.signal } : {}),
          isRetryable: isTransient,
        },
      );
      resuming = false;
      const pageUsers: PoolUser[] = [];
      for (const listed of page.Users ?? []) {
        const user = toPoolUser(listed);
        if (user) pageUsers.push(user);
      }
      users.push(...pageUsers);
      options.onUsers?.(pageUsers);
      token = page.PaginationToken || undefined;
    } catch (error) {
      if (resuming && !isTransient(error) && !options.signal?.aborted) {
        // A checkpoint's token Cognito no longer accepts: start over.
        options.onTokenRefused?.(describeFailure(error, 'Cognito'));
        resuming = false;
        token = undefined;
        continue;
      }
      throw Object.assign(
        new UserPoolReadError(
          `could not list the users of pool "${options.userPoolId}" (page ${pages + 1}): ${describeFailure(error, 'Cognito')}`,
          { cause: error },
        ),
        { nextToken: paginationToken },
      );
    }
    pages++;
    options.onPage?.(users.length, pages);
    options.onToken?.(token, pages);
    if (!token) return users;
  }
}
