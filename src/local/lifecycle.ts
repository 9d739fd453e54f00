import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { hasIndex } from '../aws/store/ensureTable.js';
import type { DeletedRowPolicy } from '../domain/deletedRows.js';
import type { RowMapping } from '../domain/rowMapping/document.js';
import { errorMessage } from '../shared/failure.js';
import type { LogLevel } from '../shared/logger.js';
import { createLogger, type LogSink } from '../shared/logger.js';
import {
  type ChangeSignalHandler,
  createChangeSignalHandler,
} from '../sync/handler/changeSignal.js';
import { createPostAuthenticationHandler } from '../sync/handler/postAuthentication.js';
import type { CloudTrailApiCallEvent } from './changeSignals.js';
import type { LocalFunction } from './invokeServer.js';
import { LocalStackError } from './support/localStackError.js';

/** Name of the Post Authentication function behind the Lambda endpoint. */
export const POST_AUTHENTICATION_FUNCTION = 'cognito-user-sync-post-authentication';

/**
 * Name of the table's `sub` index, created with the local table (dynalite
 * cannot add an index to an existing table: a table kept from an older run
 * goes without, and deleted users are then found by key only).
 */
export const SUB_INDEX_NAME = 'bySub';

/** Name of the change-signal function behind the Lambda endpoint. */
export const CHANGE_SIGNAL_FUNCTION = 'cognito-user-sync-change-signal';

/** What the lifecycle part of the local stack needs. */
export interface LocalLifecycleOptions {
  /** The user table. */
  readonly tableName: string;
  /** Its partition key attribute. */
  readonly keyAttribute: string;
  /** How a user becomes a row. @default - `{}` under `keyAttribute` */
  readonly rowMapping?: RowMapping;
  /** Region of the local clients. */
  readonly region: string;
  /** Level of the functions' log lines. */
  readonly logLevel: LogLevel;
  /** Erasure and retention of marked rows. @default - erase, no expiry */
  readonly deletedRows?: DeletedRowPolicy;
  /** The document client of the local DynamoDB. */
  readonly client: DynamoDBDocumentClient;
  /**
   * Receives every log line of the functions, whatever `logLevel` (the sink
   * decides what to print). @default - lines at `logLevel` or above go to stdout
   */
  readonly sink?: LogSink;
}

/** Where the stack's services are, once they run. */
export interface LocalLifecycleTargets {
  /** The local pool. */
  readonly userPoolId: string;
  /** `http://host:port` of the Cognito API. */
  readonly cognitoEndpoint: string;
  /** `http://host:port` of the DynamoDB API. */
  readonly dynamodbEndpoint: string;
}

/** The sign-in trigger and the change signals of the local stack. */
export interface LocalLifecycle {
  /** Functions for the Invoke API (sign-in trigger, change-signal function). */
  readonly functions: Readonly<Record<string, LocalFunction>>;
  /** Trigger functions for cognito-local (`PostAuthentication`). */
  readonly triggerFunctions: Readonly<Record<string, string>>;
  /** Delivers one change signal to the change-signal function, in the background. */
  readonly onChangeSignal: (event: CloudTrailApiCallEvent) => void;
  /** Looks for the table's `sub` index and starts delivering change signals. */
  start(targets: LocalLifecycleTargets): Promise<void>;
  /** Resolves once every change signal emitted so far has been handled. */
  settle(): Promise<void>;
  /** Settles, then releases the Cognito client. */
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Builds the lifecycle part of the local stack: the Post Authentication
 * trigger (the deployable handler), and a change-signal function fed with
 * the CloudTrail-shaped events the local Cognito API emits, as an EventBridge
 * rule would on AWS. Signals are delivered in the order of the calls, one at
 * a time, after each call has answered.
 */
export function attachLifecycle(options: LocalLifecycleOptions): LocalLifecycle {
  const logger = createLogger({
    level: options.sink ? 'debug' : options.logLevel,
    base: { service: 'cognito-user-sync' },
    ...(options.sink ? { sink: options.sink } : {}),
  });
  const config = {
    tableName: options.tableName,
    keyAttribute: options.keyAttribute,
    userAttributes: undefined,
    logLevel: options.logLevel,
    ...(options.rowMapping ? { rowMapping: options.rowMapping } : {}),
  };
  const deletedRows = options.deletedRows ? { deletedRows: options.deletedRows } : {};
  const signIn = createPostAuthenticationHandler({
    config,
    client: options.client,
    logger,
    ...deletedRows,
  });
  let changeSignal: ChangeSignalHandler | undefined;
  let cognito: CognitoIdentityProviderClient | undefined;
  let queue: Promise<void> = Promise.resolve();

  const deliver = (event: unknown): Promise<unknown> => {
    if (!changeSignal) return Promise.resolve({ status: 'ignored', reason: 'not started' });
    return changeSignal(event);
  };

  const settle = async (): Promise<void> => {
    let seen: Promise<void>;
    do {
      seen = queue;
      await seen;
    } while (seen !== queue);
  };

  return {
    functions: {
      // The handler checks the event at run time: the Invoke API hands it over as it came.
      [POST_AUTHENTICATION_FUNCTION]: (event, context) =>
        signIn(event as PostAuthenticationTriggerEvent, context),
      [CHANGE_SIGNAL_FUNCTION]: (event) => deliver(event),
    },
    triggerFunctions: { PostAuthentication: POST_AUTHENTICATION_FUNCTION },
    onChangeSignal: (event) => {
      // A failure is logged by the handler; the queue goes on.
      queue = queue
        .then(() => deliver(event))
        .then(
          () => undefined,
          () => undefined,
        );
    },
    start: async (targets) => {
      const raw = new DynamoDBClient({
        endpoint: targets.dynamodbEndpoint,
        region: options.region,
        credentials,
      });
      let indexed: boolean;
      try {
        indexed = await hasIndex(raw, options.tableName, SUB_INDEX_NAME);
      } catch (error) {
        throw new LocalStackError(
          `could not describe table "${options.tableName}": ${errorMessage(error)}`,
          { cause: error },
        );
      } finally {
        raw.destroy();
      }
      cognito = new CognitoIdentityProviderClient({
        endpoint: targets.cognitoEndpoint,
        region: options.region,
        credentials,
        // One attempt per call, as in the deployed function: the handler retries on its own.
        maxAttempts: 1,
      });
      changeSignal = createChangeSignalHandler({
        config: {
          ...config,
          userPoolId: targets.userPoolId,
          onDeleted: 'mark',
          subIndexName: indexed ? SUB_INDEX_NAME : undefined,
          ...deletedRows,
        },
        cognito,
        client: options.client,
        logger,
      });
    },
    settle,
    stop: async () => {
      await settle();
      cognito?.destroy();
    },
  };
}
