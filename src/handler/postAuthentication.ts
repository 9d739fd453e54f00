import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { type ConvergeOutcome, convergeRow } from '../converge/convergeUser.js';
import type { HandlerConfig } from '../domain/config.js';
import type { UserState } from '../domain/converge.js';
import { errorMessage } from '../domain/failure.js';
import { loggableUsername } from '../domain/redact.js';
import { parseTriggeredUser, type TriggeredUser } from '../domain/triggerEvent.js';
import { TableWriteError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_DEADLINE_MS, type DeadlineContext, deadlineFor } from './deadline.js';
import type { INVOCATION_RETRY } from './invocationRetry.js';
import { type InvocationRetrySettings, retryWithinDeadline } from './invocationRetry.js';

/** The trigger source of a sign-in. */
export const SIGN_IN_TRIGGER_SOURCE = 'PostAuthentication_Authentication';

/** What an invocation did, as logged. */
export type SignInOutcome = ConvergeOutcome | 'skipped' | 'rejected' | 'failed';

/** Dependencies of the Post Authentication handler. */
export interface PostAuthenticationDependencies {
  /** Validated configuration (the same as the confirmation handler's). */
  readonly config: HandlerConfig;
  /** DynamoDB document client. */
  readonly client: DynamoDBDocumentClient;
  /** Structured logger. */
  readonly logger: Logger;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
  /** Milliseconds after which the work is abandoned (the sign-in goes on). @default 3500 */
  readonly deadlineMs?: number;
  /** Retry settings (tests shorten them). @default {@link INVOCATION_RETRY} */
  readonly retry?: InvocationRetrySettings;
}

/**
 * The Post Authentication trigger: always resolves with the event it receives,
 * typed as Cognito sends it (`@types/aws-lambda`) and checked at run time.
 */
export type PostAuthenticationHandler = (
  event: PostAuthenticationTriggerEvent,
  context?: DeadlineContext,
) => Promise<PostAuthenticationTriggerEvent>;

/** The user's state as a sign-in event tells it: enabled (they signed in), no modification date. */
export function signInState(user: TriggeredUser): UserState {
  return {
    username: user.userName,
    userPoolId: user.userPoolId,
    attributes: user.userAttributes,
    enabled: true,
    status: user.userAttributes['cognito:user_status'] ?? 'CONFIRMED',
    lastModifiedAt: undefined,
  };
}

/**
 * Builds the Post Authentication trigger: on each sign-in, sets
 * `lastSignInAt`, refreshes the managed fields from the event's attributes
 * (unless the row holds a state Cognito modified after this sign-in), and
 * creates the row if it is missing. App-owned fields are never touched.
 *
 * It never blocks a sign-in: a malformed event, a failed write or a passed
 * deadline (the confirmation handler's, 3.5 s by default) is logged, and the
 * event is returned unchanged in every case.
 */
export function createPostAuthenticationHandler(
  deps: PostAuthenticationDependencies,
): PostAuthenticationHandler {
  const { config, logger } = deps;
  const settings = {
    table: { client: deps.client, tableName: config.tableName, keyAttribute: config.keyAttribute },
    mapping: config,
    ...(deps.now ? { now: deps.now } : {}),
  };
  return async (
    event: PostAuthenticationTriggerEvent,
    context?: DeadlineContext,
  ): Promise<PostAuthenticationTriggerEvent> => {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let user: TriggeredUser;
    try {
      user = parseTriggeredUser(event, 'Post Authentication');
    } catch (error) {
      logger.error('post authentication rejected', {
        outcome: 'rejected',
        error: errorMessage(error),
        durationMs: elapsed(),
      });
      return event;
    }
    // No e-mail address or phone number in logs: `sub`, and the username only when it is a UUID.
    const fields = {
      sub: user.userAttributes.sub,
      username: loggableUsername(user.userName),
      userPoolId: user.userPoolId,
      triggerSource: user.triggerSource,
    };
    if (user.triggerSource !== SIGN_IN_TRIGGER_SOURCE) {
      logger.info('post authentication skipped', { ...fields, outcome: 'skipped' });
      return event;
    }
    const deadline = deadlineFor(deps.deadlineMs ?? DEFAULT_DEADLINE_MS, context);
    try {
      // Converging again after a transient failure is harmless: each write is conditional.
      const outcome = await retryWithinDeadline(
        (abortSignal) =>
          convergeRow(settings, user.userName, signInState(user), {
            source: user.triggerSource,
            signIn: true,
            abortSignal,
          }),
        {
          deadlineMs: deadline,
          onTimeout: () =>
            new TableWriteError(
              `could not record the sign-in in table "${config.tableName}": no answer from DynamoDB within ${deadline} ms`,
            ),
          retry: deps.retry,
        },
      );
      logger.info('post authentication handled', { ...fields, outcome, durationMs: elapsed() });
    } catch (error) {
      logger.error('post authentication failed', {
        ...fields,
        outcome: 'failed',
        error: errorMessage(error),
        durationMs: elapsed(),
      });
    }
    return event;
  };
}
