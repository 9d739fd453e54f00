import { randomUUID } from 'node:crypto';
import type { Route, Router } from 'cognito-local/lib/server/Router.js';
import type { Context } from 'cognito-local/lib/services/context.js';
import {
  CHANGE_SIGNAL_DETAIL_TYPE,
  CHANGE_SIGNAL_EVENT_NAMES,
  CHANGE_SIGNAL_SOURCE,
  COGNITO_EVENT_SOURCE,
} from '../domain/changeSignal.js';
import { GROUP_SIGNAL_EVENT_NAMES } from '../domain/groupSignal.js';

/** What Cognito writes in place of a confidential request field. */
export const HIDDEN_VALUE = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The calls whose CloudTrail events the local stack emits: the change signals and the group membership calls. */
const SIGNAL_CALLS: readonly string[] = [...CHANGE_SIGNAL_EVENT_NAMES, ...GROUP_SIGNAL_EVENT_NAMES];

/** Calls authorised by the user's access token rather than by IAM. */
const TOKEN_CALLS: readonly string[] = [
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'DeleteUser',
];

/** An EventBridge event of type `AWS API Call via CloudTrail`, as the local stack emits it. */
export interface CloudTrailApiCallEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': typeof CHANGE_SIGNAL_DETAIL_TYPE;
  readonly source: typeof CHANGE_SIGNAL_SOURCE;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Where the events come from. */
export interface CloudTrailEventOptions {
  /** Region written in the event. */
  readonly region: string;
  /** Account id written in the event. @default '000000000000' */
  readonly accountId?: string;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
  /**
   * The `sub` of the user an admin call names, written in
   * `additionalEventData.sub` (Cognito records the user's `sub` for requests
   * that are about a user). @default - none
   */
  readonly sub?: string | undefined;
}

/** Finds the `sub` of the user an admin call names (`UserPoolId`, `Username`). */
export type SubResolver = (
  ctx: Context,
  request: Readonly<Record<string, unknown>>,
) => Promise<string | undefined>;

/** Reads the `sub` claim of a JWT without verifying it (the emulator just accepted it). */
function tokenSub(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      sub?: unknown;
    };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the CloudTrail-shaped EventBridge event of a successful call, the
 * way the change-signal function expects Cognito's: admin calls carry
 * `requestParameters.userPoolId` and `username` (and the user's `sub` in
 * `additionalEventData.sub` when `options.sub` gives it); calls made with an
 * access token carry the token hidden and the user's `sub` in
 * `additionalEventData.sub`; attribute values are always hidden.
 *
 * @returns the event, or `undefined` for a call that is not a change signal
 */
export function cloudTrailEvent(
  action: string,
  request: Readonly<Record<string, unknown>>,
  options: CloudTrailEventOptions,
): CloudTrailApiCallEvent | undefined {
  if (!SIGNAL_CALLS.includes(action)) return undefined;
  const time = (options.now ?? (() => new Date()))().toISOString();
  const account = options.accountId ?? '000000000000';
  const token = TOKEN_CALLS.includes(action);
  const requestParameters: Record<string, unknown> = token
    ? { accessToken: HIDDEN_VALUE }
    : {
        userPoolId: request.UserPoolId,
        ...(request.Username !== undefined ? { username: request.Username } : {}),
        // The group calls name the group (AdminAddUserToGroup, AdminRemoveUserFromGroup, DeleteGroup).
        ...(request.GroupName !== undefined ? { groupName: request.GroupName } : {}),
      };
  if (request.UserAttributes !== undefined) requestParameters.userAttributes = HIDDEN_VALUE;
  if (request.AttributeName !== undefined) requestParameters.attributeName = request.AttributeName;
  const sub = token ? tokenSub(request.AccessToken) : options.sub;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': CHANGE_SIGNAL_DETAIL_TYPE,
    source: CHANGE_SIGNAL_SOURCE,
    account,
    time,
    region: options.region,
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: token
        ? { type: 'Unknown', principalId: '', accountId: account }
        : { type: 'AssumedRole', accountId: account },
      eventTime: time.replace(/\.\d{3}Z$/, 'Z'),
      eventSource: COGNITO_EVENT_SOURCE,
      eventName: action,
      awsRegion: options.region,
      sourceIPAddress: '127.0.0.1',
      userAgent: 'cognito-user-sync-local',
      requestParameters,
      responseElements: null,
      ...(sub ? { additionalEventData: { sub } } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
  };
}

/**
 * Wraps a cognito-local router so that every successful change-signal call
 * (see `CHANGE_SIGNAL_EVENT_NAMES`) and group membership call (`GROUP_SIGNAL_EVENT_NAMES`) also emits its CloudTrail-shaped event,
 * after the call has answered, as EventBridge would; `subOf` gives the `sub`
 * an admin call's event carries. Failed calls emit
 * nothing (CloudTrail would record them with an `errorCode`, which the
 * change-signal function ignores).
 */
export function emitChangeSignals(
  router: Router,
  emit: (event: CloudTrailApiCallEvent) => void,
  options: CloudTrailEventOptions & { readonly subOf?: SubResolver | undefined },
): Router {
  const { subOf, ...eventOptions } = options;
  return (target: string): Route => {
    const route = router(target);
    if (!SIGNAL_CALLS.includes(target)) return route;
    const admin = !TOKEN_CALLS.includes(target);
    return async (ctx, request) => {
      const parameters = (request ?? {}) as Record<string, unknown>;
      // Read before the call: after a deletion the user is gone.
      const before = admin && subOf ? await subOf(ctx, parameters) : undefined;
      const response = await route(ctx, request);
      // A user AdminCreateUser makes exists only after the call.
      const sub = before ?? (admin && subOf ? await subOf(ctx, parameters) : undefined);
      const event = cloudTrailEvent(target, parameters, { ...eventOptions, sub });
      if (event) emit(event);
      return response;
    };
  };
}
