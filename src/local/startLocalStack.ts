import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import {
  parseRetentionDays,
  parseTimeToLiveAttribute,
  toDeletedRowPolicy,
} from '../domain/deletedRows.js';
import '../shared/silenceSdkNotices.js';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCognitoClient } from '../aws/pool/cognitoClient.js';
import { readUserGroups } from '../aws/pool/userGroups.js';
import { createDynamoDocumentClient } from '../aws/store/dynamoClient.js';
import { ensureUserTable } from '../aws/store/ensureTable.js';
import { parseKeyAttribute } from '../domain/config.js';
import type { RowMapping } from '../domain/rowMapping/document.js';
import { readRowMapping } from '../domain/rowMapping/readRowMapping.js';
import { resolveRowMapping } from '../domain/rowMapping/validate.js';
import { TABLE_NAME_SETTING } from '../domain/settings/index.js';
import { errorMessage } from '../shared/failure.js';
import { createLogger, type LogSink } from '../shared/logger.js';
import { createPostConfirmationHandler } from '../sync/handler/postConfirmation.js';
import { type CognitoServer, emulatorLogLevel, startCognitoServer } from './cognitoServer.js';
import { createActivityLog } from './console/activityLog.js';
import { type RunningConsole, startConsole } from './console/startConsole.js';
import { type DynamoServer, startDynamoServer } from './dynamoServer.js';
import { type InvokeServer, startInvokeServer } from './invokeServer.js';
import { attachLifecycle, type LocalLifecycle, SUB_INDEX_NAME } from './lifecycle.js';
import { LOCAL_STACK_DEFAULTS, type LocalStackOptions } from './localStackOptions.js';
import { LocalStackError } from './support/localStackError.js';
import { parsePort } from './support/ports.js';
import { ensureUserPool } from './userPool.js';

export { LOCAL_STACK_DEFAULTS, type LocalStackOptions } from './localStackOptions.js';

/** A running local stack: where to reach it, and how to stop it. */
export interface LocalStack {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  tableName: string;
  /** `http://host:port` of the Cognito API. */
  cognitoEndpoint: string;
  /** `http://host:port` of the DynamoDB API. */
  dynamodbEndpoint: string;
  /** `http://host:port` of the Lambda Invoke API running the trigger. */
  lambdaEndpoint: string;
  /** `http://host:port/` of the web console. */
  consoleUrl: string;
  confirmationCode: string;
  /** The row mapping the table was created with and every function writes by. */
  rowMapping: RowMapping;
  /** Resolves once every change signal emitted so far has been handled by the change-signal function. */
  settle(): Promise<void>;
  /** Stops every server and waits until the data is on disk; safe to call twice. */
  stop(): Promise<void>;
}

/** A service the functions call. */
export type FunctionService = 'dynamodb' | 'cognito';

/**
 * Taps into the functions of a local stack (trigger, sign-in, change signal),
 * for tests and tools that watch them or put something between them and the
 * servers. Nothing here changes what the stack's own clients, the console or
 * the banner use.
 */
export interface LocalStackInstrumentation {
  /**
   * Receives every JSON log line of the functions, whatever `logLevel`
   * (what is printed does not change). @default - none
   */
  readonly functionLogSink?: LogSink;
  /**
   * Given a server's endpoint once it listens, returns the endpoint the
   * functions call instead, e.g. a proxy in front of it that injects faults.
   * @default - the server's own endpoint
   */
  readonly functionEndpoint?: (service: FunctionService, endpoint: string) => Promise<string>;
}

/** Name of the Post Confirmation function behind the Lambda endpoint. */
export const POST_CONFIRMATION_FUNCTION = 'cognito-user-sync-post-confirmation';

/** Dummy credentials: the local servers accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * Starts the local stack in this process: a DynamoDB API (dynalite), a Lambda
 * Invoke API running the Post Confirmation handler (the code that deploys,
 * writing to that DynamoDB), and a Cognito API (cognito-local) that calls it
 * on confirmation. Then makes sure of the table, a user pool signing in with
 * e-mail, and an app client allowing `USER_PASSWORD_AUTH`, and serves the web
 * console (`src/local/console/`), whose activity log hears every function's log lines.
 *
 * @throws LocalStackError when a port is in use (naming it), an option is
 *   invalid, or the stored data cannot be read; nothing is left running
 */
