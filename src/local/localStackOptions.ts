import { DEFAULT_DELETED_ROW_POLICY, type DeletedRowPolicy } from '../domain/deletedRows.js';
import type { RowMappingDocument } from '../domain/rowMapping/document.js';
import type { LogLevel } from '../shared/logger.js';

/** Options of `startLocalStack`; every one has a default ({@link LOCAL_STACK_DEFAULTS}). */
export interface LocalStackOptions {
  /**
   * Directory holding the data (`dynamodb/` for the table, `cognito/` for the
   * pools), kept across restarts.
   * @default - in memory: nothing is written to disk and everything is lost on stop
   */
  dataDir?: string;
  /** Interface every server binds. @default '127.0.0.1' */
  host?: string;
  /** Port of the Cognito API; 0 picks a free port. @default 9230 */
  cognitoPort?: number;
  /** Port of the DynamoDB API; 0 picks a free port. @default 8000 */
  dynamodbPort?: number;
  /** Port of the Lambda Invoke API; 0 picks a free port. @default 9001 */
  lambdaPort?: number;
  /** Port of the web console; 0 picks a free port. @default 9002 */
  consolePort?: number;
  /** The code every confirmation "sends" (sign-up, forgotten password). @default '123456' */
  confirmationCode?: string;
  /** Region reported to clients (the servers accept any). @default 'us-east-1' */
  region?: string;
  /** Name of the user table. @default 'users' */
  tableName?: string;
  /** Partition key attribute of the user table. @default 'username' */
  keyAttribute?: string;
  /**
   * The row mapping (keys, field names, attribute columns, constants): a
   * document, or JSON text, or the path of a JSON file (`--row-mapping`).
   * The table is created with its keys, and every function, the console and
   * its reconcile write by it. @default {} - today's row
   */
  rowMapping?: RowMappingDocument | string;
  /** Name of the user pool, found or created. @default 'local-users' */
  userPoolName?: string;
  /** Name of the app client, found or created. @default 'local-app' */
  clientName?: string;
  /** Level of the log lines of the trigger and the emulator (stdout). @default 'info' */
  logLevel?: LogLevel;
  /**
   * Emit change signals (CloudTrail-shaped events) for the Cognito calls that
   * change users, converged into the table within moments; off simulates an
   * account without a trail. @default true
   */
  changeSignals?: boolean;
  /**
   * What marking a deleted user's row does besides `deletedAt` (erasure, a
   * retention through a Time to Live attribute), for the change signals and
   * the console's reconcile. dynalite runs no Time to Live: the console shows
   * the expiry, DynamoDB would act on it. @default - erase, no expiry
   */
  deletedRows?: DeletedRowPolicy;
}

/** Default values of {@link LocalStackOptions}. */
export const LOCAL_STACK_DEFAULTS = {
  host: '127.0.0.1',
  cognitoPort: 9230,
  dynamodbPort: 8000,
  lambdaPort: 9001,
  consolePort: 9002,
  confirmationCode: '123456',
  region: 'us-east-1',
  tableName: 'users',
  keyAttribute: 'username',
  rowMapping: {},
  userPoolName: 'local-users',
  clientName: 'local-app',
  logLevel: 'info',
  changeSignals: true,
  deletedRows: DEFAULT_DELETED_ROW_POLICY,
} as const satisfies Required<Omit<LocalStackOptions, 'dataDir'>>;
