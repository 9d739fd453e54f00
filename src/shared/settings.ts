/**
 * The settings schema: each setting is declared once (its key, environment
 * variable, command-line flag, parser, default, doc and the function families
 * that read it), and every family's parsing, the command line's flags, the
 * construct's environment of each function and the generated reference come
 * from the declarations. The declarations themselves live in
 * `src/domain/settings/` (and `METRICS_SETTING` in `metrics.ts`).
 */
import { ConfigError } from './errors.js';

/**
 * The families of settings: one per deployed function (`post-confirmation`,
 * `post-authentication`, `change-signal`, `scheduled-reconcile`), and the
 * command line (`cli`: its flags, and the variables some of them fall back to).
 */
export const SETTING_FAMILIES = [
  'postConfirmation',
  'postAuthentication',
  'changeSignal',
  'scheduledReconcile',
  'cli',
] as const;

/** One of {@link SETTING_FAMILIES}. */
export type SettingFamily = (typeof SETTING_FAMILIES)[number];

/** A setting's command-line flag. */
export interface SettingFlag {
  /** The flag without its dashes, e.g. `list-rate`. */
  readonly name: string;
  /** The value's placeholder in the usage text, e.g. `<n>`; none for a flag without a value. */
  readonly placeholder?: string;
  /** The usage text's line, when shorter than the setting's doc. @default - the doc */
  readonly help?: string;
  /** Read from the setting's variable when the flag is absent (the usage shows `$VARIABLE`). */
  readonly fallsBackToEnv?: boolean;
}

/**
 * One setting, declared once.
 *
 * @typeParam K - its key: the field of the configuration it fills
 * @typeParam T - its parsed value
 */
export interface Setting<K extends string = string, T = unknown> {
  /** The field it fills (camelCase), also its name in error messages of typed sources. */
  readonly key: K;
  /** The environment variable, e.g. `LIST_RATE`. */
  readonly env: string;
  /** `boolean` for a yes/no setting (a flag without a value), else `string`. */
  readonly type: 'string' | 'boolean';
  /** The command-line flag, when the command line takes it. */
  readonly flag?: SettingFlag;
  /** What it does, in one line. */
  readonly doc: string;
  /** The default, in words (`required` when there is none). */
  readonly defaultText: string;
  /** The families that read it. */
  readonly families: readonly SettingFamily[];
  /**
   * Parses the setting's text (`undefined` when absent), applying the default.
   *
   * @throws ConfigError naming `source` and the bad value
   */
  readonly parse: (text: string | undefined, source: string) => T;
  /**
   * Writes a parsed value as the text that parses back to it; `undefined`
   * leaves the variable out (the function applies its default). @default String
   */
  format?(value: T): string | undefined;
}

/** Any list of settings. */
export type SettingList = readonly Setting[];

/** The values a list of settings parses into, by key. */
export type SettingValues<L extends SettingList> = {
  -readonly [S in L[number] as S['key']]: ReturnType<S['parse']>;
};

/** The keys of a list of settings. */
export type SettingKey<L extends SettingList> = L[number]['key'];

/**
 * Declares a setting (an identity function that infers its key and value
 * types). Call it as `defineSetting(...)` with a pure annotation so that the
 * bundles keep only the settings they read.
 */
export function defineSetting<const K extends string, T>(setting: Setting<K, T>): Setting<K, T> {
  return setting;
}

/** A setting as given: its text (`undefined` when absent) and the name it was given under. */
export interface RawSetting {
  /** The text, e.g. `"16"`. */
  readonly value: string | undefined;
  /** The flag or variable, e.g. `--concurrency` or `CONCURRENCY`, for error messages. */
  readonly name: string;
}

/** Where settings come from: the raw text of each setting. */
export type SettingSource = (setting: Setting) => RawSetting;

/** Settings read from environment variables, each named by its variable. */
export function environmentSource(
  env: Readonly<Record<string, string | undefined>>,
): SettingSource {
  return (setting) => ({ value: env[setting.env], name: setting.env });
}

/**
 * Reads and parses every setting of a list from a source, in the list's order.
 *
 * @returns the values by key, and the name each one was given under (for the
 *   errors of checks that combine settings)
 * @throws ConfigError naming the first setting that is wrong, as it was given
 */
export function readSettings<const L extends SettingList>(
  list: L,
  source: SettingSource,
): {
  readonly values: SettingValues<L>;
  readonly names: Readonly<Record<SettingKey<L>, string>>;
} {
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  for (const setting of list) {
    const raw = source(setting);
    names[setting.key] = raw.name;
    values[setting.key] = setting.parse(raw.value, raw.name);
  }
  // The one place the keys and value types meet: each value came from its key's parser.
  return {
    values: values as SettingValues<L>,
    names: names as Record<SettingKey<L>, string>,
  };
}

/**
 * Reads every setting of a list from environment variables.
 *
 * @throws ConfigError naming the first variable that is missing or invalid
 */
export function readEnvironment<const L extends SettingList>(
  list: L,
  env: Readonly<Record<string, string | undefined>>,
): SettingValues<L> {
  return readSettings(list, environmentSource(env)).values;
}

/**
 * The environment that gives a function these values: each setting's
 * variable with its value written as text (`format`). Settings absent from
 * `values`, or whose value writes as nothing, are left out, so that the
 * function applies its default.
 */
export function renderEnvironment<const L extends SettingList>(
  list: L,
  values: Partial<SettingValues<L>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  const given: Readonly<Record<string, unknown>> = values;
  for (const setting of list) {
    if (!(setting.key in given)) continue;
    const value = given[setting.key];
    const text = setting.format
      ? setting.format(value)
      : value === undefined
        ? undefined
        : String(value);
    if (text !== undefined) env[setting.env] = text;
  }
  return env;
}

/**
 * Checks declarations: each has a key, a variable, a doc and a default, and
 * no two share a key, a variable or a flag. The test of the declarations
 * runs it over every setting.
 *
 * @throws ConfigError naming the first declaration that is incomplete or clashes
 */
export function checkSettings(list: SettingList): void {
  const seen = new Map<string, string>();
  for (const setting of list) {
    const label = setting.key || setting.env || '(unnamed)';
    for (const field of ['key', 'env', 'doc', 'defaultText'] as const) {
      if (typeof setting[field] !== 'string' || setting[field].trim() === '') {
        throw new ConfigError(`setting ${label} must have a ${field}`);
      }
    }
    if (setting.families.length === 0) {
      throw new ConfigError(`setting ${label} must name the families that read it`);
    }
    const ids = [`key ${setting.key}`, `variable ${setting.env}`];
    if (setting.flag) ids.push(`flag --${setting.flag.name}`);
    for (const id of ids) {
      const other = seen.get(id);
      if (other !== undefined) {
        throw new ConfigError(`settings ${other} and ${label} share the ${id}`);
      }
      seen.set(id, label);
    }
  }
}
