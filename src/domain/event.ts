import type { UserState } from './converge.js';
import { parseTriggeredUser } from './triggerEvent.js';

/** The fields of a Post Confirmation event this package relies on, checked. */
export interface ConfirmedUser {
  /** `event.triggerSource`, e.g. `PostConfirmation_ConfirmSignUp`. */
  readonly triggerSource: string;
  /** `event.userName`: the Cognito username (a UUID in e-mail sign-in pools). */
  readonly userName: string;
  /** `event.userPoolId`. */
  readonly userPoolId: string;
  /** `event.request.userAttributes`: string-to-string map, `sub` always present. */
  readonly userAttributes: Readonly<Record<string, string>>;
}

/**
 * Checks that a Lambda input is a usable Post Confirmation event and extracts
 * what the trigger needs. Unknown fields are ignored, never rejected.
 *
 * @param event - the raw Lambda input
 * @throws InvalidEventError naming the first missing or malformed field
 *   (never an attribute value)
 */
export function parseConfirmedUser(event: unknown): ConfirmedUser {
  return parseTriggeredUser(event, 'Post Confirmation');
}

/**
 * The user's state as a Post Confirmation event tells it: enabled (a user who
 * just confirmed a sign-up or a password reset is enabled), `status` from
 * `cognito:user_status` (`CONFIRMED` when absent), and no modification date,
 * which the event does not carry (so the row gets no `userLastModifiedAt`
 * until a state read from the pool is written). Pure.
 */
export function confirmedUserState(user: ConfirmedUser): UserState {
  return {
    username: user.userName,
    userPoolId: user.userPoolId,
    attributes: user.userAttributes,
    enabled: true,
    status: user.userAttributes['cognito:user_status'] ?? 'CONFIRMED',
    lastModifiedAt: undefined,
  };
}
