/**
 * Reconcile's settings: the run's (options of the construct's
 * `scheduledReconcile`), the command line's time limit, the scheduled
 * function's state table, and the reconcile families.
 */
import { METRICS_SETTING } from '../../shared/metrics.js';
import {
  parseBoolean,
  parseDynamoName,
  parseEnum,
  parseIntegerInRange,
} from '../../shared/parse.js';
import { defineSetting, type SettingValues } from '../../shared/settings.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LIST_RATE,
  DEFAULT_SCAN_SEGMENTS,
  DEFAULT_TIME_LIMIT_SECONDS,
  MAX_CONCURRENCY,
  MAX_LIST_CHAINS,
  MAX_LIST_RATE,
  MAX_SCAN_SEGMENTS,
  MIN_LIST_RATE,
  ORPHAN_MODES,
  parseRate,
  parseStatusList,
  parseTimeLimit,
} from '../reconcileConfig.js';
import { USER_POOL_ID_SETTING } from './changeSignalSettings.js';
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

/** `USER_STATUSES`: the statuses that get a row. */
export const STATUSES_SETTING = /* @__PURE__ */ defineSetting({
  key: 'statuses',
  env: 'USER_STATUSES',
  type: 'string',
  flag: { name: 'statuses', placeholder: '<S,...>' },
  doc: 'user statuses that get a row',
  defaultText: 'all but UNCONFIRMED',
  families: ['scheduledReconcile', 'cli'],
  parse: parseStatusList,
  format: (filter) => (filter && 'only' in filter ? filter.only.join(',') : undefined),
});

/** `INCLUDE_UNCONFIRMED`: give `UNCONFIRMED` users a row too. */
export const INCLUDE_UNCONFIRMED_SETTING = /* @__PURE__ */ defineSetting({
  key: 'includeUnconfirmed',
  env: 'INCLUDE_UNCONFIRMED',
  type: 'boolean',
  flag: { name: 'include-unconfirmed' },
  doc: 'give UNCONFIRMED users a row too',
  defaultText: 'false',
  families: ['scheduledReconcile', 'cli'],
  parse: parseBoolean,
});

/** `ORPHANS`: what happens to orphaned rows. */
export const ORPHANS_SETTING = /* @__PURE__ */ defineSetting({
  key: 'orphans',
  env: 'ORPHANS',
  type: 'string',
  flag: { name: 'orphans', placeholder: '<mode>' },
  doc: `rows whose user is gone: ${/* @__PURE__ */ ORPHAN_MODES.join(' | ')}`,
  defaultText: 'report',
  families: ['scheduledReconcile', 'cli'],
  parse: (value, source) => parseEnum(value, source, ORPHAN_MODES, 'report'),
});

/** `FAIL_ON_ORPHANS`: count orphans left in place as not converged. */
export const FAIL_ON_ORPHANS_SETTING = /* @__PURE__ */ defineSetting({
  key: 'failOnOrphans',
  env: 'FAIL_ON_ORPHANS',
  type: 'boolean',
  flag: { name: 'fail-on-orphans' },
  doc: 'fail (exit 1) when orphaned rows are left unmarked',
  defaultText: 'false',
  families: ['scheduledReconcile', 'cli'],
  parse: parseBoolean,
});

/** `CONCURRENCY`: writes in flight. */
export const CONCURRENCY_SETTING = /* @__PURE__ */ defineSetting({
  key: 'concurrency',
  env: 'CONCURRENCY',
  type: 'string',
  flag: { name: 'concurrency', placeholder: '<n>' },
  doc: `writes in flight, 1-${MAX_CONCURRENCY}`,
  defaultText: `${DEFAULT_CONCURRENCY}`,
  families: ['scheduledReconcile', 'cli'],
  parse: (value, source) =>
    parseIntegerInRange(value, source, {
      min: 1,
      max: MAX_CONCURRENCY,
      default: DEFAULT_CONCURRENCY,
    }),
});

