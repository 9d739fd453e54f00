import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import type { HandlerConfig } from '../../domain/config.js';
import type { DeletedRowPolicy } from '../../domain/deletedRows.js';
import {
  parseTriggeredUser,
  type TriggeredUser,
  triggeredUserState,
} from '../../domain/triggerEvent.js';
import { DEFAULT_DEADLINE_MS, type DeadlineContext, deadlineFor } from '../../shared/deadline.js';
import { TableWriteError } from '../../shared/errors.js';
import { errorMessage } from '../../shared/failure.js';
import type { INVOCATION_RETRY } from '../../shared/invocationRetry.js';
import { type InvocationRetrySettings, retryWithinDeadline } from '../../shared/invocationRetry.js';
import type { Logger } from '../../shared/logger.js';
import { loggableUsername } from '../../shared/redact.js';
import { recordSignIn, type SignInRecordOutcome } from '../converge/recordSignIn.js';

/** The trigger source of a sign-in. */
export const SIGN_IN_TRIGGER_SOURCE = 'PostAuthentication_Authentication';

/** What an invocation did, as logged. */
export type SignInOutcome = SignInRecordOutcome | 'skipped' | 'rejected' | 'failed';

/** Dependencies of the Post Authentication handler. */
export interface PostAuthenticationDependencies {
  /** Validated configuration (the same as the confirmation handler's). */
  readonly config: HandlerConfig;
  /** DynamoDB document client. */
  readonly client: DynamoDBDocumentClient;
  /** Structured logger. */
  readonly logger: Logger;
  /**
   * The policy of marked rows: a sign-in that restores one removes its Time
   * to Live attribute (`readDeletedRowPolicy`).
   * @default DEFAULT_DELETED_ROW_POLICY - no Time to Live attribute
   */
  readonly deletedRows?: DeletedRowPolicy;
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

/**
 * Builds the Post Authentication trigger: on each sign-in, sets
 * `lastSignInAt`, refreshes the managed fields from the event's attributes
 * (unless the row holds a state Cognito modified after this sign-in), and
 * creates the row if it is missing or adopts a row without `sub` at the
 * user's key, in one conditional UpdateItem (`recordSignIn`). App-owned
 * fields are never touched; a row of another `sub` (a reused username) is
 * left alone.
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
    ...(deps.deletedRows ? { deletedRows: deps.deletedRows } : {}),
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
          recordSignIn(settings, triggeredUserState(user), {
            source: user.triggerSource,
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