export async function startLocalStack(
  options: LocalStackOptions = {},
  instrumentation: LocalStackInstrumentation = {},
): Promise<LocalStack> {
  const settings = resolveOptions(options);
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const stack: Partial<{
    dynamo: DynamoServer;
    invoke: InvokeServer;
    cognito: CognitoServer;
    console: RunningConsole;
  }> = {};
  let lifecycle: LocalLifecycle | undefined;
  const documentClient = {
    current: undefined as ReturnType<typeof createDynamoDocumentClient> | undefined,
  };
  // The trigger reads a user's groups (when the mapping keeps them) from the local
  // Cognito, which starts after the trigger exists: its client is made then.
  const groupsClient: { current?: ReturnType<typeof createCognitoClient> } = {};
  const stopAll = async (): Promise<void> => {
    await stack.console?.close();
    await lifecycle?.settle();
    await stack.cognito?.close();
    await lifecycle?.stop();
    await stack.invoke?.close();
    documentClient.current?.destroy();
    groupsClient.current?.destroy();
    await stack.dynamo?.close();
  };
  try {
    stack.dynamo = await startDynamoServer({
      path: dataDir && join(dataDir, 'dynamodb'),
      host: settings.host,
      port: settings.dynamodbPort,
    });
    const functionEndpoint = async (service: FunctionService, endpoint: string) =>
      instrumentation.functionEndpoint
        ? instrumentation.functionEndpoint(service, endpoint)
        : endpoint;
    // The functions' client, built as the deployed functions build theirs: one
    // attempt per call, the handlers retrying on their own (INVOCATION_RETRY).
    const client = createDynamoDocumentClient({
      endpoint: await functionEndpoint('dynamodb', stack.dynamo.endpoint),
      region: settings.region,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    documentClient.current = client;
    const activity = createActivityLog();
    // Every log line of the functions feeds the console's activity log; those at `logLevel` are printed.
    const printed = activity.sink(settings.logLevel, (line) => process.stdout.write(`${line}\n`));
    const tap = instrumentation.functionLogSink;
    const logSink: LogSink = tap
      ? (line) => {
          tap(line);
          printed(line);
        }
      : printed;
    const rowMapping = localRowMapping(settings);
    const handler = createPostConfirmationHandler({
      config: {
        tableName: settings.tableName,
        keyAttribute: settings.keyAttribute,
        userAttributes: undefined,
        logLevel: settings.logLevel,
        rowMapping,
      },
      client,
      logger: createLogger({
        level: 'debug',
        base: { service: 'cognito-user-sync' },
        sink: logSink,
      }),
      readGroups: async (userPoolId, username, signal) => {
        if (!groupsClient.current) throw new Error('the local Cognito API is not started yet');
        return readUserGroups(groupsClient.current, userPoolId, username, {
          retry: { signal, maxAttempts: 1 },
        });
      },
    });
    lifecycle = attachLifecycle({ ...settings, rowMapping, client, sink: logSink });
    stack.invoke = await startInvokeServer({
      functions: {
        // The handler checks the event at run time: the Invoke API hands it over as it came.
        [POST_CONFIRMATION_FUNCTION]: (event, context) =>
          handler(event as PostConfirmationTriggerEvent, context),
        ...lifecycle.functions,
      },
      host: settings.host,
      port: settings.lambdaPort,
    });
    stack.cognito = await startCognitoServer({
      host: settings.host,
      port: settings.cognitoPort,
      directory: dataDir && join(dataDir, 'cognito'),
      lambdaEndpoint: stack.invoke.endpoint,
      triggerFunctions: {
        PostConfirmation: POST_CONFIRMATION_FUNCTION,
        ...lifecycle.triggerFunctions,
      },
      confirmationCode: settings.confirmationCode,
      logLevel: emulatorLogLevel(settings.logLevel),
      onChangeSignal: settings.changeSignals ? lifecycle.onChangeSignal : undefined,
      region: settings.region,
    });
    // The functions' one Cognito endpoint (an instrumentation may put a proxy in front of it).
    const functionsCognitoEndpoint = await functionEndpoint('cognito', stack.cognito.endpoint);
    groupsClient.current = createCognitoClient({
      endpoint: functionsCognitoEndpoint,
      region: settings.region,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    await createTable(stack.dynamo.endpoint, settings, rowMapping);
    const ids = await ensureUserPool(stack.cognito, settings);
    await lifecycle.start({
      ...ids,
      cognitoEndpoint: functionsCognitoEndpoint,
      dynamodbEndpoint: stack.dynamo.endpoint,
    });
    stack.console = await startConsole({
      overview: {
        region: settings.region,
        ...ids,
        tableName: settings.tableName,
        keyAttribute: settings.keyAttribute,
        confirmationCode: settings.confirmationCode,
        cognitoEndpoint: stack.cognito.endpoint,
        dynamodbEndpoint: stack.dynamo.endpoint,
        deletedRows: settings.deletedRows,
      },
      credentials: LOCAL_CREDENTIALS,
      activity,
      host: settings.host,
      port: settings.consolePort,
      rowMapping,
    });
    let stopping: Promise<void> | undefined;
    return {
      region: settings.region,
      ...ids,
      tableName: settings.tableName,
      cognitoEndpoint: stack.cognito.endpoint,
      dynamodbEndpoint: stack.dynamo.endpoint,
      lambdaEndpoint: stack.invoke.endpoint,
      consoleUrl: stack.console.url,
      confirmationCode: settings.confirmationCode,
      rowMapping,
      settle: () => lifecycle?.settle() ?? Promise.resolve(),
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}

/**
 * The stack's row mapping, resolved: `rowMapping` as a document, JSON text
 * or a file's path, under the `keyAttribute` setting.
 *
 * @throws LocalStackError naming what is wrong with it
 */
export function localRowMapping(
  settings: Pick<Settings, 'rowMapping' | 'keyAttribute'>,
): RowMapping {
  const keyAttribute =
    settings.keyAttribute === LOCAL_STACK_DEFAULTS.keyAttribute ? undefined : settings.keyAttribute;
  const options = { source: 'rowMapping', ...(keyAttribute ? { keyAttribute } : {}) };
  try {
    return typeof settings.rowMapping === 'string'
      ? readRowMapping(settings.rowMapping, options)
      : resolveRowMapping(settings.rowMapping, options);
  } catch (error) {
    throw new LocalStackError(errorMessage(error), { cause: error });
  }
}

async function createTable(
  endpoint: string,
  settings: { region: string; tableName: string },
  rowMapping: RowMapping,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: settings.region,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await ensureUserTable(client, {
      tableName: settings.tableName,
      keyAttribute: rowMapping.key.attribute,
      sortKeyAttribute: rowMapping.sortKey?.attribute,
      // The index of the change signals is keyed by the `sub` column (none when the key carries it).
      ...(rowMapping.fields.sub === 'sub' ? { subIndexName: SUB_INDEX_NAME } : {}),
    });
  } catch (error) {
    throw new LocalStackError(
      `could not create table "${settings.tableName}" at ${endpoint}: ${errorMessage(error)}`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}

type Settings = Required<Omit<LocalStackOptions, 'dataDir'>>;

function optionalText(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/**
 * Applies the defaults and checks the options.
 *
 * @throws LocalStackError naming the invalid option and its value
 */
export function resolveOptions(options: LocalStackOptions): Settings {
  const settings: Settings = { ...LOCAL_STACK_DEFAULTS };
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && name !== 'dataDir')
      (settings as Record<string, unknown>)[name] = value;
  }
  for (const name of ['cognitoPort', 'dynamodbPort', 'lambdaPort', 'consolePort'] as const) {
    settings[name] = parsePort(settings[name], name);
  }
  try {
    settings.tableName = TABLE_NAME_SETTING.parse(settings.tableName, 'tableName');
    settings.keyAttribute = parseKeyAttribute(settings.keyAttribute, 'keyAttribute');
    settings.deletedRows = toDeletedRowPolicy(
      {
        retainPersonalDataOfDeletedUsers: settings.deletedRows.retainPersonalData === true,
        deletedRowRetentionDays: parseRetentionDays(
          optionalText(settings.deletedRows.retentionDays),
          'deletedRows.retentionDays',
        ),
        timeToLiveAttribute: parseTimeToLiveAttribute(
          settings.deletedRows.timeToLiveAttribute,
          'deletedRows.timeToLiveAttribute',
        ),
      },
      settings.keyAttribute,
      { timeToLiveAttribute: 'deletedRows.timeToLiveAttribute', keyAttribute: 'keyAttribute' },
    );
  } catch (error) {
    throw new LocalStackError(errorMessage(error), { cause: error });
  }
  localRowMapping(settings);
  for (const name of [
    'confirmationCode',
    'region',
    'host',
    'userPoolName',
    'clientName',
  ] as const) {
    if (typeof settings[name] !== 'string' || settings[name].trim() === '') {
      throw new LocalStackError(
        `${name} must be a non-empty string, got "${String(settings[name])}"`,
      );
    }
  }
  return settings;
}
