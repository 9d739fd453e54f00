import { readEnvironment } from '../shared/settings.js';
import {
  COGNITO_ENDPOINT_VARIABLES,
  checkEndpointVariables,
  DYNAMODB_ENDPOINT_VARIABLES,
  type HandlerConfig,
} from './config.js';
import type { DeletedUserMode } from './converge.js';
import {
  type DeletedRowPolicy,
  isDefaultDeletedRowPolicy,
  toDeletedRowPolicy,
} from './deletedRows.js';
import { resolveSettingsRowMapping } from './rowMapping/configMapping.js';
import { CHANGE_SIGNAL_SETTINGS } from './settings/changeSignalSettings.js';
import { TIME_TO_LIVE_ATTRIBUTE_SETTING } from './settings/deletedRowSettings.js';
import { KEY_ATTRIBUTE_SETTING } from './settings/functionSettings.js';

/** The change-signal function's configuration, read once at cold start. */
export interface ChangeSignalConfig extends HandlerConfig {
  /** The pool whose users are converged. */
  readonly userPoolId: string;
  /** Mark or delete the row of a deleted user. */
  readonly onDeleted: DeletedUserMode;
  /** Global secondary index keyed by `sub`; `undefined` when the table has none. */
  readonly subIndexName: string | undefined;
  /**
   * Erasure and retention of marked rows (`DELETED_ROW_SETTINGS`).
   * @default DEFAULT_DELETED_ROW_POLICY - erase personal data, no expiry
   */
  readonly deletedRows?: DeletedRowPolicy;
}

/**
 * Reads the change-signal function's configuration (`CHANGE_SIGNAL_SETTINGS`:
 * the trigger's variables but `ON_WRITE_FAILURE`, plus `USER_POOL_ID`,
 * `ON_DELETED`, `SUB_INDEX` and the deleted-row settings), after checking the
 * DynamoDB and Cognito endpoint variables (this function reads the pool).
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readChangeSignalConfig(env: NodeJS.ProcessEnv = process.env): ChangeSignalConfig {
  checkEndpointVariables(env, COGNITO_ENDPOINT_VARIABLES);
  checkEndpointVariables(env, DYNAMODB_ENDPOINT_VARIABLES);
  const {
    retainPersonalDataOfDeletedUsers,
    deletedRowRetentionDays,
    timeToLiveAttribute,
    ...config
  } = readEnvironment(CHANGE_SIGNAL_SETTINGS, env);
  const deletedRows = toDeletedRowPolicy(
    { retainPersonalDataOfDeletedUsers, deletedRowRetentionDays, timeToLiveAttribute },
    config.keyAttribute,
    {
      timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE_SETTING.env,
      keyAttribute: KEY_ATTRIBUTE_SETTING.env,
    },
  );
  return {
    ...resolveSettingsRowMapping(config, Boolean(env.KEY_ATTRIBUTE?.trim())),
    ...(isDefaultDeletedRowPolicy(deletedRows) ? {} : { deletedRows }),
  };
}
