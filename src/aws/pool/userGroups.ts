import {
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserGroups } from '../../domain/groups.js';
import { type GroupsPageLister, type ReadUserGroupsOptions, readGroupsWith } from './groupPages.js';

export type { ReadUserGroupsOptions } from './groupPages.js';

/**
 * The groups a user belongs to now (`AdminListGroupsForUser`, every page),
 * in the row's form: names only, each once, sorted. A user belongs to at most
 * 100 groups (`GROUP_QUOTAS.perUser`), so that is two pages at most; the
 * calls count against the UserResourceRead category
 * (`GROUP_CALL_QUOTAS.userResourceRead` requests/s). The SDK's client; the
 * Post Confirmation trigger uses `readGroupsWith` and a signed call of its
 * own instead, which keeps the SDK's Cognito client out of its bundle.
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
  const listPage: GroupsPageLister = (input, signal) =>
    client.send(new AdminListGroupsForUserCommand(input), signal ? { abortSignal: signal } : {});
  return readGroupsWith(listPage, userPoolId, username, options);
}
