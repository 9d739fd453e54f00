import { ConfigError } from '../shared/errors.js';
import { parseBoolean, parseIntegerInRange } from '../shared/parse.js';
import {
  DEFAULT_KEY_ATTRIBUTE,
  parseAttributeList,
  parseKeyAttribute,
  parseTableName,
} from './config.js';
import {
  DELETED_ROW_ENVIRONMENT,
  isDefaultDeletedRowPolicy,
  toDeletedRowPolicy,
} from './deletedRows.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LIST_RATE,
  DEFAULT_SCAN_SEGMENTS,
  DEFAULT_STATUS_FILTER,
  MAX_CONCURRENCY,
  MAX_LIST_CHAINS,
  MAX_LIST_RATE,
  MAX_SCAN_SEGMENTS,
  MIN_LIST_RATE,
  ORPHAN_MODES,
  type OrphanMode,
  parseOrphanMode,
  parseRate,
  parseStatusList,
  parseUserPoolId,
  type ReconcileConfig,
  type StatusFilter,
} from './reconcileConfig.js';
import { readRowMapping } from './rowMapping/readRowMapping.js';

/**
 * One setting of a reconcile run, described once: from this the command
 * line's options and usage, the scheduled function's environment and the
 * construct's `scheduledReconcile` options are derived.
 */
export interface ReconcileSettingSpec<K extends keyof ReconcileSettings = keyof ReconcileSettings> {
  /** The setting's name, also the construct option's name (camelCase). */
  readonly key: K;
  /** The command-line flag, without the dashes (e.g. `list-rate`). */
  readonly flag: string;
  /** The environment variable of the scheduled function (e.g. `LIST_RATE`). */
  readonly env: string;
  /** `boolean` for a flag without a value; `string` for `--flag <value>`. */
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in the usage text (e.g. `<n>`). */
  readonly placeholder?: string;
  /** What the setting does, in one line. */
  readonly doc: string;
  /** The default, in words. */
  readonly defaultText: string;
  /**
   * Who sets it in a deployment: `target` settings (pool, table, key,
   * attributes) come from the construct's own props; `run` settings are
   * options of `scheduledReconcile`; `cli` settings belong to the command
   * line only.
   */
  readonly scope: 'target' | 'run' | 'cli';
  /** On the command line, also read from {@link env} when the flag is absent. */
  readonly cliFallsBackToEnv?: boolean;
  /**
   * Parses the setting's text (`undefined` when absent).
   *
   * @throws ConfigError naming `source` and the bad value
   */
  readonly parse: (text: string | undefined, source: string) => ReconcileSettings[K];
  /** Writes a parsed value back as text (`undefined`: leave the setting out). @default String */
  format?(value: ReconcileSettings[K]): string | undefined;
}

/** Every reconcile setting, parsed, before the combined checks of {@link toReconcileConfig}. */
export interface ReconcileSettings {
  /** The user pool to list. */
  readonly userPoolId: string;
  /** The table to fill. */
  readonly tableName: string;
  /** The table's partition key attribute. */
  readonly keyAttribute: string;
  /** The attribute allowlist; `undefined` copies all but `cognito:*`. */
  readonly userAttributes: readonly string[] | undefined;
  /** The only statuses that get a row; `undefined` for the default. */
  readonly statuses: StatusFilter | undefined;
  /** Give `UNCONFIRMED` users a row too. */
  readonly includeUnconfirmed: boolean;
  /** What happens to orphaned rows. */
  readonly orphans: OrphanMode;
  /** Count orphans left in place as "not converged". */
  readonly failOnOrphans: boolean;
  /** Writes in flight. */
  readonly concurrency: number;
  /** ListUsers requests per second. */
  readonly listRate: number;
  /** Parallel Scan segments. */
  readonly scanSegments: number;
  /** ListUsers pages in flight; `undefined`: chosen by the run (see `ReconcileConfig.listChains`). */
  readonly listChains: number | undefined;
  /** Plan only. */
  readonly dryRun: boolean;
  /** `--update` / `UPDATE`. */
  readonly update: boolean;
  /** Keep personal data on marked rows (a legal hold). */
  readonly retainPersonalDataOfDeletedUsers: boolean;
  /** Days before DynamoDB's Time to Live deletes a marked row; `undefined`: never. */
  readonly deletedRowRetentionDays: number | undefined;
  /** The Time to Live attribute; `undefined`: the default with a retention, else none. */
  readonly timeToLiveAttribute: string | undefined;
  /** The command line's total time limit, in seconds; 0 for none. */
  readonly timeLimit: number;
  /** The row mapping as given (JSON or a file's path), read by {@link toReconcileConfig}. */
  readonly rowMapping: string | undefined;
}

