import { isRecord } from '../shared/values.js';
import { ALIAS_ATTRIBUTES, type UserRef } from './converge.js';

/** Cognito API calls whose CloudTrail events are change signals. */
export const CHANGE_SIGNAL_EVENT_NAMES = [
  'AdminUpdateUserAttributes',
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'AdminDeleteUser',
  'DeleteUser',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminConfirmSignUp',
  'AdminCreateUser',
] as const;

/** Change-signal calls that remove the user from the pool. */
export const DELETION_EVENT_NAMES: readonly string[] = ['AdminDeleteUser', 'DeleteUser'];

/** The `source` of Cognito's events on EventBridge. */
export const CHANGE_SIGNAL_SOURCE = 'aws.cognito-idp';

/** The `detail-type` of API calls recorded by CloudTrail, on EventBridge. */
export const CHANGE_SIGNAL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** `detail.eventSource` of Cognito user pool calls. */
export const COGNITO_EVENT_SOURCE = 'cognito-idp.amazonaws.com';

/** Values Cognito writes in place of a confidential field (both spellings are seen). */
const HIDDEN = /^HIDDEN_(DUE_TO|FOR)_SECURITY_REASONS$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A change signal read from an event: which call, in which pool, about whom. */
export interface ChangeSignal {
  readonly kind: 'signal';
  /** The API call, e.g. `AdminDeleteUser`. */
  readonly eventName: string;
  /** `requestParameters.userPoolId`; `undefined` for calls made with an access token. */
  readonly userPoolId: string | undefined;
  /** The user, by username (or alias) and/or `sub`. */
  readonly user: UserRef;
}

/** An event that names no user to converge, and why. */
export interface IgnoredEvent {
  readonly kind: 'ignored';
  /** Why, without any value from the event. */
  readonly reason: string;
  /** `detail.eventName` when there is one. */
  readonly eventName?: string;
}

function visible(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' || HIDDEN.test(text) ? undefined : text;
}

function field(record: unknown, name: string): unknown {
  return isRecord(record) ? record[name] : undefined;
}

/**
 * Reads a change signal from an EventBridge event of CloudTrail's `AWS API
 * Call via CloudTrail` type. Pure. The event is only a hint of whom to look
 * at: the state written is always read from Cognito afterwards.
 *
 * The user is taken from, in order: `requestParameters.username` (unless
 * hidden); the `sub` from `additionalEventData.sub`, `requestParameters.sub`,
 * or a UUID-shaped `userIdentity.principalId`/`userIdentity.userName` (calls
 * made with a user's access token). The alias values the request sets
 * (`requestParameters.userAttributes`, unless hidden) come along as
 * `aliases`. Failed calls (`errorCode`) are ignored.
 */
export function parseChangeSignal(event: unknown): ChangeSignal | IgnoredEvent {
  const detail = field(event, 'detail');
  if (!isRecord(detail)) return { kind: 'ignored', reason: 'no detail object' };
  const eventName = typeof detail.eventName === 'string' ? detail.eventName : undefined;
  if (detail.eventSource !== COGNITO_EVENT_SOURCE) {
    return { kind: 'ignored', reason: 'not a Cognito user pool call', ...named(eventName) };
  }
  if (!eventName || !(CHANGE_SIGNAL_EVENT_NAMES as readonly string[]).includes(eventName)) {
    return { kind: 'ignored', reason: 'not a change signal call', ...named(eventName) };
  }
  if (visible(detail.errorCode)) {
    return { kind: 'ignored', reason: 'the call failed', eventName };
  }
  const request = detail.requestParameters;
  const username = visible(field(request, 'username'));
  const identity = detail.userIdentity;
  const sub =
    visible(field(detail.additionalEventData, 'sub')) ??
    visible(field(request, 'sub')) ??
    uuid(field(identity, 'principalId')) ??
    uuid(field(identity, 'userName'));
  const userPoolId = visible(field(request, 'userPoolId'));
  const aliases = requestAliases(field(request, 'userAttributes'));
  const more = aliases.length > 0 ? { aliases } : {};
  if (username !== undefined) {
    return { kind: 'signal', eventName, userPoolId, user: { username, sub, ...more } };
  }
  if (sub !== undefined) return { kind: 'signal', eventName, userPoolId, user: { sub, ...more } };
  return { kind: 'ignored', reason: 'the event names no user (hidden or missing)', eventName };
}

/**
 * The alias values (e-mail, phone, preferred username) a request sets, when
 * the event shows them: `requestParameters.userAttributes` as a list of
 * `{name, value}` (CloudTrail's camel case) or `{Name, Value}`; nothing when
 * the list or a value is hidden.
 */
function requestAliases(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const aliases: string[] = [];
  for (const entry of list) {
    const name = field(entry, 'name') ?? field(entry, 'Name');
    const value = visible(field(entry, 'value') ?? field(entry, 'Value'));
    if (typeof name !== 'string' || value === undefined) continue;
    if ((ALIAS_ATTRIBUTES as readonly string[]).includes(name) && !aliases.includes(value)) {
      aliases.push(value);
    }
  }
  return aliases;
}

function uuid(value: unknown): string | undefined {
  const text = visible(value);
  return text !== undefined && UUID.test(text) ? text : undefined;
}

function named(eventName: string | undefined) {
  return eventName ? { eventName } : {};
}
