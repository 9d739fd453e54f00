import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  forEachGroupMember,
  type GroupListingOptions,
  listGroupNames,
} from '../../aws/pool/poolGroups.js';
import { normalizeGroups, type UserGroups } from '../../domain/groups.js';
import { errorName } from '../../shared/failure.js';

/** The pool's groups and who is in each, as the console shows them. */
export interface PoolGroupMembers {
  /** Every group of the pool, sorted by UTF-16 code unit. */
  readonly groups: readonly string[];
  /** A user's groups in the row's form (each once, sorted); empty for a user in no group. */
  groupsOf(username: string): UserGroups;
}

/**
 * Lists the pool's groups (`ListGroups`) and each group's members
 * (`ListUsersInGroup`), one group after the other. A group deleted between
 * the two listings is left out, as if listed a moment later.
 *
 * @param options - `limiter` paces `ListUsersInGroup` (a UserList call, like `ListUsers`)
 * @throws UserPoolReadError when a listing failed, naming the call and the group
 */
export async function readPoolGroupMembers(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  options: GroupListingOptions = {},
): Promise<PoolGroupMembers> {
  const names = normalizeGroups(await listGroupNames(client, userPoolId));
  const members = new Map<string, string[]>();
  const groups: string[] = [];
  for (const name of names) {
    try {
      await forEachGroupMember(
        client,
        userPoolId,
        name,
        (usernames) => {
          for (const username of usernames) {
            const list = members.get(username);
            if (list) list.push(name);
            else members.set(username, [name]);
          }
        },
        options,
      );
      groups.push(name);
    } catch (error) {
      if (errorName((error as Error).cause) !== 'ResourceNotFoundException') throw error;
    }
  }
  return {
    groups,
    groupsOf: (username) => normalizeGroups(members.get(username) ?? []),
  };
}
