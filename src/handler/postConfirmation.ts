import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HandlerConfig } from '../domain/config.js';
import { decideAction } from '../domain/decide.js';
import { parseConfirmedUser } from '../domain/event.js';
import { toUserRow } from '../domain/userRow.js';
import { TableWriteError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type CreateOutcome, createRowIfAbsent } from '../store/userTable.js';
import {
  DEFAULT_DEADLINE_MS,
  type DeadlineContext,
  deadlineFor,
  withDeadline,
} from './deadline.js';

/** What an invocation did, as logged. */
export type InvocationOutcome = CreateOutcome | 'skipped' | 'rejected' | 'failed';

export type { DeadlineContext } from './deadline.js';

/** Dependencies of the Post Confirmation handler. */
export interface PostConfirmationDependencies {
  /** Validated configuration. */
  readonly config: HandlerConfig;
  /** DynamoDB document client. */
  readonly client: DynamoDBDocumentClient;
  /** Structured logger. */
  readonly logger: Logger;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
  /**
   * Milliseconds after which the write is abandoned and the invocation rejects.
   * Cognito waits 5 s at most; the default leaves room for the cold start.
   * @default 3500
   */
  readonly deadlineMs?: number;
}

/** A Lambda handler that returns the event it receives. */
export type PostConfirmationHandler = <E>(event: E, context?: DeadlineContext) => Promise<E>;

export { DEFAULT_DEADLINE_MS } from './deadline.js';

/**
 * Builds the Post Confirmation trigger: parse the event, decide, write the row
 * if it is missing, log one line, return the event unchanged.
 *
 * - `PostConfirmation_ConfirmSignUp` and `PostConfirmation_ConfirmForgotPassword`
 *   create the row when no row with that key exists; an existing row is never
 *   altered (retries and password resets are no-ops).
 * - Other trigger sources write nothing.
 * - A malformed event rejects with `InvalidEventError`; a failed write rejects
 *   with `TableWriteError` before the deadline.
 */
export function createPostConfirmationHandler(
  deps: PostConfirmationDependencies,
): PostConfirmationHandler {
  const { config, client, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const table = { client, tableName: config.tableName, keyAttribute: config.keyAttribute };

  return async <E>(event: E, context?: DeadlineContext): Promise<E> => {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let user: ReturnType<typeof parseConfirmedUser>;
    try {
      user = parseConfirmedUser(event);
    } catch (error) {
      logger.error('post confirmation rejected', {
        outcome: 'rejected',
        error: (error as Error).message,
        durationMs: elapsed(),
      });
      throw error;
    }
    const fields = {
      username: user.userName,
      userPoolId: user.userPoolId,
      triggerSource: user.triggerSource,
    };
    if (decideAction(user.triggerSource) === 'skip') {
      logger.info('post confirmation skipped', {
        ...fields,
        outcome: 'skipped',
        durationMs: elapsed(),
      });
      return event;
    }
    const row = toUserRow({ ...user, source: user.triggerSource, now: now() }, config);
    const deadline = deadlineFor(deps.deadlineMs ?? DEFAULT_DEADLINE_MS, context);
    try {
      const outcome = await withDeadline(
        deadline,
        () =>
          new TableWriteError(
            `could not write the user's row to table "${config.tableName}": no answer from DynamoDB within ${deadline} ms`,
          ),
        (abortSignal) => createRowIfAbsent(table, row, { abortSignal }),
      );
      logger.info('post confirmation handled', { ...fields, outcome, durationMs: elapsed() });
      return event;
    } catch (error) {
      logger.error('post confirmation failed', {
        ...fields,
        outcome: 'failed',
        error: (error as Error).message,
        durationMs: elapsed(),
      });
      throw error;
    }
  };
}