/** Default total time limit of a command-line run, in seconds. */
export const DEFAULT_TIME_LIMIT_SECONDS = 120;

/** Largest total time limit of a command-line run, in seconds (a day). */
export const MAX_TIME_LIMIT_SECONDS = 86_400;

/**
 * Parses a time limit in seconds (decimals allowed), 0 meaning none.
 *
 * @throws ConfigError naming `source` and the bad value
 */
export function parseTimeLimit(text: string | undefined, source: string): number {
  if (text === undefined || text.trim() === '') return DEFAULT_TIME_LIMIT_SECONDS;
  const trimmed = text.trim();
  const seconds = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds > MAX_TIME_LIMIT_SECONDS) {
    throw new ConfigError(
      `${source} must be a number of seconds from 0 (no limit) to ${MAX_TIME_LIMIT_SECONDS}, got "${text}"`,
    );
  }
  return seconds;
}

function spec<K extends keyof ReconcileSettings>(
  value: ReconcileSettingSpec<K>,
): ReconcileSettingSpec<K> {
  return value;
}

/** A run setting holding a whole number from 1 to `max`. */
function wholeNumberSpec(options: {
  readonly key: 'concurrency' | 'scanSegments';
  readonly flag: string;
  readonly env: string;
  readonly doc: string;
  readonly max: number;
  readonly default: number;
}): ReconcileSettingSpec<'concurrency' | 'scanSegments'> {
  const range = { min: 1, max: options.max, default: options.default };
  return {
    key: options.key,
    flag: options.flag,
    env: options.env,
    type: 'string',
    placeholder: '<n>',
    doc: `${options.doc}, 1-${options.max}`,
    defaultText: String(options.default),
    scope: 'run',
    parse: (text, source) => parseIntegerInRange(text, source, range),
  };
}

