import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isDefaultDeletedRowPolicy, toDeletedRowPolicy } from '../domain/deletedRows.js';
import { readRowMapping } from '../domain/rowMapping/readRowMapping.js';
import {
  DELETED_ROW_RETENTION_SETTING,
  KEY_ATTRIBUTE_SETTING,
  LOG_LEVEL_SETTING,
  RETAIN_PERSONAL_DATA_SETTING,
  ROW_MAPPING_SETTING,
  TABLE_NAME_SETTING,
  TIME_TO_LIVE_ATTRIBUTE_SETTING,
} from '../domain/settings/index.js';
import { ConfigError } from '../shared/errors.js';
import { errorMessage } from '../shared/failure.js';
import { LOG_LEVELS, type LogLevel } from '../shared/logger.js';
import { parseBoolean } from '../shared/parse.js';
import { LOCAL_STACK_DEFAULTS, type LocalStackOptions } from './localStackOptions.js';
import { LocalStackError } from './support/localStackError.js';
import { parsePort } from './support/ports.js';

/** What the command line asks for. */
export type LocalStackCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'start';
      /** Options of the stack (`dataDir` undefined in memory mode). */
      readonly options: LocalStackOptions;
      /**
       * Where the stack's facts are written: `<data dir>/stack.json`, also in
       * memory mode (the data directory then only holds this file).
       */
      readonly stackFile: string;
    };

/** Default data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.local';

/** Usage text of the local stack command. */
export const USAGE = `Usage: npm start -- [options]

Starts a local Cognito API, DynamoDB API and Lambda endpoint running the trigger.

Options (environment variable in brackets):
  --host <address>          interface to bind [LOCAL_HOST] (default 127.0.0.1)
  --cognito-port <port>     Cognito API port [LOCAL_COGNITO_PORT] (default 9230)
  --dynamodb-port <port>    DynamoDB API port [LOCAL_DYNAMODB_PORT] (default 8000)
  --lambda-port <port>      Lambda Invoke API port [LOCAL_LAMBDA_PORT] (default 9001)
  --console-port <port>     web console port [LOCAL_CONSOLE_PORT] (default 9002)
                            0 picks a free port
  --data-dir <dir>          where data persists [LOCAL_DATA_DIR] (default .local)
  --in-memory               keep data in memory only [LOCAL_IN_MEMORY=1]
  --code <code>             the confirmation code [LOCAL_CONFIRMATION_CODE] (default 123456)
  --region <region>         region reported to clients [LOCAL_REGION] (default us-east-1)
  --table-name <name>       user table [TABLE_NAME] (default users)
  --key-attribute <name>    partition key attribute [KEY_ATTRIBUTE] (default username)
  --row-mapping <file|json> the row mapping: keys, field names, attribute columns,
                            constants [ROW_MAPPING] (default {}, today's row)
  --log-level <level>       ${LOG_LEVELS.join(', ')} [LOG_LEVEL] (default ${LOCAL_STACK_DEFAULTS.logLevel})
  --deleted-row-retention-days <days>
                            write an expiry on marked rows [DELETED_ROW_RETENTION_DAYS]
                            (the console shows it; dynalite never deletes them)
  --time-to-live-attribute <name>
                            the expiry's attribute [TIME_TO_LIVE_ATTRIBUTE] (default expiresAt)
  --retain-personal-data-of-deleted-users
                            keep personal data on marked rows (legal hold)
                            [RETAIN_PERSONAL_DATA_OF_DELETED_USERS]
  -h, --help                show this text
`;

/**
 * Reads the command line and the environment (flags win). Pure: no I/O.
 *
 * @throws LocalStackError naming the flag or variable that is unknown or invalid
 */
