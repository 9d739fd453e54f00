import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { CreateOutcome } from '../../aws/store/userTable.js';
import type { HandlerConfig } from '../../domain/config.js';
import { decideAction } from '../../domain/decide.js';
import { parseConfirmedUser } from '../../domain/event.js';
import type { UserGroups } from '../../domain/groups.js';
import { rowMappingOf } from '../../domain/rowMapping/configMapping.js';
import { readTriggerSource, triggeredUserState } from '../../domain/triggerEvent.js';
import {
  DEFAULT_DEADLINE_MS,
  type DeadlineContext,
  deadlineFor,
  withDeadline,
} from '../../shared/deadline.js';
import { TableWriteError, UserPoolReadError } from '../../shared/errors.js';
import { errorMessage, mayHaveLanded } from '../../shared/failure.js';
import {
  INVOCATION_RETRY,
  type InvocationRetrySettings,
  retryWithinDeadline,
} from '../../shared/invocationRetry.js';
import type { Logger } from '../../shared/logger.js';
import { METRIC, type MetricsEmitter, NO_METRICS } from '../../shared/metrics.js';
import { loggableUsername } from '../../shared/redact.js';
import { confirmRow } from '../converge/confirmRow.js';

/**
 * What an invocation did, as logged. `adopted`: a row without `sub` was at
 * the user's key and got the managed fields. `created-or-present`: an
 * attempt's answer was lost (reset, timeout, 5xx) and a later attempt found
 * the row, which that lost attempt may have written.
 */
export type InvocationOutcome =
  | CreateOutcome
  | 'adopted'
  | 'created-or-present'
  | 'skipped'
  | 'rejected'
  | 'failed';

/**
 * How the trigger retries a write: the policy every invoked function shares
 * ({@link INVOCATION_RETRY}), per invocation and bounded by the deadline.
 */
export const TRIGGER_RETRY = INVOCATION_RETRY;

export type { DeadlineContext } from '../../shared/deadline.js';

/**
 * Reads a user's groups now (`AdminListGroupsForUser`), aborted by `signal`.
 * @returns the groups in the row's form, or `undefined` when the pool has no such user
 */
export type UserGroupsReader = (
  userPoolId: string,
  username: string,
  signal: AbortSignal,
) => Promise<UserGroups | undefined>;

/**
 * The share of the trigger's deadline the groups read may take (the write
 * gets the rest): Cognito waits 5 s at most for the trigger, and the row
 * matters more than its groups.
 */
export const GROUPS_READ_SHARE = 0.4;

/** Dependencies of the Post Confirmation handler. */
export interface PostConfirmationDependencies {
  /** Validated configuration. */
  readonly config: HandlerConfig;
  /** DynamoDB document client. */
  readonly client: DynamoDBDocumentClient;
  /** Structured logger. */
  readonly logger: Logger;
  /**
   * Metrics on a line of their own (one EMF line per invocation). A logger
   * built with `metrics` writes them in its log line instead (one write per
   * invocation, as the deployable function does): pass them one way, not both.
   * @default - none
   */
  readonly metrics?: MetricsEmitter;
  /** Retry settings (tests shorten them). @default {@link TRIGGER_RETRY} */
  readonly retry?: InvocationRetrySettings;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
  /**
   * Milliseconds after which the write is abandoned and the invocation rejects.
   * Cognito waits 5 s at most; the default leaves room for the cold start.
   * @default 3500
   */
  readonly deadlineMs?: number;
  /**
   * Reads the user's groups, when the row mapping keeps them
   * (`fields.groups`): an administrator may have added the user to groups
   * before the confirmation. A read that fails or takes longer than its
   * share of the deadline ({@link GROUPS_READ_SHARE}) leaves the row without
   * groups (logged): converge and reconcile fill them in.
   * @default - none: the row is written without groups
   */
  readonly readGroups?: UserGroupsReader;
}

/**
 * The Post Confirmation trigger: resolves with the event it receives (Cognito
 * requires it back). The event is typed as Cognito sends it
 * (`@types/aws-lambda`); the handler still checks it at run time, since
 * nothing guarantees its shape.
 */
export type PostConfirmationHandler = (
  event: PostConfirmationTriggerEvent,
  context?: DeadlineContext,
) => Promise<PostConfirmationTriggerEvent>;

export { DEFAULT_DEADLINE_MS } from '../../shared/deadline.js';

/**
 * Builds the Post Confirmation trigger: parse the event, decide, write the row
 * if it is missing, log one line carrying the invocation's metrics (or, with
 * `metrics`, a metrics line of its own), return the event unchanged.
 *
 * - `PostConfirmation_ConfirmSignUp` and `PostConfirmation_ConfirmForgotPassword`
 *   create the row the row mapping gives (`config.rowMapping`) when no row
 *   with that key exists; a row there without `sub` (written before this
 *   product) is adopted (`confirmRow`); any other existing row is never
 *   altered (retries and password resets are no-ops).
 * - When the row mapping keeps groups (`fields.groups`) and `readGroups` is
 *   given, the user's groups are read first, within {@link GROUPS_READ_SHARE}
 *   of the deadline, and written with the row; a failed read is logged
 *   (`post confirmation groups unread`) and the row is written without them.
 * - Other trigger sources write nothing and return the event, whatever its shape.
 * - A malformed Post Confirmation event rejects with `InvalidEventError`.
 * - A write that fails after its retries, or at the deadline, is logged as an
 *   error and counted (`WriteFailures`); with `onWriteFailure: 'continue'`
 *   (the default) the event is returned, with `'reject'` the invocation
 *   rejects with `TableWriteError`.
 *
 * Log lines carry the user's `sub` and a redacted username (see
 * `loggableUsername`), never an attribute value.
 */
