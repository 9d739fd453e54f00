import {
  COGNITO_ENDPOINT_VARIABLES,
  checkEndpointVariables,
  DYNAMODB_ENDPOINT_VARIABLES,
  type LogLevel,
  parseLogLevel,
} from '../domain/config.js';
import type { ReconcileConfig } from './config.js';
import { environmentSource, parseReconcileSettings } from './settings.js';

/** The scheduled reconcile function's configuration, read once at cold start. */
export interface ScheduledReconcileConfig extends ReconcileConfig {
  /** Minimum level of log lines written. */
  readonly logLevel: LogLevel;
}

/**
 * Reads and validates the scheduled reconcile function's configuration: each
 * setting of `RECONCILE_SETTINGS` from its environment variable (`USER_POOL_ID`,
 * `TABLE_NAME`, `LIST_RATE`…), plus `LOG_LEVEL` (`debug`, `info`, `warn`,
 * `error`, `silent`; default `info`).
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
  return {
    ...parseReconcileSettings(environmentSource(env)),
    logLevel: parseLogLevel(env.LOG_LEVEL, 'LOG_LEVEL'),
  };
}
