import {
  type CognitoIdentityProviderClient,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  type ListUsersInGroupCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { UserPoolReadError } from '../../shared/errors.js';
import { describeFailure, isTransient } from '../../shared/failure.js';
import type { RateLimiter } from '../../shared/rateLimiter.js';
import { type RetryOptions, withRetry } from '../../shared/retry.js';
import { GROUP_PAGE_LIMIT } from './groupQuotas.js';

/** Options of the group listings. */
export interface GroupListingOptions {
  /**
   * Paces the calls, one token a page. Give `ListUsersInGroup` the limiter
   * of the run's `ListUsers` (both are UserList calls: one budget), and
   * `ListGroups` one of at most 5 requests/s. @default - not paced
   */
  readonly limiter?: RateLimiter;
  /** Retries of transient failures, per page. @default - 8 attempts */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
}

/** Sends one paged call with the listing's pacing and retries. */
async function page<T>(send: () => Promise<T>, options: GroupListingOptions): Promise<T> {
  return withRetry(
    async () => {
      await options.limiter?.take();
      return send();
    },
    { ...options.retry, isRetryable: isTransient },
  );
}

/**
 * The names of every group of the pool (`ListGroups`, every page), in the
 * order Cognito returns them. A pool holds at most 10,000 groups, so at most
 * 167 pages.
 *
 * @throws UserPoolReadError when the pool could not be read, saying why
 */
export async function listGroupNames(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  options: GroupListingOptions = {},
): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const token = nextToken;
      const result = await page(
        () =>
          client.send(
            new ListGroupsCommand({
              UserPoolId: userPoolId,
              Limit: GROUP_PAGE_LIMIT,
              ...(token ? { NextToken: token } : {}),
            }),
            options.retry?.signal ? { abortSignal: options.retry.signal } : {},
          ),
        options,
      );
      for (const group of result.Groups ?? []) if (group.GroupName) names.push(group.GroupName);
      nextToken = result.NextToken || undefined;
    } while (nextToken);
  } catch (error) {
    throw new UserPoolReadError(
      `could not list the groups of pool "${userPoolId}" (ListGroups): ${describeFailure(error, 'Cognito')}`,
      { cause: error },
    );
  }
  return names;
}

/**
 * Lists the members of one group (`ListUsersInGroup`, every page), handing
 * each page's usernames to `onPage` as it arrives, so that a caller keeps
 * what it needs of them and memory stays bounded by one page.
 *
 * @returns how many members the group has
 * @throws UserPoolReadError when the group could not be listed, saying why (the group's name, never a username)
 */
export async function forEachGroupMember(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  groupName: string,
  onPage: (usernames: string[]) => void | Promise<void>,
  options: GroupListingOptions = {},
): Promise<number> {
  let members = 0;
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    let result: ListUsersInGroupCommandOutput;
    try {
      result = await page(
        () =>
          client.send(
            new ListUsersInGroupCommand({
              UserPoolId: userPoolId,
              GroupName: groupName,
              Limit: GROUP_PAGE_LIMIT,
              ...(token ? { NextToken: token } : {}),
            }),
            options.retry?.signal ? { abortSignal: options.retry.signal } : {},
          ),
        options,
      );
    } catch (error) {
      throw new UserPoolReadError(
        `could not list the members of group "${groupName}" in pool "${userPoolId}" (ListUsersInGroup): ${describeFailure(error, 'Cognito')}`,
        { cause: error },
      );
    }
    const usernames = (result.Users ?? []).flatMap((user) =>
      user.Username ? [user.Username] : [],
    );
    members += usernames.length;
    // The caller's own failures are its own: they pass as they are.
    await onPage(usernames);
    nextToken = result.NextToken || undefined;
  } while (nextToken);
  return members;
}