export function createPostConfirmationHandler(
  deps: PostConfirmationDependencies,
): PostConfirmationHandler {
  const { config, client, logger } = deps;
  const metrics = deps.metrics ?? NO_METRICS;
  const now = deps.now ?? (() => new Date());
  const reject = config.onWriteFailure === 'reject';
  const table = {
    client,
    tableName: config.tableName,
    keyAttribute: config.keyAttribute,
    rowMapping: rowMappingOf(config),
  };
  const readGroups = table.rowMapping.fields.groups === undefined ? undefined : deps.readGroups;

  return async (
    event: PostConfirmationTriggerEvent,
    context?: DeadlineContext,
  ): Promise<PostConfirmationTriggerEvent> => {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const source = readTriggerSource(event);
    if (source !== undefined && decideAction(source) === 'skip') {
      logger.info('post confirmation skipped', {
        triggerSource: source,
        outcome: 'skipped',
        durationMs: elapsed(),
      });
      return event;
    }
    let user: ReturnType<typeof parseConfirmedUser>;
    try {
      user = parseConfirmedUser(event);
    } catch (error) {
      logger.error('post confirmation rejected', {
        outcome: 'rejected',
        error: errorMessage(error),
        durationMs: elapsed(),
      });
      throw error;
    }
    const fields = {
      sub: user.userAttributes.sub,
      username: loggableUsername(user.userName),
      userPoolId: user.userPoolId,
      triggerSource: user.triggerSource,
    };
    const deadline = deadlineFor(deps.deadlineMs ?? DEFAULT_DEADLINE_MS, context);
    // The row converge would create for this user: enabled, with the event's status.
    let state = triggeredUserState(user);
    if (readGroups) {
      const budget = Math.max(1, Math.round(deadline * GROUPS_READ_SHARE));
      try {
        const groups = await withDeadline(
          budget,
          () =>
            new UserPoolReadError(
              `could not read the user's groups within ${budget} ms (AdminListGroupsForUser)`,
            ),
          (signal) => readGroups(user.userPoolId, user.userName, signal),
        );
        if (groups !== undefined) state = { ...state, groups };
      } catch (error) {
        // Fail-open: the row matters more than its groups, which converge and reconcile fill in.
        logger.warn('post confirmation groups unread', {
          ...fields,
          error: errorMessage(error),
          durationMs: elapsed(),
        });
      }
    }
    const writtenAt = now();
    let retries = 0;
    let lostAnswer = false;
    try {
      const written = await retryWithinDeadline(
        (abortSignal) =>
          confirmRow(table, state, { source: user.triggerSource, now: writtenAt, abortSignal }),
        {
          deadlineMs: Math.max(1, deadline - elapsed()),
          onTimeout: () =>
            new TableWriteError(
              `could not write the user's row to table "${config.tableName}": no answer from DynamoDB within ${deadline} ms`,
            ),
          retry: deps.retry,
          onRetry: (error) => {
            retries++;
            if (mayHaveLanded(error)) lostAnswer = true;
          },
        },
      );
      const outcome: InvocationOutcome =
        written === 'already-present' && lostAnswer ? 'created-or-present' : written;
      const durationMs = elapsed();
      const values = {
        [METRIC.rowsCreated]: outcome === 'created' ? 1 : 0,
        // An adopted row was there already: it is counted as present.
        [METRIC.rowsAlreadyPresent]: outcome === 'already-present' || outcome === 'adopted' ? 1 : 0,
        [METRIC.rowsCreatedOrPresent]: outcome === 'created-or-present' ? 1 : 0,
        [METRIC.writeFailures]: 0,
        [METRIC.writeRetries]: retries,
        [METRIC.duration]: durationMs,
      };
      logger.info('post confirmation handled', { ...fields, outcome, retries, durationMs }, values);
      metrics.emit(values);
      return event;
    } catch (error) {
      const durationMs = elapsed();
      const values = {
        [METRIC.rowsCreated]: 0,
        [METRIC.rowsAlreadyPresent]: 0,
        [METRIC.rowsCreatedOrPresent]: 0,
        [METRIC.writeFailures]: 1,
        [METRIC.writeRetries]: retries,
        [METRIC.duration]: durationMs,
      };
      logger.error(
        'post confirmation failed',
        {
          ...fields,
          outcome: 'failed',
          error: errorMessage(error),
          retries,
          onWriteFailure: reject ? 'reject' : 'continue',
          durationMs,
        },
        values,
      );
      metrics.emit(values);
      if (reject) throw error;
      return event;
    }
  };
}
