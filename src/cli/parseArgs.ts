import { parseArgs as parseNodeArgs } from 'node:util';
import { ConfigError } from '../errors.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LIST_RATE,
  DEFAULT_SCAN_SEGMENTS,
  MAX_CONCURRENCY,
  MAX_LIST_RATE,
  MAX_SCAN_SEGMENTS,
  ORPHAN_MODES,
  parseReconcileSettings,
  type ReconcileConfig,
} from '../reconcile/config.js';

/** The command's name, as installed. */
export const COMMAND_NAME = 'cognito-user-sync';

/** What the command line asks for. */
export type CliRequest =
  | { readonly kind: 'help'; readonly topic: 'main' | 'reconcile' }
  | {
      readonly kind: 'reconcile';
      /** Validated reconcile configuration. */
      readonly config: ReconcileConfig;
      /** Print the summary as one JSON object. */
      readonly json: boolean;
    };

/** Usage of the command as a whole. */
export const MAIN_USAGE = `Usage: ${COMMAND_NAME} <command> [options]

Commands:
  reconcile   create the missing rows of a Cognito user pool's users in a
              DynamoDB table and report, mark or delete orphaned rows

Run "${COMMAND_NAME} reconcile --help" for its options.
`;

/** Usage of `reconcile`. */
export const RECONCILE_USAGE = `Usage: ${COMMAND_NAME} reconcile --user-pool-id <id> --table <name> [options]

Lists every user of the pool, reads the table's keys, then creates the
missing rows (never overwriting a row) and handles orphaned rows.
Endpoints, region and credentials come from the AWS SDK's environment
(AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
AWS_ENDPOINT_URL_DYNAMODB...).

Options:
  --user-pool-id <id>     user pool to list (default: $USER_POOL_ID)
  --table <name>          table to fill (default: $TABLE_NAME)
  --key-attribute <name>  the table's partition key (default: username)
  --attributes <a,b,...>  attributes copied into rows (default: all but cognito:*)
  --statuses <S,...>      user statuses that get a row
                          (default: all but UNCONFIRMED)
  --include-unconfirmed   give UNCONFIRMED users a row too
  --orphans <mode>        rows whose user is gone: ${ORPHAN_MODES.join(' | ')}
                          (default: report)
  --fail-on-orphans       exit 1 when orphaned rows are left unmarked
  --concurrency <n>       writes in flight, 1-${MAX_CONCURRENCY} (default: ${DEFAULT_CONCURRENCY})
  --list-rate <n>         ListUsers requests per second, at most ${MAX_LIST_RATE}
                          (default: ${DEFAULT_LIST_RATE}; Cognito allows 30/s per account)
  --scan-segments <n>     parallel Scan segments, 1-${MAX_SCAN_SEGMENTS} (default: ${DEFAULT_SCAN_SEGMENTS})
  --dry-run               print the plan, write nothing
  --json                  print the summary as one JSON object
  -h, --help              show this help

Exit codes: 0 the table has converged, 1 it has not (or reconcile failed),
2 bad arguments.
`;

const RECONCILE_OPTIONS = {
  'user-pool-id': { type: 'string' },
  table: { type: 'string' },
  'key-attribute': { type: 'string' },
  attributes: { type: 'string' },
  statuses: { type: 'string' },
  'include-unconfirmed': { type: 'boolean' },
  orphans: { type: 'string' },
  'fail-on-orphans': { type: 'boolean' },
  concurrency: { type: 'string' },
  'list-rate': { type: 'string' },
  'scan-segments': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

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
  if (command !== 'reconcile') {
    throw new ConfigError(`unknown command "${command}"; the command is "reconcile"`);
  }

  let values: ReturnType<typeof parseReconcileArgs>['values'];
  try {
    const parsed = parseReconcileArgs(rest);
    if (parsed.positionals.length > 0) {
      throw new ConfigError(`unexpected argument "${parsed.positionals[0]}"`);
    }
    values = parsed.values;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(firstLine((error as Error).message));
  }
  if (values.help) return { kind: 'help', topic: 'reconcile' };

  const config = parseReconcileSettings({
    userPoolId: {
      value: values['user-pool-id'] ?? env.USER_POOL_ID,
      name:
        values['user-pool-id'] !== undefined
          ? '--user-pool-id'
          : '--user-pool-id (or USER_POOL_ID)',
    },
    tableName: {
      value: values.table ?? env.TABLE_NAME,
      name: values.table !== undefined ? '--table' : '--table (or TABLE_NAME)',
    },
    keyAttribute: { value: values['key-attribute'], name: '--key-attribute' },
    userAttributes: { value: values.attributes, name: '--attributes' },
    statuses: { value: values.statuses, name: '--statuses' },
    includeUnconfirmed: {
      value: values['include-unconfirmed'] ?? false,
      name: '--include-unconfirmed',
    },
    orphans: { value: values.orphans, name: '--orphans' },
    failOnOrphans: values['fail-on-orphans'] ?? false,
    concurrency: { value: values.concurrency, name: '--concurrency' },
    listRate: { value: values['list-rate'], name: '--list-rate' },
    scanSegments: { value: values['scan-segments'], name: '--scan-segments' },
    dryRun: values['dry-run'] ?? false,
  });
  return { kind: 'reconcile', config, json: values.json ?? false };
}

function parseReconcileArgs(args: readonly string[]) {
  return parseNodeArgs({
    args: [...args],
    options: RECONCILE_OPTIONS,
    strict: true,
    allowPositionals: true,
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