/** The reconcile settings, in the order the usage text and the docs list them. */
export const RECONCILE_SETTINGS: readonly ReconcileSettingSpec[] = [
  spec({
    key: 'userPoolId',
    flag: 'user-pool-id',
    env: 'USER_POOL_ID',
    type: 'string',
    placeholder: '<id>',
    doc: 'user pool to list',
    defaultText: 'required',
    scope: 'target',
    cliFallsBackToEnv: true,
    parse: parseUserPoolId,
  }),
  spec({
    key: 'tableName',
    flag: 'table',
    env: 'TABLE_NAME',
    type: 'string',
    placeholder: '<name>',
    doc: 'table to fill',
    defaultText: 'required',
    scope: 'target',
    cliFallsBackToEnv: true,
    parse: parseTableName,
  }),
  spec({
    key: 'keyAttribute',
    flag: 'key-attribute',
    env: 'KEY_ATTRIBUTE',
    type: 'string',
    placeholder: '<name>',
    doc: "the table's partition key",
    defaultText: 'username',
    scope: 'target',
    parse: parseKeyAttribute,
  }),
  spec({
    key: 'userAttributes',
    flag: 'attributes',
    env: 'USER_ATTRIBUTES',
    type: 'string',
    placeholder: '<a,b,...>',
    doc: 'attributes copied into rows',
    defaultText: 'all but cognito:*',
    scope: 'target',
    parse: parseAttributeList,
    format: (names) => names?.join(','),
  }),
  spec({
    key: 'rowMapping',
    flag: 'row-mapping',
    env: 'ROW_MAPPING',
    type: 'string',
    placeholder: '<file|json>',
    doc: 'the row mapping (keys, field names, attribute columns, constants): a JSON document or the path of a JSON file',
    defaultText: "{} (today's row)",
    scope: 'target',
    parse: (text) => (text === undefined || text.trim() === '' ? undefined : text),
  }),
  spec({
    key: 'statuses',
    flag: 'statuses',
    env: 'USER_STATUSES',
    type: 'string',
    placeholder: '<S,...>',
    doc: 'user statuses that get a row',
    defaultText: 'all but UNCONFIRMED',
    scope: 'run',
    parse: parseStatusList,
    format: (filter) => (filter && 'only' in filter ? filter.only.join(',') : undefined),
  }),
  spec({
    key: 'includeUnconfirmed',
    flag: 'include-unconfirmed',
    env: 'INCLUDE_UNCONFIRMED',
    type: 'boolean',
    doc: 'give UNCONFIRMED users a row too',
    defaultText: 'false',
    scope: 'run',
    parse: parseBoolean,
  }),
  spec({
    key: 'orphans',
    flag: 'orphans',
    env: 'ORPHANS',
    type: 'string',
    placeholder: '<mode>',
    doc: `rows whose user is gone: ${ORPHAN_MODES.join(' | ')}`,
    defaultText: 'report',
    scope: 'run',
    parse: parseOrphanMode,
  }),
  spec({
    key: 'failOnOrphans',
    flag: 'fail-on-orphans',
    env: 'FAIL_ON_ORPHANS',
    type: 'boolean',
    doc: 'fail (exit 1) when orphaned rows are left unmarked',
    defaultText: 'false',
    scope: 'run',
    parse: parseBoolean,
  }),
  wholeNumberSpec({
    key: 'concurrency',
    flag: 'concurrency',
    env: 'CONCURRENCY',
    doc: 'writes in flight',
    max: MAX_CONCURRENCY,
    default: DEFAULT_CONCURRENCY,
  }),
  spec({
    key: 'listRate',
    flag: 'list-rate',
    env: 'LIST_RATE',
    type: 'string',
    placeholder: '<n>',
    doc: `ListUsers requests per second, ${MIN_LIST_RATE}-${MAX_LIST_RATE} (Cognito allows 30/s per account)`,
    defaultText: String(DEFAULT_LIST_RATE),
    scope: 'run',
    parse: (text, source) =>
      parseRate(text, source, { max: MAX_LIST_RATE, default: DEFAULT_LIST_RATE }),
  }),
  spec({
    key: 'listChains',
    flag: 'list-chains',
    env: 'LIST_CHAINS',
    type: 'string',
    placeholder: '<n>',
    doc: `ListUsers pages in flight, 1-${MAX_LIST_CHAINS}, an override: by default as many as reaching the list rate takes, measured from the round trips, over 16 shards by the first hex digit of sub; 1 lists the pool in one unfiltered chain (for a pool whose subs may not be hex)`,
    defaultText: 'chosen from the rate and the round trips',
    scope: 'run',
    parse: (text, source) =>
      text === undefined || text.trim() === ''
        ? undefined
        : parseIntegerInRange(text, source, { min: 1, max: MAX_LIST_CHAINS, default: 1 }),
  }),
  wholeNumberSpec({
    key: 'scanSegments',
    flag: 'scan-segments',
    env: 'SCAN_SEGMENTS',
    doc: 'parallel Scan segments',
    max: MAX_SCAN_SEGMENTS,
    default: DEFAULT_SCAN_SEGMENTS,
  }),
  spec({
    key: 'dryRun',
    flag: 'dry-run',
    env: 'DRY_RUN',
    type: 'boolean',
    doc: 'compute and print the plan, write nothing',
    defaultText: 'false',
    scope: 'run',
    parse: parseBoolean,
  }),
  spec({
    key: 'update',
    flag: 'update',
    env: 'UPDATE',
    type: 'boolean',
    doc: 'also update the managed fields (attributes, e-mail, enabled, status...) of existing rows that differ from the pool, never app-owned fields',
    defaultText: 'false',
    scope: 'run',
    parse: parseBoolean,
  }),
  spec({
    key: 'retainPersonalDataOfDeletedUsers',
    flag: 'retain-personal-data-of-deleted-users',
    env: DELETED_ROW_ENVIRONMENT.retainPersonalData.name,
    type: 'boolean',
    doc: DELETED_ROW_ENVIRONMENT.retainPersonalData.doc,
    defaultText: DELETED_ROW_ENVIRONMENT.retainPersonalData.defaultText,
    scope: 'target',
    parse: DELETED_ROW_ENVIRONMENT.retainPersonalData.parse,
  }),
  spec({
    key: 'deletedRowRetentionDays',
    flag: 'deleted-row-retention-days',
    env: DELETED_ROW_ENVIRONMENT.retentionDays.name,
    type: 'string',
    placeholder: '<days>',
    doc: DELETED_ROW_ENVIRONMENT.retentionDays.doc,
    defaultText: DELETED_ROW_ENVIRONMENT.retentionDays.defaultText,
    scope: 'target',
    parse: DELETED_ROW_ENVIRONMENT.retentionDays.parse,
  }),
  spec({
    key: 'timeToLiveAttribute',
    flag: 'time-to-live-attribute',
    env: DELETED_ROW_ENVIRONMENT.timeToLiveAttribute.name,
    type: 'string',
    placeholder: '<name>',
    doc: DELETED_ROW_ENVIRONMENT.timeToLiveAttribute.doc,
    defaultText: DELETED_ROW_ENVIRONMENT.timeToLiveAttribute.defaultText,
    scope: 'target',
    parse: DELETED_ROW_ENVIRONMENT.timeToLiveAttribute.parse,
  }),
  spec({
    key: 'timeLimit',
    flag: 'time-limit',
    env: 'RECONCILE_TIME_LIMIT',
    type: 'string',
    placeholder: '<s>',
    doc: 'stop the run after this many seconds (writes under way settle, the summary is printed and the endpoint that did not answer is named); 0 for no limit; with --checkpoint the next run continues',
    defaultText: String(DEFAULT_TIME_LIMIT_SECONDS),
    scope: 'cli',
    cliFallsBackToEnv: true,
    parse: parseTimeLimit,
  }),
];

