import { ConfigError } from '../shared/errors.js';
import type { LogLevel } from '../shared/logger.js';
import {
  COGNITO_ENDPOINT_VARIABLES,
  checkEndpointVariables,
  DYNAMODB_ENDPOINT_VARIABLES,
  parseLogLevel,
} from './config.js';
import type { ReconcileConfig } from './reconcileConfig.js';
import { environmentSource, parseReconcileSettings } from './reconcileSettings.js';

/** The scheduled reconcile function's configuration, read once at cold start. */
export interface ScheduledReconcileConfig extends ReconcileConfig {
  /** Minimum level of log lines written. */
  readonly logLevel: LogLevel;
  /** The state table where a run that needs several invocations is kept; absent: one run per invocation. */
  readonly stateTableName?: string;
}

/**
 * Reads and validates the scheduled reconcile function's configuration: each
 * setting of `RECONCILE_SETTINGS` from its environment variable (`USER_POOL_ID`,
 * `TABLE_NAME`, `LIST_RATE`…), plus `LOG_LEVEL` (`debug`, `info`, `warn`,
 * `error`, `silent`; default `info`), and `STATE_TABLE_NAME` (optional: the
 * table where a run that needs several invocations keeps its state).
 *
 * The endpoint variables (`AWS_ENDPOINT_URL_DYNAMODB`,
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, `AWS_ENDPOINT_URL`) are
 * checked too when set.
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readScheduledReconcileConfig(
  env: NodeJS.ProcessEnv = process.env,
): ScheduledReconcileConfig {
  checkEndpointVariables(env, [...DYNAMODB_ENDPOINT_VARIABLES, ...COGNITO_ENDPOINT_VARIABLES]);
  const stateTableName = env.STATE_TABLE_NAME?.trim();
  if (stateTableName !== undefined && !TABLE_NAME_PATTERN.test(stateTableName)) {
    throw new ConfigError(
      `STATE_TABLE_NAME must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .), got "${env.STATE_TABLE_NAME}"`,
    );
  }
  return {
    ...parseReconcileSettings(environmentSource(env)),
    logLevel: parseLogLevel(env.LOG_LEVEL, 'LOG_LEVEL'),
    ...(stateTableName ? { stateTableName } : {}),
  };
}

const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
