import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { lambdaEnvironmentCredentials } from '../../aws/lambdaCredentials.js';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import { readHandlerConfig } from '../../domain/triggerConfig.js';
import type { DeadlineContext } from '../../shared/deadline.js';
import type { InvocationRetrySettings } from '../../shared/invocationRetry.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { createPostConfirmationHandler } from './postConfirmation.js';

/** A Post Confirmation handler of your own, as {@link withUserSync} wraps it. */
export type UserPostConfirmationHandler<
  TEvent extends PostConfirmationTriggerEvent,
  TContext,
  TResult,
> = (event: TEvent, context: TContext) => TResult | Promise<TResult>;

/** Options of {@link withUserSync}; every one has the trigger's default. */
export interface WithUserSyncOptions {
  /**
   * Where the configuration is read from: the trigger's variables
   * (`TABLE_NAME`, `KEY_ATTRIBUTE`, `USER_ATTRIBUTES`, `LOG_LEVEL`,
   * `ON_WRITE_FAILURE`, `ROW_MAPPING`), which the construct sets on the
   * function given as `postConfirmationFunction`.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * DynamoDB document client. @default - one attempt per call (the sync
   *   retries within its deadline), credentials from the execution role's
   *   variables, as the trigger's
   */
  readonly client?: DynamoDBDocumentClient;
  /** Logger of the sync's one line per invocation. @default - JSON lines on stdout carrying the metrics, as the trigger's */
  readonly logger?: Logger;
  /**
   * Milliseconds the row write may take (shortened to what the Lambda
   * context has left); your handler runs after it. Lower it to leave your
   * code more of Cognito's 5 seconds.
   * @default 3500
   */
  readonly deadlineMs?: number;
  /** Retry settings of the write (tests shorten them). @default - the trigger's */
  readonly retry?: InvocationRetrySettings;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
}

/**
 * Runs the sync inside your own Post Confirmation function: the returned
 * handler first writes the confirmed user's row, exactly as this package's
 * trigger does (same configuration from the environment, `ROW_MAPPING`
 * included; same retries within the deadline; same log line and metrics),
 * then calls `handler` with the same event and context and returns its
 * result.
 *
 * Fail-open as the trigger is: with `ON_WRITE_FAILURE=continue` (the
 * default), a row that cannot be written (or an event the sync cannot read)
 * is logged and counted and `handler` runs all the same; the row is written
 * later by reconcile. With `reject`, the invocation fails before `handler`,
 * as the trigger's would. Other trigger sources write nothing. An error of
 * `handler` is its own: it is returned to Cognito as is.
 *
 * The configuration is read when `withUserSync` is called (at cold start,
 * in the module's scope): a missing or invalid variable throws a
 * `ConfigError` naming it, `ROW_MAPPING` a `RowMappingError` naming the path.
 *
 * @example
 * import { withUserSync } from 'cognito-user-sync';
 * export const handler = withUserSync(async (event) => {
 *   await sendWelcomeEmail(event.request.userAttributes.email);
 *   return event;
 * });
 */
export function withUserSync<TEvent extends PostConfirmationTriggerEvent, TContext, TResult>(
  handler: UserPostConfirmationHandler<TEvent, TContext, TResult>,
  options: WithUserSyncOptions = {},
): (event: TEvent, context: TContext) => Promise<TResult> {
  const env = options.env ?? process.env;
  // ROW_MAPPING included, resolved as every function resolves it.
  const config = readHandlerConfig(env);
  const sync = createPostConfirmationHandler({
    config,
    // One attempt per SDK call: the sync retries on its own, within its deadline.
    client:
      options.client ??
      createDynamoDocumentClient({
        maxAttempts: 1,
        credentials: lambdaEnvironmentCredentials(env),
      }),
    logger:
      options.logger ??
      createLogger({
        level: config.logLevel,
        base: { service: 'cognito-user-sync' },
        metrics: createMetrics(),
      }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const rejects = config.onWriteFailure === 'reject';

  return async (event: TEvent, context: TContext): Promise<TResult> => {
    try {
      // The deadline reads the context's remaining time when it can (a bare {} leaves the default).
      await sync(event, (context ?? undefined) as DeadlineContext | undefined);
    } catch (error) {
      // Already logged by the sync (rejected event or failed write).
      if (rejects) throw error;
    }
    return handler(event, context);
  };
}
