import { ConfigError } from '../shared/errors.js';
import {
  readSettings,
  renderEnvironment,
  type SettingKey,
  type SettingSource,
  environmentSource as variablesSource,
} from '../shared/settings.js';
import { DEFAULT_KEY_ATTRIBUTE } from './config.js';
import { isDefaultDeletedRowPolicy, toDeletedRowPolicy } from './deletedRows.js';
import { DEFAULT_STATUS_FILTER, type ReconcileConfig } from './reconcileConfig.js';
import { readRowMapping } from './rowMapping/readRowMapping.js';
import { RECONCILE_SETTINGS, type ReconcileSettings } from './settings/runSettings.js';

export type { ReconcileSettings, RunSettingKey } from './settings/runSettings.js';
export { RECONCILE_SETTINGS, RUN_SETTINGS } from './settings/runSettings.js';

/** The name each reconcile setting was given under, by key, for error messages. */
export type ReconcileSettingNames = Readonly<Record<SettingKey<typeof RECONCILE_SETTINGS>, string>>;

/**
 * Reads and parses every reconcile setting ({@link RECONCILE_SETTINGS}) from a source.
 *
 * @throws ConfigError naming the first setting that is wrong, as it was given
 */
export function readReconcileSettings(source: SettingSource): {
  readonly settings: ReconcileSettings;
  readonly names: ReconcileSettingNames;
} {
  const { values, names } = readSettings(RECONCILE_SETTINGS, source);
  return { settings: values, names };
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
  names: ReconcileSettingNames,
): ReconcileConfig {
  if (settings.statuses && settings.includeUnconfirmed) {
    throw new ConfigError(
      `${names.statuses} and ${names.includeUnconfirmed} cannot be used together`,
    );
  }
  const deletedRows = toDeletedRowPolicy(settings, settings.keyAttribute, names);
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
      ...(settings.keyAttribute === DEFAULT_KEY_ATTRIBUTE
        ? {}
        : { keyAttribute: settings.keyAttribute }),
      ...(settings.userAttributes ? { attributeAllowlist: settings.userAttributes } : {}),
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
  const given: Readonly<Record<string, string | undefined>> = values;
  return (setting) => ({ value: given[setting.key], name: setting.key });
}

/**
 * Settings read from environment variables (the scheduled function's);
 * the settings of the command line only keep their defaults.
 */
export function environmentSource(env: NodeJS.ProcessEnv): SettingSource {
  const variables = variablesSource(env);
  return (setting) =>
    setting.families.includes('scheduledReconcile')
      ? variables(setting)
      : { value: undefined, name: setting.env };
}

/**
 * The environment that gives a function these reconcile settings: each
 * setting's variable with its value written back as text. Settings absent
 * from `values`, or whose value writes as nothing (an empty allowlist), are
 * left out, so the function applies its default.
 */
export function toEnvironment(values: Partial<ReconcileSettings>): Record<string, string> {
  return renderEnvironment(RECONCILE_SETTINGS, values);
}
