import { InvalidEventError } from '../errors.js';

/** The fields of a Cognito user-pool trigger event this package relies on, checked. */
export interface TriggeredUser {
  /** `event.triggerSource`, e.g. `PostAuthentication_Authentication`. */
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

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string' && value.trim() === '') return 'an empty string';
  if (Array.isArray(value)) return 'an array';
  return `of type ${typeof value}`;
}

/**
 * Checks that a Lambda input is a usable user-pool trigger event (Post
 * Confirmation, Post Authentication…) and extracts what the handlers need.
 * Unknown fields are ignored, never rejected.
 *
 * @param event - the raw Lambda input
 * @param kind - the trigger's name for error messages, e.g. `Post Authentication`
 * @throws InvalidEventError naming the first missing or malformed field
 *   (never an attribute value)
 */
export function parseTriggeredUser(event: unknown, kind: string): TriggeredUser {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new InvalidEventError(
      `invalid ${kind} event: ${field} is ${describe(value)}, expected ${expected}`,
    );
  };
  const requireString = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value.trim() === '') {
      return fail(field, value, 'a non-empty string');
    }
    return value;
  };
  if (!isRecord(event)) return fail('the event', event, 'an object');
  const triggerSource = requireString(event.triggerSource, 'triggerSource');
  const userName = requireString(event.userName, 'userName');
  const userPoolId = requireString(event.userPoolId, 'userPoolId');
  const request = event.request;
  if (!isRecord(request)) return fail('request', request, 'an object');
  const rawAttributes = request.userAttributes;
  if (!isRecord(rawAttributes)) return fail('request.userAttributes', rawAttributes, 'an object');
  const userAttributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (typeof value !== 'string') fail(`request.userAttributes["${name}"]`, value, 'a string');
    userAttributes[name] = value as string;
  }
  requireString(userAttributes.sub, 'request.userAttributes.sub');
  return { triggerSource, userName, userPoolId, userAttributes };
}
