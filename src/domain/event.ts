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
