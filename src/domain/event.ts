import { InvalidEventError } from '../errors.js';

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidEventError(
      `invalid Post Confirmation event: ${field} is ${describe(value)}, expected a non-empty string`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string' && value.trim() === '') return 'an empty string';
  if (Array.isArray(value)) return 'an array';
  return `of type ${typeof value}`;
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
  if (!isRecord(event)) {
    throw new InvalidEventError(
      `invalid Post Confirmation event: the event is ${describe(event)}, expected an object`,
    );
  }
  const triggerSource = requireString(event.triggerSource, 'triggerSource');
  const userName = requireString(event.userName, 'userName');
  const userPoolId = requireString(event.userPoolId, 'userPoolId');
  const request = event.request;
  if (!isRecord(request)) {
    throw new InvalidEventError(
      `invalid Post Confirmation event: request is ${describe(request)}, expected an object`,
    );
  }
  const rawAttributes = request.userAttributes;
  if (!isRecord(rawAttributes)) {
    throw new InvalidEventError(
      `invalid Post Confirmation event: request.userAttributes is ${describe(rawAttributes)}, expected an object`,
    );
  }
  const userAttributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (typeof value !== 'string') {
      throw new InvalidEventError(
        `invalid Post Confirmation event: request.userAttributes["${name}"] is ${describe(value)}, expected a string`,
      );
    }
    userAttributes[name] = value;
  }
  requireString(userAttributes.sub, 'request.userAttributes.sub');
  return { triggerSource, userName, userPoolId, userAttributes };
}
