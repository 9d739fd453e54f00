import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserRef, UserState } from '../../domain/converge.js';
import { UserPoolReadError } from '../../shared/errors.js';
import { describeFailure, errorName } from '../../shared/failure.js';

export type { UserRef } from '../../domain/converge.js';

/** Per-call options. */
export interface PoolCallOptions {
  /** Aborts the call when signalled. @default - no deadline */
  readonly abortSignal?: AbortSignal;
}

const SUB_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

function toIso(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function toAttributes(
  list: readonly { Name?: string | undefined; Value?: string | undefined }[] | undefined,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const attribute of list ?? []) {
    if (attribute.Name !== undefined) attributes[attribute.Name] = attribute.Value ?? '';
  }
  return attributes;
}

/** Maps a ListUsers entry to a {@link UserState}; `undefined` without a username. */
export function userStateFromListed(user: UserType, userPoolId: string): UserState | undefined {
  if (!user.Username) return undefined;
  return {
    username: user.Username,
    userPoolId,
    attributes: toAttributes(user.Attributes),
    enabled: user.Enabled ?? true,
    status: user.UserStatus ?? 'UNKNOWN',
    lastModifiedAt: toIso(user.UserLastModifiedDate),
  };
}

/**
 * Reads a user's current state from the pool: AdminGetUser by username (which
 * also accepts an alias or the `sub`, and answers with the real username), or
 * ListUsers filtered on `sub` when only the `sub` is known.
 *
 * @returns the state, or `undefined` when the pool has no such user
 * @throws UserPoolReadError when Cognito could not be read, saying why
 */
export async function readPoolUser(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  ref: UserRef,
  options: PoolCallOptions = {},
): Promise<UserState | undefined> {
  const sendOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  if (ref.username !== undefined) {
    try {
      const user = await client.send(
        new AdminGetUserCommand({ UserPoolId: userPoolId, Username: ref.username }),
        sendOptions,
      );
      return userStateFromListed(
        {
          Username: user.Username,
          Attributes: user.UserAttributes,
          Enabled: user.Enabled,
          UserStatus: user.UserStatus,
          UserLastModifiedDate: user.UserLastModifiedDate,
        },
        userPoolId,
      );
    } catch (error) {
      if (errorName(error) === 'UserNotFoundException') return undefined;
      throw new UserPoolReadError(
        `could not read a user of pool "${userPoolId}" (AdminGetUser): ${describeFailure(error, 'Cognito')}`,
        { cause: error },
      );
    }
  }
  if (!SUB_PATTERN.test(ref.sub) || ref.sub.includes('"')) {
    throw new UserPoolReadError(`could not read a user of pool "${userPoolId}": invalid sub`);
  }
  try {
    const page = await client.send(
      new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${ref.sub}"`, Limit: 2 }),
      sendOptions,
    );
    const found = (page.Users ?? []).find((user) =>
      user.Attributes?.some((attribute) => attribute.Name === 'sub' && attribute.Value === ref.sub),
    );
    return found ? userStateFromListed(found, userPoolId) : undefined;
  } catch (error) {
    throw new UserPoolReadError(
      `could not read a user of pool "${userPoolId}" (ListUsers by sub): ${describeFailure(error, 'Cognito')}`,
      { cause: error },
    );
  }
}