export function parseLocalStackArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): LocalStackCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        'cognito-port': { type: 'string' },
        'dynamodb-port': { type: 'string' },
        'lambda-port': { type: 'string' },
        'console-port': { type: 'string' },
        'data-dir': { type: 'string' },
        'in-memory': { type: 'boolean' },
        code: { type: 'string' },
        region: { type: 'string' },
        'table-name': { type: 'string' },
        'key-attribute': { type: 'string' },
        'row-mapping': { type: 'string' },
        'log-level': { type: 'string' },
        'deleted-row-retention-days': { type: 'string' },
        'time-to-live-attribute': { type: 'string' },
        'retain-personal-data-of-deleted-users': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new LocalStackError(`${errorMessage(error)}\n\n${USAGE}`, { cause: error });
  }
  if (values.help) return { kind: 'help' };
  const text = (flag: string, variable: string): [string | undefined, string] => {
    const fromFlag = values[flag];
    if (typeof fromFlag === 'string') return [fromFlag, `--${flag}`];
    const fromEnv = env[variable];
    return [fromEnv === '' ? undefined : fromEnv, variable];
  };
  const port = (flag: string, variable: string): number | undefined => {
    const [value, source] = text(flag, variable);
    return value === undefined ? undefined : parsePort(value, source);
  };
  const logLevel = (): LogLevel | undefined => {
    const [value, source] = text('log-level', LOG_LEVEL_SETTING.env);
    return value === undefined
      ? undefined
      : asLocalStackError(() => LOG_LEVEL_SETTING.parse(value, source));
  };
  const inMemory =
    values['in-memory'] === true ||
    asLocalStackError(() => parseBoolean(env.LOCAL_IN_MEMORY, 'LOCAL_IN_MEMORY'));
  const dataDir = text('data-dir', 'LOCAL_DATA_DIR')[0] ?? DEFAULT_DATA_DIR;
  const keyAttribute = text('key-attribute', KEY_ATTRIBUTE_SETTING.env);
  const rowMapping = text('row-mapping', ROW_MAPPING_SETTING.env);
  if (rowMapping[0] !== undefined) {
    // Checked now, so that a bad document is named before anything starts.
    asLocalStackError(() =>
      readRowMapping(rowMapping[0], {
        source: rowMapping[1],
        ...(keyAttribute[0] !== undefined ? { keyAttribute: keyAttribute[0] } : {}),
      }),
    );
  }
  const deletedRows = asLocalStackError(() => {
    const retain = RETAIN_PERSONAL_DATA_SETTING;
    const days = text('deleted-row-retention-days', DELETED_ROW_RETENTION_SETTING.env);
    const attribute = text('time-to-live-attribute', TIME_TO_LIVE_ATTRIBUTE_SETTING.env);
    return toDeletedRowPolicy(
      {
        retainPersonalDataOfDeletedUsers:
          values['retain-personal-data-of-deleted-users'] === true ||
          retain.parse(env[retain.env], retain.env),
        deletedRowRetentionDays: DELETED_ROW_RETENTION_SETTING.parse(...days),
        timeToLiveAttribute: TIME_TO_LIVE_ATTRIBUTE_SETTING.parse(...attribute),
      },
      keyAttribute[0] ?? LOCAL_STACK_DEFAULTS.keyAttribute,
      { timeToLiveAttribute: attribute[1], keyAttribute: keyAttribute[1] },
    );
  });
  const options: LocalStackOptions = {
    host: text('host', 'LOCAL_HOST')[0],
    cognitoPort: port('cognito-port', 'LOCAL_COGNITO_PORT'),
    dynamodbPort: port('dynamodb-port', 'LOCAL_DYNAMODB_PORT'),
    lambdaPort: port('lambda-port', 'LOCAL_LAMBDA_PORT'),
    consolePort: port('console-port', 'LOCAL_CONSOLE_PORT'),
    confirmationCode: text('code', 'LOCAL_CONFIRMATION_CODE')[0],
    region: text('region', 'LOCAL_REGION')[0],
    tableName: text('table-name', TABLE_NAME_SETTING.env)[0],
    keyAttribute: keyAttribute[0],
    rowMapping: rowMapping[0],
    logLevel: logLevel(),
    ...(isDefaultDeletedRowPolicy(deletedRows) ? {} : { deletedRows }),
    ...(inMemory ? {} : { dataDir }),
  };
  for (const key of Object.keys(options) as (keyof LocalStackOptions)[]) {
    if (options[key] === undefined) delete options[key];
  }
  return { kind: 'start', options, stackFile: join(dataDir, 'stack.json') };
}

/** Runs a shared parser, reporting its `ConfigError` as the local stack's own error. */
function asLocalStackError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new LocalStackError(error.message, { cause: error });
    }
    throw error;
  }
}