/** `LIST_RATE`: ListUsers requests per second. */
export const LIST_RATE_SETTING = /* @__PURE__ */ defineSetting({
  key: 'listRate',
  env: 'LIST_RATE',
  type: 'string',
  flag: { name: 'list-rate', placeholder: '<n>' },
  doc: `ListUsers requests per second, ${MIN_LIST_RATE}-${MAX_LIST_RATE} (Cognito allows 30/s per account)`,
  defaultText: `${DEFAULT_LIST_RATE}`,
  families: ['scheduledReconcile', 'cli'],
  parse: (value, source) =>
    parseRate(value, source, { max: MAX_LIST_RATE, default: DEFAULT_LIST_RATE }),
});

/**
 * `LIST_CHAINS`: ListUsers pages in flight, an override. Its default (chosen
 * from the rate and the round trips) is the listing's own: `listPoolUsers`
 * applies it when no `chains` is given.
 */
export const LIST_CHAINS_SETTING = /* @__PURE__ */ defineSetting({
  key: 'listChains',
  env: 'LIST_CHAINS',
  type: 'string',
  flag: { name: 'list-chains', placeholder: '<n>' },
  doc: `ListUsers pages in flight, 1-${MAX_LIST_CHAINS}, an override: by default as many as reaching the list rate takes, measured from the round trips, over 16 shards by the first hex digit of sub; 1 lists the pool in one unfiltered chain (for a pool whose subs may not be hex)`,
  defaultText: 'chosen from the rate and the round trips',
  families: ['scheduledReconcile', 'cli'],
  parse: (value, source) =>
    value === undefined || value.trim() === ''
      ? undefined
      : parseIntegerInRange(value, source, { min: 1, max: MAX_LIST_CHAINS, default: 1 }),
});

/** `SCAN_SEGMENTS`: parallel Scan segments. */
export const SCAN_SEGMENTS_SETTING = /* @__PURE__ */ defineSetting({
  key: 'scanSegments',
  env: 'SCAN_SEGMENTS',
  type: 'string',
  flag: { name: 'scan-segments', placeholder: '<n>' },
  doc: `parallel Scan segments, 1-${MAX_SCAN_SEGMENTS}`,
  defaultText: `${DEFAULT_SCAN_SEGMENTS}`,
  families: ['scheduledReconcile', 'cli'],
  parse: (value, source) =>
    parseIntegerInRange(value, source, {
      min: 1,
      max: MAX_SCAN_SEGMENTS,
      default: DEFAULT_SCAN_SEGMENTS,
    }),
});

/** `DRY_RUN`: plan only. */
export const DRY_RUN_SETTING = /* @__PURE__ */ defineSetting({
  key: 'dryRun',
  env: 'DRY_RUN',
  type: 'boolean',
  flag: { name: 'dry-run' },
  doc: 'compute and print the plan, write nothing',
  defaultText: 'false',
  families: ['scheduledReconcile', 'cli'],
  parse: parseBoolean,
});

/** `UPDATE`: also update the managed fields of existing rows. */
export const UPDATE_SETTING = /* @__PURE__ */ defineSetting({
  key: 'update',
  env: 'UPDATE',
  type: 'boolean',
  flag: { name: 'update' },
  doc: 'also update the managed fields (attributes, e-mail, enabled, status...) of existing rows that differ from the pool, never app-owned fields',
  defaultText: 'false',
  families: ['scheduledReconcile', 'cli'],
  parse: parseBoolean,
});

/** `RECONCILE_TIME_LIMIT`: the command line's total time limit. */
export const TIME_LIMIT_SETTING = /* @__PURE__ */ defineSetting({
  key: 'timeLimit',
  env: 'RECONCILE_TIME_LIMIT',
  type: 'string',
  flag: { name: 'time-limit', placeholder: '<s>', fallsBackToEnv: true },
  doc: 'stop the run after this many seconds (writes under way settle, the summary is printed and the endpoint that did not answer is named); 0 for no limit; with --checkpoint the next run continues',
  defaultText: `${DEFAULT_TIME_LIMIT_SECONDS}`,
  families: ['cli'],
  parse: parseTimeLimit,
});