/** A setting as given: its text (`undefined` when absent) and the name it was given under. */
export interface RawSetting {
  /** The text, e.g. `"16"`. */
  readonly value: string | undefined;
  /** The flag or variable, e.g. `--concurrency` or `CONCURRENCY`, for error messages. */
  readonly name: string;
}

/** Where settings come from: the raw text of each setting, by its spec. */
export type SettingSource = (setting: ReconcileSettingSpec) => RawSetting;

/**
 * Reads and parses every setting from a source.
 *
 * @throws ConfigError naming the first setting that is wrong, as it was given
 */
export function readReconcileSettings(source: SettingSource): {
  readonly settings: ReconcileSettings;
  readonly names: Readonly<Record<keyof ReconcileSettings, string>>;
} {
  const settings: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  for (const setting of RECONCILE_SETTINGS) {
    const raw = source(setting);
    names[setting.key] = raw.name;
    settings[setting.key] = setting.parse(raw.value, raw.name);
  }
  return {
    settings: settings as unknown as ReconcileSettings,
    names: names as Record<keyof ReconcileSettings, string>,
  };
}

/**
 * Checks the settings that constrain each other and builds the run's
 * configuration.
 *
 * @param names - the name each setting was given under, for error messages
 * @throws ConfigError when `statuses` and `includeUnconfirmed` are both set,
 *   or the Time to Live attribute is the key attribute
 */
