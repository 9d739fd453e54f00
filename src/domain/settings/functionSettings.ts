/**
 * The settings every function reads (the table, its key, the allowlist, the
 * log level) and the Post Confirmation trigger's. See `index.ts` for every
 * family, and `src/shared/settings.ts` for what a declaration holds.
 */
import { LOG_LEVELS } from '../../shared/logger.js';
import { METRICS_SETTING } from '../../shared/metrics.js';
import { parseDynamoName, parseEnum } from '../../shared/parse.js';
import { defineSetting } from '../../shared/settings.js';
import {
  DEFAULT_KEY_ATTRIBUTE,
  parseAttributeList,
  parseKeyAttribute,
  WRITE_FAILURE_MODES,
} from '../config.js';
import { readRowMapping } from '../rowMapping/readRowMapping.js';

export { METRICS_SETTING } from '../../shared/metrics.js';

// A function's bundle holds the settings of the modules it imports, and of
// those only the ones its lists name: declarations and lists use neither
// spreads nor calls but pure-annotated ones, which would keep them all.

/** `TABLE_NAME`: the table to write. */
export const TABLE_NAME_SETTING = /* @__PURE__ */ defineSetting({
  key: 'tableName',
  env: 'TABLE_NAME',
  type: 'string',
  flag: { name: 'table', placeholder: '<name>', help: 'table to fill', fallsBackToEnv: true },
  doc: 'the table to write',
  defaultText: 'required',
  families: ['postConfirmation', 'postAuthentication', 'changeSignal', 'scheduledReconcile', 'cli'],
  parse: (value, source) => parseDynamoName(value, source, 'the DynamoDB table name'),
});

/** `KEY_ATTRIBUTE`: the table's partition key attribute. */
export const KEY_ATTRIBUTE_SETTING = /* @__PURE__ */ defineSetting({
  key: 'keyAttribute',
  env: 'KEY_ATTRIBUTE',
  type: 'string',
  flag: { name: 'key-attribute', placeholder: '<name>', help: "the table's partition key" },
  doc: "the table's partition key (a string attribute holding the username); not one of the row's own fields",
  defaultText: DEFAULT_KEY_ATTRIBUTE,
  families: ['postConfirmation', 'postAuthentication', 'changeSignal', 'scheduledReconcile', 'cli'],
  parse: parseKeyAttribute,
});

/** `USER_ATTRIBUTES`: the attribute allowlist. */
export const USER_ATTRIBUTES_SETTING = /* @__PURE__ */ defineSetting({
  key: 'userAttributes',
  env: 'USER_ATTRIBUTES',
  type: 'string',
  flag: { name: 'attributes', placeholder: '<a,b,...>', help: 'attributes copied into rows' },
  doc: 'comma-separated allowlist of the attributes copied into `attributes`, e.g. `email,given_name,custom:plan`',
  defaultText: 'all but cognito:*',
  families: ['postConfirmation', 'postAuthentication', 'changeSignal', 'scheduledReconcile', 'cli'],
  parse: parseAttributeList,
  format: (names) => names?.join(','),
});

/** `LOG_LEVEL`: the functions' minimum log level. */
export const LOG_LEVEL_SETTING = /* @__PURE__ */ defineSetting({
  key: 'logLevel',
  env: 'LOG_LEVEL',
  type: 'string',
  doc: /* @__PURE__ */ LOG_LEVELS.join(', '),
  defaultText: 'info',
  families: ['postConfirmation', 'postAuthentication', 'changeSignal', 'scheduledReconcile'],
  parse: (value, source) => parseEnum(value, source, LOG_LEVELS, 'info'),
});

/**
 * `ROW_MAPPING`: how a user becomes a row, as a row-mapping document (JSON
 * text; for the command line also the path of a JSON file). The text is kept
 * as given: each reader resolves it with `readRowMapping`, which needs the
 * key attribute and the allowlist read next to it.
 */
export const ROW_MAPPING_SETTING = /* @__PURE__ */ defineSetting({
  key: 'rowMapping',
  env: 'ROW_MAPPING',
  type: 'string',
  flag: {
    name: 'row-mapping',
    placeholder: '<file or JSON>',
    help: 'how a user becomes a row (docs/row-mapping.md)',
    fallsBackToEnv: true,
  },
  doc: 'the row mapping, a JSON document (see [row mapping](../row-mapping.md)); for the command line also the path of a JSON file',
  defaultText: '`{}`: the default row',
  families: ['postConfirmation', 'postAuthentication', 'changeSignal', 'scheduledReconcile', 'cli'],
  // Checked here, so that a bad document names the variable at once; each
  // reader resolves it again with the key attribute and allowlist beside it.
  parse: (value, source) => {
    const text = value?.trim();
    if (!text) return undefined;
    readRowMapping(text, { source });
    return text;
  },
});

/** `ON_WRITE_FAILURE`: what the confirmation trigger does when its write fails. */
export const ON_WRITE_FAILURE_SETTING = /* @__PURE__ */ defineSetting({
  key: 'onWriteFailure',
  env: 'ON_WRITE_FAILURE',
  type: 'string',
  doc: 'Post Confirmation only: `continue` (log, count, return the event) or `reject` (fail the invocation) when the row cannot be written',
  defaultText: 'continue',
  families: ['postConfirmation'],
  parse: (value, source) => parseEnum(value, source, WRITE_FAILURE_MODES, 'continue'),
});

/** The Post Confirmation trigger's settings. */
export const POST_CONFIRMATION_SETTINGS = [
  TABLE_NAME_SETTING,
  KEY_ATTRIBUTE_SETTING,
  USER_ATTRIBUTES_SETTING,
  LOG_LEVEL_SETTING,
  ON_WRITE_FAILURE_SETTING,
  METRICS_SETTING,
  ROW_MAPPING_SETTING,
] as const;