/** `STATE_TABLE_NAME`: the scheduled reconcile's state table. */
export const STATE_TABLE_NAME_SETTING = /* @__PURE__ */ defineSetting({
  key: 'stateTableName',
  env: 'STATE_TABLE_NAME',
  type: 'string',
  doc: 'the table where a run that needs several invocations keeps its state; set by the construct unless `scheduledReconcile.resumable` is false',
  defaultText: 'none: one run per invocation',
  families: ['scheduledReconcile'],
  parse: (value, source) =>
    value === undefined ? undefined : parseDynamoName(value, source, 'the DynamoDB table name'),
});

/**
 * The run settings that are options of the construct's `scheduledReconcile`,
 * under the same keys (the others come from the construct's own props).
 */
export const RUN_SETTINGS = [
  STATUSES_SETTING,
  INCLUDE_UNCONFIRMED_SETTING,
  ORPHANS_SETTING,
  FAIL_ON_ORPHANS_SETTING,
  CONCURRENCY_SETTING,
  LIST_RATE_SETTING,
  LIST_CHAINS_SETTING,
  SCAN_SEGMENTS_SETTING,
  DRY_RUN_SETTING,
  UPDATE_SETTING,
] as const;

/**
 * The settings of a reconcile run, in the order the usage text and the docs
 * list them: the command line's flags (its family), and but the time limit
 * the scheduled function's variables.
 */
export const RECONCILE_SETTINGS = [
  USER_POOL_ID_SETTING,
  TABLE_NAME_SETTING,
  KEY_ATTRIBUTE_SETTING,
  USER_ATTRIBUTES_SETTING,
  STATUSES_SETTING,
  INCLUDE_UNCONFIRMED_SETTING,
  ORPHANS_SETTING,
  FAIL_ON_ORPHANS_SETTING,
  CONCURRENCY_SETTING,
  LIST_RATE_SETTING,
  LIST_CHAINS_SETTING,
  SCAN_SEGMENTS_SETTING,
  DRY_RUN_SETTING,
  UPDATE_SETTING,
  RETAIN_PERSONAL_DATA_SETTING,
  DELETED_ROW_RETENTION_SETTING,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
  TIME_LIMIT_SETTING,
  ROW_MAPPING_SETTING,
] as const;

/** The scheduled reconcile function's settings. */
export const SCHEDULED_RECONCILE_SETTINGS = [
  USER_POOL_ID_SETTING,
  TABLE_NAME_SETTING,
  KEY_ATTRIBUTE_SETTING,
  USER_ATTRIBUTES_SETTING,
  STATUSES_SETTING,
  INCLUDE_UNCONFIRMED_SETTING,
  ORPHANS_SETTING,
  FAIL_ON_ORPHANS_SETTING,
  CONCURRENCY_SETTING,
  LIST_RATE_SETTING,
  LIST_CHAINS_SETTING,
  SCAN_SEGMENTS_SETTING,
  DRY_RUN_SETTING,
  UPDATE_SETTING,
  RETAIN_PERSONAL_DATA_SETTING,
  DELETED_ROW_RETENTION_SETTING,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
  LOG_LEVEL_SETTING,
  STATE_TABLE_NAME_SETTING,
  METRICS_SETTING,
  ROW_MAPPING_SETTING,
] as const;

/** Every reconcile setting, parsed, before the checks that combine them. */
export type ReconcileSettings = SettingValues<typeof RECONCILE_SETTINGS>;

/** The keys of {@link RUN_SETTINGS}. */
export type RunSettingKey = (typeof RUN_SETTINGS)[number]['key'];
