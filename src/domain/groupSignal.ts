import { isRecord } from '../shared/values.js';
import { COGNITO_EVENT_SOURCE } from './changeSignal.js';

/**
 * Cognito API calls that change group memberships, as CloudTrail records
 * them: a user added or removed (converge that user), a group deleted
 * (converge every user whose row holds it: the pool can no longer list the
 * members of a deleted group, so they are found in the table). `UpdateGroup`
 * changes a group's description, precedence or role, never its name or its
 * members (API reference: a group's name cannot be changed), so it changes
 * no row and is not a signal.
 */
export const GROUP_SIGNAL_EVENT_NAMES = [
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'DeleteGroup',
] as const;

/** One of {@link GROUP_SIGNAL_EVENT_NAMES}. */
export type GroupSignalEventName = (typeof GROUP_SIGNAL_EVENT_NAMES)[number];

/** A membership change read from an event: converge one user, or every member of a deleted group. */
export type GroupSignal =
  | {
      readonly kind: 'member';
      readonly eventName: 'AdminAddUserToGroup' | 'AdminRemoveUserFromGroup';
      readonly userPoolId: string | undefined;
      /** The user as the call named them: a username, or an alias or `sub` (Admin calls accept any). */
      readonly username: string;
      readonly groupName: string;
    }
  | {
      readonly kind: 'group-deleted';
      readonly eventName: 'DeleteGroup';
      readonly userPoolId: string | undefined;
      readonly groupName: string;
    };

/** Why an event is not a group signal, without any value from it. */
export interface NotAGroupSignal {
  readonly kind: 'ignored';
  readonly reason: string;
}

const HIDDEN = /^HIDDEN_(DUE_TO|FOR)_SECURITY_REASONS$/;

function visible(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' || HIDDEN.test(text) ? undefined : text;
}

/** Whether an event's call is one of {@link GROUP_SIGNAL_EVENT_NAMES}. */
export function isGroupSignalEvent(event: unknown): boolean {
  const detail = isRecord(event) ? event.detail : undefined;
  return (
    isRecord(detail) &&
    detail.eventSource === COGNITO_EVENT_SOURCE &&
    (GROUP_SIGNAL_EVENT_NAMES as readonly string[]).includes(String(detail.eventName))
  );
}

/**
 * Reads a group signal from an EventBridge event of CloudTrail's `AWS API
 * Call via CloudTrail` type (`requestParameters.userPoolId`, `username`,
 * `groupName`). Pure; like every signal, a hint of whom to look at: the
 * groups written are always read from Cognito afterwards. Failed calls
 * (`errorCode`) and events whose user or group is hidden or missing are
 * ignored, saying why.
 */
export function parseGroupSignal(event: unknown): GroupSignal | NotAGroupSignal {
  if (!isGroupSignalEvent(event)) return { kind: 'ignored', reason: 'not a group membership call' };
  const detail = (event as { detail: Record<string, unknown> }).detail;
  if (visible(detail.errorCode)) return { kind: 'ignored', reason: 'the call failed' };
  const request = isRecord(detail.requestParameters) ? detail.requestParameters : {};
  const userPoolId = visible(request.userPoolId);
  const groupName = visible(request.groupName);
  if (groupName === undefined)
    return { kind: 'ignored', reason: 'the event names no group (hidden or missing)' };
  if (detail.eventName === 'DeleteGroup')
    return { kind: 'group-deleted', eventName: 'DeleteGroup', userPoolId, groupName };
  const username = visible(request.username);
  if (username === undefined)
    return { kind: 'ignored', reason: 'the event names no user (hidden or missing)' };
  return {
    kind: 'member',
    eventName: detail.eventName as 'AdminAddUserToGroup' | 'AdminRemoveUserFromGroup',
    userPoolId,
    username,
    groupName,
  };
}
