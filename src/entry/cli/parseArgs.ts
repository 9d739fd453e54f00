import { parseArgs as parseNodeArgs } from 'node:util';
import type { ReconcileConfig } from '../../domain/reconcileConfig.js';
import { readReconcileSettings, toReconcileConfig } from '../../domain/reconcileSettings.js';
import { RECONCILE_SETTINGS } from '../../domain/settings/runSettings.js';
import { ConfigError } from '../../shared/errors.js';
import { errorMessage } from '../../shared/failure.js';
import type { Setting, SettingFlag } from '../../shared/settings.js';

/** The command's name, as installed. */
export const COMMAND_NAME = 'cognito-user-sync';

/** What the command line asks for. */
export type CliRequest =
  | { readonly kind: 'help'; readonly topic: 'main' | 'reconcile' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'reconcile';
      /** Validated reconcile configuration. */
      readonly config: ReconcileConfig;
      /** Print the summary as one JSON object. */
      readonly json: boolean;
      /** Checkpoint file to resume from and to save to. @default - none */
      readonly checkpoint?: string;
      /** The run's total time limit, in seconds (`--time-limit`); 0 for none. */
      readonly timeLimitSeconds: number;
    };

/** Usage of the command as a whole. */
export const MAIN_USAGE = `Usage: ${COMMAND_NAME} <command> [options]

Commands:
  reconcile   create the missing rows of a Cognito user pool's users in a
              DynamoDB table and report, mark or delete orphaned rows

Run "${COMMAND_NAME} reconcile --help" for its options, "${COMMAND_NAME} --version" for the version.
`;

/** The line printed after an error in the arguments: where the usage is. */
export function usagePointer(topic: 'main' | 'reconcile'): string {
  return topic === 'reconcile'
    ? `Run "${COMMAND_NAME} reconcile --help" for the options.`
    : `Run "${COMMAND_NAME} --help" for the commands.`;
}

/** A reconcile setting the command line takes, with its flag. */
interface FlagSetting {
  /** The setting. */
  readonly setting: Setting;
  /** Its flag. */
  readonly flag: SettingFlag;
}

/** The command line's flags of the reconcile settings: every setting of its family that declares one. */
export const RECONCILE_FLAGS: readonly FlagSetting[] = RECONCILE_SETTINGS.flatMap(
  (setting): FlagSetting[] => (setting.flag ? [{ setting, flag: setting.flag }] : []),
);

/** Usage of `reconcile`, generated from the settings schema. */
export const RECONCILE_USAGE = `Usage: ${COMMAND_NAME} reconcile --user-pool-id <id> --table <name> [options]

Lists every user of the pool, reads the table's keys, then creates the
missing rows (never overwriting a row) and handles orphaned rows.
Endpoints, region and credentials come from the AWS SDK's environment
(AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
AWS_ENDPOINT_URL_DYNAMODB...).

Options:
${formatOptions([
  ...RECONCILE_FLAGS.map(({ setting, flag }) => ({
    name: `--${flag.name}${flag.placeholder ? ` ${flag.placeholder}` : ''}`,
    doc: flag.help ?? setting.doc,
    defaultText:
      setting.type === 'boolean'
        ? undefined
        : flag.fallsBackToEnv
          ? `$${setting.env}`
          : setting.defaultText,
  })),
  {
    name: '--json',
    doc: 'print the summary as one JSON object (also when the run stops early or is interrupted)',
  },
  {
    name: '--checkpoint <file>',
    doc: 'when a run stops early (interrupted, or a read failed after its retries), save where it stands to <file>; the next run continues it, orphans included (same pool and table, saved less than an hour ago); removed once a run goes to its end',
  },
  { name: '-h, --help', doc: 'show this help' },
  { name: '-V, --version', doc: 'print the version' },
])}
Every call is retried with backoff on throttling, 5xx answers, connection
resets and timeouts. Ctrl-C stops the run: writes under way settle and the
summary so far is printed.

Exit codes: 0 the table has converged, 1 it has not (or reconcile failed),
2 bad arguments, 130 interrupted.
`;

