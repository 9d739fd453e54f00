import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DELETION_EVENT_NAMES, parseChangeSignal } from '../../domain/changeSignal.js';
import type { ChangeSignalConfig } from '../../domain/changeSignalConfig.js';
import { isGroupSignalEvent, parseGroupSignal } from '../../domain/groupSignal.js';
import { type DeadlineContext, deadlineFor } from '../../shared/deadline.js';
import { UserPoolReadError } from '../../shared/errors.js';
import { errorMessage } from '../../shared/failure.js';
import {
  type INVOCATION_RETRY,
  type InvocationRetrySettings,
  retryWithinDeadline,
} from '../../shared/invocationRetry.js';
import type { Logger } from '../../shared/logger.js';
import { METRIC, type MetricsEmitter, NO_METRICS } from '../../shared/metrics.js';
import { createRateLimiter, type RateLimiter } from '../../shared/rateLimiter.js';
import { loggableUsername } from '../../shared/redact.js';
import { isRecord } from '../../shared/values.js';
import { convergeUser, type RowOutcome } from '../converge/convergeUser.js';
import {
  convergeGroupSignal,
  GROUP_DELETION_RATE_PER_SECOND,
  GROUPS_OFF_REASON,
  groupsAreKept,
} from './groupSignal.js';

/**
 * Default deadline of one change signal, in milliseconds: inside the
 * function's 30-second timeout, and shortened to what the Lambda context has
 * left.
 */
export const CHANGE_SIGNAL_DEADLINE_MS = 20_000;

/** Dependencies of the change-signal handler. */
export interface ChangeSignalDependencies {
  /** Validated configuration. */
  readonly config: ChangeSignalConfig;
  /** Cognito client (AdminGetUser, ListUsers). */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client. */
  readonly client: DynamoDBDocumentClient;
  /** Structured logger. */
  readonly logger: Logger;
  /** Metrics (one EMF line per converged signal: `UnresolvedSignals`, `Duration`). @default - none */
  readonly metrics?: MetricsEmitter;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
  /** Milliseconds after which the work is abandoned and the invocation rejects. @default 20000 */
  readonly deadlineMs?: number;
  /** Retry settings (tests shorten them). @default {@link INVOCATION_RETRY} */
  readonly retry?: InvocationRetrySettings;
  /**
   * Paces the users converged after a group is deleted.
   * @default - {@link GROUP_DELETION_RATE_PER_SECOND} users per second
   */
  readonly groupDeletionLimiter?: RateLimiter;
}

/** What one event led to. */
export interface ChangeSignalResult {
  /** `converged`, or `ignored` (with the reason) when the event names no user of this pool. */
  readonly status: 'converged' | 'ignored';
  /** Why the event was ignored. */
  readonly reason?: string;
  /** One outcome per row converged. */
  readonly rows: readonly RowOutcome[];
  /** After a group's deletion: its members' rows not converged before the deadline, left to reconcile. */
  readonly left?: number;
}

/** A Lambda handler for EventBridge events. */
export type ChangeSignalHandler = (
  event: unknown,
  context?: Partial<DeadlineContext>,
) => Promise<ChangeSignalResult>;

/**
 * Builds the change-signal function: for each CloudTrail event of a user
 * pool call (update, delete, disable/enable, confirm, create), it converges
 * the user the event names (`convergeUser`): the user's state is read from
 * Cognito, never taken from the event. When the row mapping keeps groups
 * (`fields.groups`), group calls are signals too: a user added to or removed
 * from a group is converged, and a deleted group's members (the rows that
 * hold it) are converged, paced, within the deadline (see
 * `convergeGroupSignal`); when it does not, they are ignored with a reason. Events of another pool, failed calls,
 * and events that name no user are logged and ignored. A signal whose user
 * nothing identifies (an alias that changed, no `sub`) is logged as
 * `change signal unresolved` and counted (`UnresolvedSignals`). Transient
 * failures are retried within the invocation ({@link INVOCATION_RETRY}), up to
 * its deadline ({@link CHANGE_SIGNAL_DEADLINE_MS}, or less when the Lambda
 * context has less left).
 *
 * @throws the underlying error when Cognito or DynamoDB fails, so that
 *   Lambda retries the event (converging twice is harmless)
 */
