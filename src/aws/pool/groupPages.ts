import { normalizeGroups, type UserGroups } from '../../domain/groups.js';
import { UserPoolReadError } from '../../shared/errors.js';
import { describeFailure, errorName, isTransient } from '../../shared/failure.js';
import type { RateLimiter } from '../../shared/rateLimiter.js';
import { type RetryOptions, withRetry } from '../../shared/retry.js';
import { GROUP_PAGE_LIMIT } from './groupQuotas.js';

/** Options of {@link readGroupsWith} (and `readUserGroups`). */
export interface ReadUserGroupsOptions {
  /** Paces the calls (one token a page). @default - not paced */
  readonly limiter?: RateLimiter;
  /** Retries of transient failures, per page. @default - 8 attempts */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
}

/** The request of one `AdminListGroupsForUser` page. */
export interface GroupsPageRequest {
  readonly UserPoolId: string;
  readonly Username: string;
  readonly Limit: number;
  readonly NextToken?: string;
}

/** The part of an `AdminListGroupsForUser` answer that is read. */
export interface GroupsPage {
  readonly Groups?: readonly { readonly GroupName?: string | undefined }[] | undefined;
  readonly NextToken?: string | undefined;
}

/** Sends one `AdminListGroupsForUser` call (through the SDK, or signed by hand), aborted by `signal`. */
export type GroupsPageLister = (
  input: GroupsPageRequest,
  signal: AbortSignal | undefined,
) => Promise<GroupsPage>;

/**
 * The groups a user belongs to now, every page of `AdminListGroupsForUser`
 * through `listPage`, in the row's form (names only, each once, sorted);
 * transient failures retried per page, pages paced by the limiter.
 *
 * @returns the groups, or `undefined` when the pool has no such user (`UserNotFoundException`)
 * @throws UserPoolReadError when the pool could not be read, saying why (never the username)
 */
export async function readGroupsWith(
  listPage: GroupsPageLister,
  userPoolId: string,
  username: string,
  options: ReadUserGroupsOptions = {},
): Promise<UserGroups | undefined> {
  const names: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const token = nextToken;
      const page = await withRetry(
        async () => {
          await options.limiter?.take();
          return listPage(
            {
              UserPoolId: userPoolId,
              Username: username,
              Limit: GROUP_PAGE_LIMIT,
              ...(token ? { NextToken: token } : {}),
            },
            options.retry?.signal,
          );
        },
        { ...options.retry, isRetryable: isTransient },
      );
      for (const group of page.Groups ?? []) if (group.GroupName) names.push(group.GroupName);
      nextToken = page.NextToken || undefined;
    } while (nextToken);
  } catch (error) {
    if (errorName(error) === 'UserNotFoundException') return undefined;
    throw new UserPoolReadError(
      `could not read a user's groups in pool "${userPoolId}" (AdminListGroupsForUser): ${describeFailure(error, 'Cognito')}`,
      { cause: error },
    );
  }
  return normalizeGroups(names);
}