/** One line (or more, wrapped) per option, the docs aligned in a column. */
function formatOptions(
  options: readonly { name: string; doc: string; defaultText?: string | undefined }[],
): string {
  const width = Math.max(...options.map((option) => option.name.length)) + 2;
  return options
    .map((option) => {
      const text = option.defaultText
        ? `${option.doc} (default: ${option.defaultText})`
        : option.doc;
      return `  ${option.name.padEnd(width)}${text}\n`;
    })
    .join('');
}

const RECONCILE_OPTIONS = {
  ...Object.fromEntries(
    RECONCILE_FLAGS.map(({ setting, flag }) => [flag.name, { type: setting.type }] as const),
  ),
  json: { type: 'boolean' },
  checkpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * Parses the command line (without `node` and the script). Pure: reads only
 * `argv` and the `USER_POOL_ID`/`TABLE_NAME` fallbacks in `env`.
 *
 * @throws ConfigError saying which argument is wrong and why
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliRequest {
  const [command, ...rest] = argv;
  if (command === undefined) throw new ConfigError('a command is required');
  if (command === '-h' || command === '--help' || command === 'help') {
    return { kind: 'help', topic: 'main' };
  }
  if (command === '-V' || command === '--version') return { kind: 'version' };
  if (command !== 'reconcile') {
    throw new ConfigError(`unknown command "${command}"; the command is "reconcile"`);
  }

  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseReconcileArgs(rest);
    if (parsed.positionals.length > 0) {
      throw new ConfigError(`unexpected argument "${parsed.positionals[0]}"`);
    }
    values = parsed.values;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(firstLine(errorMessage(error)));
  }
  if (values.help === true) return { kind: 'help', topic: 'reconcile' };
  if (values.version === true) return { kind: 'version' };

  const flags = new Map(RECONCILE_FLAGS.map(({ setting, flag }) => [setting, flag]));
  const { settings, names } = readReconcileSettings((setting) => {
    const flag = flags.get(setting);
    if (!flag) return { value: undefined, name: setting.key };
    const given = values[flag.name];
    if (given !== undefined) return { value: String(given), name: `--${flag.name}` };
    if (flag.fallsBackToEnv) {
      return { value: env[setting.env], name: `--${flag.name} (or ${setting.env})` };
    }
    return { value: undefined, name: `--${flag.name}` };
  });
  const config = toReconcileConfig(settings, names);
  const checkpoint = typeof values.checkpoint === 'string' ? values.checkpoint.trim() : undefined;
  if (values.checkpoint !== undefined && !checkpoint) {
    throw new ConfigError('--checkpoint must name a file, got ""');
  }
  return {
    kind: 'reconcile',
    config,
    json: values.json === true,
    ...(checkpoint ? { checkpoint } : {}),
    timeLimitSeconds: settings.timeLimit,
  };
}

/**
 * Checks every option name and joins each string option to its value
 * (`--list-rate -5` becomes `--list-rate=-5`), so that a value starting with
 * a dash is read as the value it is and reaches the setting's own check.
 *
 * @throws ConfigError `unknown option --name` for an option that does not exist
 */
function normalizeArgs(args: readonly string[]): string[] {
  const byShort = new Map<string, string>();
  for (const [name, option] of Object.entries(RECONCILE_OPTIONS)) {
    if ('short' in option) byShort.set(option.short, name);
  }
  const out: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      out.push(...args.slice(index));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const name = long ? (arg.slice(2).split('=')[0] ?? '') : (byShort.get(arg.slice(1)) ?? '');
    const option = (RECONCILE_OPTIONS as Record<string, { type: string }>)[name];
    if (!option || (!long && arg.length !== 2)) {
      throw new ConfigError(`unknown option ${long ? `--${name}` : arg}`);
    }
    const next = args[index + 1];
    if (option.type === 'string' && long && !arg.includes('=') && next !== undefined) {
      out.push(`--${name}=${next}`);
      index++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

function parseReconcileArgs(args: readonly string[]) {
  return parseNodeArgs({
    args: normalizeArgs(args),
    options: RECONCILE_OPTIONS,
    strict: true,
    allowPositionals: true,
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
