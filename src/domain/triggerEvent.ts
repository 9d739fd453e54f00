import { InvalidEventError } from '../shared/errors.js';
import { isRecord } from '../shared/values.js';
import type { UserState } from './converge.js';

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

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string' && value.trim() === '') return 'an empty string';
  if (Array.isArray(value)) return 'an array';
  return `of type ${typeof value}`;
}

/**
 * Reads `triggerSource` from any Lambda input without checking the rest, so
 * that events of other triggers can be skipped whatever their shape.
 *
 * @returns the trigger source, or `undefined` when there is no string one
 */
export function readTriggerSource(event: unknown): string | undefined {
  if (!isRecord(event)) return undefined;
  return typeof event.triggerSource === 'string' ? event.triggerSource : undefined;
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
  const entries = Object.entries(rawAttributes);
  for (const [name, value] of entries) {
    if (typeof value !== 'string') fail(`request.userAttributes["${name}"]`, value, 'a string');
  }
  // Own data properties only: a name such as `__proto__` or `constructor` is
  // an attribute like any other, never the object's prototype or a method.
  const userAttributes = Object.fromEntries(entries) as Record<string, string>;
  requireString(
    Object.hasOwn(userAttributes, 'sub') ? userAttributes.sub : undefined,
    'request.userAttributes.sub',
  );
  return { triggerSource, userName, userPoolId, userAttributes };
}

/**
 * The user's state as a trigger event tells it: enabled (a user who has just
 * confirmed a sign-up or a password reset, or signed in, is enabled), `status`
 * from `cognito:user_status` (`CONFIRMED` when absent), and no modification
 * date, which the events do not carry (so the row gets no
 * `userLastModifiedAt` until a state read from the pool is written). Pure.
 */
export function triggeredUserState(user: TriggeredUser): UserState {
  return {
    username: user.userName,
    userPoolId: user.userPoolId,
    attributes: user.userAttributes,
    enabled: true,
    status: user.userAttributes['cognito:user_status'] ?? 'CONFIRMED',
    lastModifiedAt: undefined,
  };
}
