import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { UserPoolReadError } from '../../shared/errors.js';
import { describeFailure, errorName } from '../../shared/failure.js';
import {
  type RECONCILE_MAX_ATTEMPTS,
  type TransientRetryOptions,
  withTransientRetry,
} from '../../shared/retry.js';

/** Options of {@link userInPool}. */
export interface UserInPoolOptions {
  /** Retries of transient failures. @default - {@link RECONCILE_MAX_ATTEMPTS} attempts from 100 ms */
  readonly retry?: TransientRetryOptions;
}

/**
 * Whether the pool has a user of exactly this username now (`AdminGetUser`):
 * the second look reconcile takes at an orphaned row that says nothing of its
 * age (no `createdAt`) before it marks or deletes it, since such a row may
 * belong to a user who signed up after the listing. A user found under
 * another username (the name was an alias of theirs) does not count.
 *
 * @throws UserPoolReadError when the pool could not be read, saying why (never the username)
 */
export async function userInPool(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  username: string,
  options: UserInPoolOptions = {},
): Promise<boolean> {
  try {
    return await withTransientRetry(async () => {
      try {
        const user = await client.send(
          new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
          options.retry?.signal ? { abortSignal: options.retry.signal } : {},
        );
        return user.Username === username;
      } catch (error) {
        if (errorName(error) === 'UserNotFoundException') return false;
        throw error;
      }
    }, options.retry);
  } catch (error) {
    throw new UserPoolReadError(
      `could not read a user of pool "${userPoolId}" (AdminGetUser): ${describeFailure(error, 'Cognito')}`,
      { cause: error },
    );
  }
}

/**
 * Whether the pool has a user with exactly this `sub` now (ListUsers with
 * the filter `sub = "<sub>"`, one page of one user): the second look at an
 * orphaned row keyed by `{sub}` alone, which names no username. `sub` is
 * one of the standard attributes ListUsers can filter on, with `=` for an
 * exact match (verified in the API reference:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html).
 *
 * @throws UserPoolReadError when the pool could not be read, saying why (never the sub)
 */
export async function subInPool(
  client: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
  sub: string,
  options: UserInPoolOptions = {},
): Promise<boolean> {
  const quoted = sub.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  try {
    return await withTransientRetry(async () => {
      const answer = await client.send(
        new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${quoted}"`, Limit: 1 }),
        options.retry?.signal ? { abortSignal: options.retry.signal } : {},
      );
      return (answer.Users ?? []).some((user) =>
        (user.Attributes ?? []).some(
          (attribute) => attribute.Name === 'sub' && attribute.Value === sub,
        ),
      );
    }, options.retry);
  } catch (error) {
    throw new UserPoolReadError(
      `could not read a user of pool "${userPoolId}" (ListUsers by sub): ${describeFailure(error, 'Cognito')}`,
      { cause: error },
    );
  }
}
