import {
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { UserPoolReadError } from '../errors.js';
import type { RateLimiter } from '../reconcile/rateLimiter.js';
import { isCognitoThrottling, type RetryOptions, withRetry } from '../reconcile/retry.js';
import { describeFailure } from '../store/userTable.js';

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
  /** Backoff on `TooManyRequestsException`. @default - 8 attempts from 250 ms */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  /** Called after each page with the number of users listed so far. @default - nothing */
  readonly onPage?: (listed: number, pages: number) => void;
  /** Called with each page's users as soon as the page arrives. @default - nothing */
  readonly onUsers?: (users: readonly PoolUser[]) => void;
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
 * paced by the rate limiter and retried with backoff when Cognito throttles.
 *
 * @throws UserPoolReadError when a page cannot be read, saying why
 */
export async function listPoolUsers(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  options: ListPoolUsersOptions,
): Promise<PoolUser[]> {
  const users: PoolUser[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
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
          );
        },
        { baseDelayMs: 250, ...options.retry, isRetryable: isCognitoThrottling },
      );
      const pageUsers: PoolUser[] = [];
      for (const listed of page.Users ?? []) {
        const user = toPoolUser(listed);
        if (user) pageUsers.push(user);
      }
      users.push(...pageUsers);
      options.onUsers?.(pageUsers);
      token = page.PaginationToken || undefined;
    } catch (error) {
      throw new UserPoolReadError(
        `could not list the users of pool "${options.userPoolId}" (page ${pages + 1}): ${describeFailure(error)}`,
        { cause: error },
      );
    }
    pages++;
    options.onPage?.(users.length, pages);
  } while (token);
  return users;
}
