import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
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
