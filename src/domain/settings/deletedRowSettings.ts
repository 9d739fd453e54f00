/**
 * The settings of a marked row's erasure and retention, and the Post
 * Authentication trigger's (which restores marked rows).
 */
import { parseBoolean } from '../../shared/parse.js';
import { defineSetting } from '../../shared/settings.js';
import {
  DEFAULT_TIME_TO_LIVE_ATTRIBUTE,
  MAX_RETENTION_DAYS,
  parseRetentionDays,
  parseTimeToLiveAttribute,
} from '../deletedRows.js';
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

/** `RETAIN_PERSONAL_DATA_OF_DELETED_USERS`: the legal hold. */
export const RETAIN_PERSONAL_DATA_SETTING = /* @__PURE__ */ defineSetting({
  key: 'retainPersonalDataOfDeletedUsers',
  env: 'RETAIN_PERSONAL_DATA_OF_DELETED_USERS',
  type: 'boolean',
  flag: { name: 'retain-personal-data-of-deleted-users' },
  doc: "keep the e-mail address, `emailVerified`, the `attributes` map and `lastSignInAt` on a deleted user's marked row (a legal hold); by default marking erases them",
  defaultText: 'false',
  families: ['postAuthentication', 'changeSignal', 'scheduledReconcile', 'cli'],
  parse: parseBoolean,
  format: (retain) => (retain ? 'true' : undefined),
});

/** `DELETED_ROW_RETENTION_DAYS`: how long a marked row is kept. */
export const DELETED_ROW_RETENTION_SETTING = /* @__PURE__ */ defineSetting({
  key: 'deletedRowRetentionDays',
  env: 'DELETED_ROW_RETENTION_DAYS',
  type: 'string',
  flag: { name: 'deleted-row-retention-days', placeholder: '<days>' },
  doc: `days, 1-${MAX_RETENTION_DAYS}, after which DynamoDB's Time to Live deletes a marked row (its expiry is written when it is marked)`,
  defaultText: 'none: marked rows stay',
  families: ['postAuthentication', 'changeSignal', 'scheduledReconcile', 'cli'],
  parse: parseRetentionDays,
});

/** `TIME_TO_LIVE_ATTRIBUTE`: the row's Time to Live attribute. */
export const TIME_TO_LIVE_ATTRIBUTE_SETTING = /* @__PURE__ */ defineSetting({
  key: 'timeToLiveAttribute',
  env: 'TIME_TO_LIVE_ATTRIBUTE',
  type: 'string',
  flag: { name: 'time-to-live-attribute', placeholder: '<name>' },
  doc: "the row's Time to Live attribute (a number of epoch seconds), set on marking and removed when the user comes back; enable TTL on the table with this attribute",
  defaultText: `${DEFAULT_TIME_TO_LIVE_ATTRIBUTE} with a retention, else none`,
  families: ['postAuthentication', 'changeSignal', 'scheduledReconcile', 'cli'],
  parse: parseTimeToLiveAttribute,
});

/** The settings of a marked row's erasure and retention. */
export const DELETED_ROW_SETTINGS = [
  RETAIN_PERSONAL_DATA_SETTING,
  DELETED_ROW_RETENTION_SETTING,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
] as const;

/** The Post Authentication (sign-in) trigger's settings. */
export const POST_AUTHENTICATION_SETTINGS = [
  TABLE_NAME_SETTING,
  KEY_ATTRIBUTE_SETTING,
  USER_ATTRIBUTES_SETTING,
  LOG_LEVEL_SETTING,
  RETAIN_PERSONAL_DATA_SETTING,
  DELETED_ROW_RETENTION_SETTING,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
  ROW_MAPPING_SETTING,
] as const;
