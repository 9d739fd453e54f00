import { readEnvironment } from '../shared/settings.js';
import {
  checkEndpointVariables,
  DYNAMODB_ENDPOINT_VARIABLES,
  type HandlerConfig,
} from './config.js';
import { type DeletedRowPolicy, toDeletedRowPolicy } from './deletedRows.js';
import { resolveSettingsRowMapping } from './rowMapping/configMapping.js';
import {
  DELETED_ROW_SETTINGS,
  POST_AUTHENTICATION_SETTINGS,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
} from './settings/deletedRowSettings.js';
import { KEY_ATTRIBUTE_SETTING } from './settings/functionSettings.js';

/**
 * Reads the policy of marked rows from a function's environment
 * (`DELETED_ROW_SETTINGS`).
 *
 * @throws ConfigError naming the variable that is invalid
 */
export function readDeletedRowPolicy(
  env: NodeJS.ProcessEnv,
  keyAttribute: string,
): DeletedRowPolicy {
  return toDeletedRowPolicy(readEnvironment(DELETED_ROW_SETTINGS, env), keyAttribute, {
    timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE_SETTING.env,
    keyAttribute: KEY_ATTRIBUTE_SETTING.env,
  });
}

/** The Post Authentication trigger's configuration: the mapping, and the policy a restore undoes. */
export interface SignInConfig {
  /** Table, key, allowlist and log level. */
  readonly config: HandlerConfig;
  /** Erasure and retention of marked rows (a restore removes the Time to Live attribute). */
  readonly deletedRows: DeletedRowPolicy;
}

/**
 * Reads the Post Authentication trigger's configuration
 * (`POST_AUTHENTICATION_SETTINGS`), after checking the DynamoDB endpoint variables.
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readSignInConfig(env: NodeJS.ProcessEnv = process.env): SignInConfig {
  checkEndpointVariables(env, DYNAMODB_ENDPOINT_VARIABLES);
  const {
    retainPersonalDataOfDeletedUsers,
    deletedRowRetentionDays,
    timeToLiveAttribute,
    ...config
  } = readEnvironment(POST_AUTHENTICATION_SETTINGS, env);
  return {
    config: resolveSettingsRowMapping(config, Boolean(env.KEY_ATTRIBUTE?.trim())),
    deletedRows: toDeletedRowPolicy(
      { retainPersonalDataOfDeletedUsers, deletedRowRetentionDays, timeToLiveAttribute },
      config.keyAttribute,
      {
        timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE_SETTING.env,
        keyAttribute: KEY_ATTRIBUTE_SETTING.env,
      },
    ),
  };
}