export function toReconcileConfig(
  settings: ReconcileSettings,
  names: Readonly<Record<keyof ReconcileSettings, string>>,
): ReconcileConfig {
  if (settings.statuses && settings.includeUnconfirmed) {
    throw new ConfigError(
      `${names.statuses} and ${names.includeUnconfirmed} cannot be used together`,
    );
  }
  const deletedRows = toDeletedRowPolicy(
    {
      retainPersonalData: settings.retainPersonalDataOfDeletedUsers,
      retentionDays: settings.deletedRowRetentionDays,
      timeToLiveAttribute: settings.timeToLiveAttribute,
    },
    settings.keyAttribute,
    names,
  );
  return {
    userPoolId: settings.userPoolId,
    tableName: settings.tableName,
    keyAttribute: settings.keyAttribute,
    userAttributes: settings.userAttributes,
    statusFilter:
      settings.statuses ?? (settings.includeUnconfirmed ? { except: [] } : DEFAULT_STATUS_FILTER),
    orphans: settings.orphans,
    failOnOrphans: settings.failOnOrphans,
    concurrency: settings.concurrency,
    listRate: settings.listRate,
    scanSegments: settings.scanSegments,
    ...(settings.listChains !== undefined ? { listChains: settings.listChains } : {}),
    dryRun: settings.dryRun,
    ...(settings.update ? { update: true } : {}),
    ...(isDefaultDeletedRowPolicy(deletedRows) ? {} : { deletedRows }),
    rowMapping: readRowMapping(settings.rowMapping, {
      source: names.rowMapping,
      // The default key attribute is no setting: only one given names the key.
      keyAttribute:
        settings.keyAttribute === DEFAULT_KEY_ATTRIBUTE ? undefined : settings.keyAttribute,
      attributeAllowlist: settings.userAttributes,
    }),
  };
}

/**
 * Parses the settings from a source and builds the run's configuration: the
 * one place where a command line, an environment or construct options become
 * a {@link ReconcileConfig}.
 *
 * @throws ConfigError naming the setting that is wrong, as it was given
 */
export function parseReconcileSettings(source: SettingSource): ReconcileConfig {
  const { settings, names } = readReconcileSettings(source);
  return toReconcileConfig(settings, names);
}

/**
 * Settings given by key as text (e.g. `{ userPoolId: 'eu-west-1_Pool', listRate: '30' }`),
 * each named by its key in error messages; the others keep their defaults.
 */
export function valuesSource(
  values: Readonly<Partial<Record<keyof ReconcileSettings, string>>>,
): SettingSource {
  return (setting) => ({ value: values[setting.key], name: setting.key });
}

/**
 * Settings read from environment variables (the scheduled function's);
 * command-line-only settings keep their defaults.
 */
export function environmentSource(env: NodeJS.ProcessEnv): SettingSource {
  return (setting) => ({
    value: setting.scope === 'cli' ? undefined : env[setting.env],
    name: setting.env,
  });
}

/**
 * The environment that gives a function these settings: each setting's
 * variable with its parsed value written back as text. Settings absent from
 * `values`, or whose value writes as nothing (an empty allowlist), are left
 * out, so the function applies its default.
 */
export function toEnvironment(values: Partial<ReconcileSettings>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const setting of RECONCILE_SETTINGS) {
    if (!(setting.key in values)) continue;
    const value = values[setting.key];
    const format = setting.format as ((value: unknown) => string | undefined) | undefined;
    const text = format ? format(value) : value === undefined ? undefined : String(value);
    if (text !== undefined) env[setting.env] = text;
  }
  return env;
}

/** The settings that are options of a deployment's scheduled reconcile (not its target). */
export const RUN_SETTINGS: readonly ReconcileSettingSpec[] = RECONCILE_SETTINGS.filter(
  (setting) => setting.scope === 'run',
);

/** The keys of {@link RUN_SETTINGS}. */
export type RunSettingKey =
  | 'statuses'
  | 'includeUnconfirmed'
  | 'orphans'
  | 'failOnOrphans'
  | 'concurrency'
  | 'listRate'
  | 'scanSegments'
  | 'dryRun'
  | 'update';
