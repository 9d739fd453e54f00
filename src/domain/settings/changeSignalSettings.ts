/** The change-signal function's own settings (the pool, deleted users, the `sub` index) and its family. */
import { parseDynamoName, parseEnum } from '../../shared/parse.js';
import { defineSetting } from '../../shared/settings.js';
import { DELETED_USER_MODES } from '../converge.js';
import { parseUserPoolId } from '../reconcileConfig.js';
import {
  DELETED_ROW_RETENTION_SETTING,
  RETAIN_PERSONAL_DATA_SETTING,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
} from './deletedRowSettings.js';
import {
  KEY_ATTRIBUTE_SETTING,
  LOG_LEVEL_SETTING,
  ROW_MAPPING_SETTING,
  TABLE_NAME_SETTING,
  USER_ATTRIBUTES_SETTING,
} from './functionSettings.js';

// A function's bundle holds the settings of the modules it imports, and of
// those only the ones its lists name: declarations and lists use neither
// spreads nor calls but pure-annotated ones, which would keep them all.

/** `USER_POOL_ID`: the pool. */
export const USER_POOL_ID_SETTING = /* @__PURE__ */ defineSetting({
  key: 'userPoolId',
  env: 'USER_POOL_ID',
  type: 'string',
  flag: {
    name: 'user-pool-id',
    placeholder: '<id>',
    help: 'user pool to list',
    fallsBackToEnv: true,
  },
  doc: 'the user pool whose users get rows (the change-signal function ignores signals from other pools)',
  defaultText: 'required',
  families: ['changeSignal', 'scheduledReconcile', 'cli'],
  parse: parseUserPoolId,
});

/** `ON_DELETED`: what the change-signal function does with a deleted user's row. */
export const ON_DELETED_SETTING = /* @__PURE__ */ defineSetting({
  key: 'onDeleted',
  env: 'ON_DELETED',
  type: 'string',
  doc: '`mark` (set `deletedAt`) or `delete` the row of a deleted user',
  defaultText: 'mark',
  families: ['changeSignal'],
  parse: (value, source) => parseEnum(value, source, DELETED_USER_MODES, 'mark'),
});

/** `SUB_INDEX`: the table's index keyed by `sub`. */
export const SUB_INDEX_SETTING = /* @__PURE__ */ defineSetting({
  key: 'subIndexName',
  env: 'SUB_INDEX',
  type: 'string',
  doc: "a global secondary index keyed by `sub`, to find a deleted user's row by `sub`",
  defaultText: 'none',
  families: ['changeSignal'],
  parse: (value, source) => parseDynamoName(value, source),
});

/** The change-signal function's settings. */
export const CHANGE_SIGNAL_SETTINGS = [
  TABLE_NAME_SETTING,
  KEY_ATTRIBUTE_SETTING,
  USER_ATTRIBUTES_SETTING,
  LOG_LEVEL_SETTING,
  RETAIN_PERSONAL_DATA_SETTING,
  DELETED_ROW_RETENTION_SETTING,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
  USER_POOL_ID_SETTING,
  ON_DELETED_SETTING,
  SUB_INDEX_SETTING,
  ROW_MAPPING_SETTING,
] as const;
