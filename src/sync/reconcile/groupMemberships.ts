import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  forEachGroupMember,
  type GroupListingOptions,
  listGroupNames,
} from '../../aws/pool/poolGroups.js';
import { normalizeGroups, type UserGroups } from '../../domain/groups.js';
import { fingerprint, newSalt } from './fingerprints.js';

/**
 * Every user's groups, as read by listing each group's members: what
 * reconcile compares the rows' groups with, at the cost of one `ListGroups`
 * page per 60 groups and one `ListUsersInGroup` page per 60 members, instead
 * of one `AdminListGroupsForUser` call per user.
 *
 * Memory: users are held by the fingerprint of their username (8 bytes, as
 * reconcile's listed set; a false match is a 1 in 2^52 chance per pair) and
 * groups by their index in the group list, so a membership costs a map entry
 * and a small number, whatever the length of the names; users in no group
 * cost nothing.
 */
export class GroupMemberships {
  readonly #salt: number;
  readonly #names: readonly string[];
  /** fingerprint → the index of its one group, or the indexes of its groups. */
  readonly #groups = new Map<number, number | number[]>();

  /** @param groupNames - the pool's groups, in any order; indexes refer to this list */
  constructor(groupNames: readonly string[], salt: number = newSalt()) {
    this.#names = groupNames;
    this.#salt = salt;
  }

  /** Records that `username` is a member of the group at `groupIndex`. */
  add(username: string, groupIndex: number): void {
    const key = fingerprint(username, this.#salt);
    const current = this.#groups.get(key);
    if (current === undefined) this.#groups.set(key, groupIndex);
    else if (typeof current === 'number') {
      if (current !== groupIndex) this.#groups.set(key, [current, groupIndex]);
    } else if (!current.includes(groupIndex)) current.push(groupIndex);
  }

  /** The user's groups in the row's form (sorted, each once); empty for a user in no group. */
  groupsOf(username: string): UserGroups {
    const found = this.#groups.get(fingerprint(username, this.#salt));
    if (found === undefined) return [];
    const indexes = typeof found === 'number' ? [found] : found;
    return normalizeGroups(indexes.map((index) => this.#names[index] ?? ''));
  }

  /** How many users are in at least one group. */
  get members(): number {
    return this.#groups.size;
  }

  /** How many groups the pool has. */
  get groupCount(): number {
    return this.#names.length;
  }
}

/** Options of {@link readGroupMemberships}. */
export interface ReadGroupMembershipsOptions {
  /** Paces `ListGroups` (at most 5 requests/s to one pool). @default - not paced */
  readonly groupsLimiter?: GroupListingOptions['limiter'];
  /** Paces `ListUsersInGroup`: the run's `ListUsers` limiter (one UserList budget). @default - not paced */
  readonly membersLimiter?: GroupListingOptions['limiter'];
  /** Retries of transient failures, per page. */
  readonly retry?: GroupListingOptions['retry'];
  /** The fingerprints' salt. @default - a new one */
  readonly salt?: number;
}

/**
 * Lists the pool's groups and each group's members, one group after the
 * other, and returns who is in which.
 *
 * @throws UserPoolReadError when a listing failed, naming the call and the group
 */
export async function readGroupMemberships(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  options: ReadGroupMembershipsOptions = {},
): Promise<GroupMemberships> {
  const retry = options.retry ? { retry: options.retry } : {};
  const names = await listGroupNames(client, userPoolId, {
    ...retry,
    ...(options.groupsLimiter ? { limiter: options.groupsLimiter } : {}),
  });
  const memberships = new GroupMemberships(names, options.salt);
  for (const [index, name] of names.entries()) {
    await forEachGroupMember(
      client,
      userPoolId,
      name,
      (usernames) => {
        for (const username of usernames) memberships.add(username, index);
      },
      { ...retry, ...(options.membersLimiter ? { limiter: options.membersLimiter } : {}) },
    );
  }
  return memberships;
}
