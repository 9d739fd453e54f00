import {
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { normalizeGroups, type UserGroups } from '../../domain/groups.js';
import { UserPoolReadError } from '../../shared/errors.js';
import { describeFailure, errorName, isTransient } from '../../shared/failure.js';
import type { RateLimiter } from '../../shared/rateLimiter.js';
import { type RetryOptions, withRetry } from '../../shared/retry.js';
import { GROUP_PAGE_LIMIT } from './groupQuotas.js';

/** Options of {@link readUserGroups}. */
export interface ReadUserGroupsOptions {
  /** Paces the calls (one token a page). @default - not paced */
  readonly limiter?: RateLimiter;
  /** Retries of transient failures, per page. @default - 8 attempts */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
}

/**
 * The groups a user belongs to now (`AdminListGroupsForUser`, every page),
 * in the row's form: names only, each once, sorted. A user belongs to at most
 * 100 groups (`GROUP_QUOTAS.perUser`), so that is two pages at most; the
 * calls count against the UserResourceRead category
 * (`GROUP_CALL_QUOTAS.userResourceRead` requests/s).
 *
 * @param username - the user's username (an alias or `sub` also works, as for every Admin call)
 * @returns the groups, or `undefined` when the pool has no such user (any more)
 * @throws UserPoolReadError when the pool could not be read, saying why (never the username)
 */
export async function readUserGroups(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
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
          return client.send(
            new AdminListGroupsForUserCommand({
              UserPoolId: userPoolId,
              Username: username,
              Limit: GROUP_PAGE_LIMIT,
              ...(token ? { NextToken: token } : {}),
            }),
            options.retry?.signal ? { abortSignal: options.retry.signal } : {},
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
