import type { LogLevel } from '../shared/logger.js';
import {
  COGNITO_ENDPOINT_VARIABLES,
  checkEndpointVariables,
  DYNAMODB_ENDPOINT_VARIABLES,
} from './config.js';
import type { ReconcileConfig } from './reconcileConfig.js';
import { environmentSource, parseReconcileSettings } from './reconcileSettings.js';
import { LOG_LEVEL_SETTING } from './settings/functionSettings.js';
import { STATE_TABLE_NAME_SETTING } from './settings/runSettings.js';

/** The scheduled reconcile function's configuration, read once at cold start. */
export interface ScheduledReconcileConfig extends ReconcileConfig {
  /** Minimum level of log lines written. */
  readonly logLevel: LogLevel;
  /** The state table where a run that needs several invocations is kept; absent: one run per invocation. */
  readonly stateTableName?: string;
}

/**
 * Reads and validates the scheduled reconcile function's configuration
 * (`SCHEDULED_RECONCILE_SETTINGS`): each reconcile setting from its
 * environment variable (`USER_POOL_ID`, `TABLE_NAME`, `LIST_RATE`…), plus
 * `LOG_LEVEL` and `STATE_TABLE_NAME` (optional: the table where a run that
 * needs several invocations keeps its state).
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
  const stateTableName = STATE_TABLE_NAME_SETTING.parse(
    env[STATE_TABLE_NAME_SETTING.env],
    STATE_TABLE_NAME_SETTING.env,
  );
  return {
    ...parseReconcileSettings(environmentSource(env)),
    logLevel: LOG_LEVEL_SETTING.parse(env[LOG_LEVEL_SETTING.env], LOG_LEVEL_SETTING.env),
    ...(stateTableName ? { stateTableName } : {}),
  };
}