export function createChangeSignalHandler(deps: ChangeSignalDependencies): ChangeSignalHandler {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? NO_METRICS;
  const convergeDeps = {
    cognito: deps.cognito,
    userPoolId: config.userPoolId,
    table: { client: deps.client, tableName: config.tableName, keyAttribute: config.keyAttribute },
    mapping: config,
    onDeleted: config.onDeleted,
    subIndexName: config.subIndexName,
    ...(config.deletedRows ? { deletedRows: config.deletedRows } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  };
  const groupContext = {
    converge: convergeDeps,
    logger,
    limiter:
      deps.groupDeletionLimiter ??
      createRateLimiter({ ratePerSecond: GROUP_DELETION_RATE_PER_SECOND }),
    retry: deps.retry,
  };
  const logRows = (eventName: string, rows: readonly RowOutcome[], durationMs: number) => {
    for (const row of rows) {
      if (row.outcome === 'unresolved') {
        // Never the name itself: it may be an e-mail address or a phone number.
        logger.warn('change signal unresolved', {
          eventName,
          outcome: row.outcome,
          reason: 'the name resolves to no user and no row, and the event carries no sub',
          durationMs,
        });
        continue;
      }
      logger.info('change signal converged', {
        eventName,
        username: row.key === undefined ? undefined : loggableUsername(row.key),
        outcome: row.outcome,
        durationMs,
      });
    }
    metrics.emit({
      [METRIC.unresolvedSignals]: rows.some((row) => row.outcome === 'unresolved') ? 1 : 0,
      [METRIC.duration]: durationMs,
    });
  };
  const groupSignal: ChangeSignalHandler = async (event, context) => {
    const started = performance.now();
    const signal = parseGroupSignal(event);
    const named = isRecord(event) && isRecord(event.detail) ? event.detail.eventName : undefined;
    const eventName = typeof named === 'string' ? named : undefined;
    const ignore = (reason: string): ChangeSignalResult => {
      logger.info('change signal ignored', { eventName, reason });
      return { status: 'ignored', reason, rows: [] };
    };
    if (!groupsAreKept(convergeDeps)) return ignore(GROUPS_OFF_REASON);
    if (signal.kind === 'ignored') return ignore(signal.reason);
    if (signal.userPoolId !== undefined && signal.userPoolId !== config.userPoolId) {
      return ignore('the call is about another user pool');
    }
    try {
      const deadline = deadlineFor(deps.deadlineMs ?? CHANGE_SIGNAL_DEADLINE_MS, context);
      const { rows, left } = await convergeGroupSignal(groupContext, signal, deadline);
      logRows(signal.eventName, rows, Math.round(performance.now() - started));
      return { status: 'converged', rows, ...(signal.kind === 'group-deleted' ? { left } : {}) };
    } catch (error) {
      logger.error('change signal failed', {
        eventName: signal.eventName,
        error: errorMessage(error),
        durationMs: Math.round(performance.now() - started),
      });
      throw error;
    }
  };
  return async (event, context) => {
    if (isGroupSignalEvent(event)) return groupSignal(event, context);
    const started = performance.now();
    const signal = parseChangeSignal(event);
    if (signal.kind === 'ignored') {
      logger.info('change signal ignored', { eventName: signal.eventName, reason: signal.reason });
      return { status: 'ignored', reason: signal.reason, rows: [] };
    }
    if (signal.userPoolId !== undefined && signal.userPoolId !== config.userPoolId) {
      const reason = 'the call is about another user pool';
      logger.info('change signal ignored', { eventName: signal.eventName, reason });
      return { status: 'ignored', reason, rows: [] };
    }
    try {
      const deadline = deadlineFor(deps.deadlineMs ?? CHANGE_SIGNAL_DEADLINE_MS, context);
      // Converging again after a transient failure is harmless: each write is conditional.
      const rows = await retryWithinDeadline(
        (abortSignal) =>
          convergeUser(convergeDeps, signal.user, {
            abortSignal,
            userRemains: !DELETION_EVENT_NAMES.includes(signal.eventName),
          }),
        {
          deadlineMs: deadline,
          onTimeout: () =>
            new UserPoolReadError(
              `could not converge the user of a ${signal.eventName} call within ${deadline} ms`,
            ),
          retry: deps.retry,
        },
      );
      logRows(signal.eventName, rows, Math.round(performance.now() - started));
      return { status: 'converged', rows };
    } catch (error) {
      logger.error('change signal failed', {
        eventName: signal.eventName,
        error: errorMessage(error),
        durationMs: Math.round(performance.now() - started),
      });
      throw error;
    }
  };
}
