import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { resolveRowMapping } from '../../domain/rowMapping/validate.js';
import type { ActivityLog } from './activityLog.js';
import { type ConsoleOverview, createConsoleApi } from './consoleApi.js';
import { startConsoleServer } from './consoleServer.js';
import { createReconcileRunner } from './reconcileRunner.js';
import { createSyncSnapshotSource } from './syncSnapshot.js';

/** Options of {@link startConsole}. */
export interface StartConsoleOptions {
  /** The stack's ids and endpoints. */
  readonly overview: ConsoleOverview;
  /** Credentials the local servers accept. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The handler's recent invocations. */
  readonly activity: ActivityLog;
  /** Interface to bind. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /** Folder of the built page. @default - `dist/console` of this package */
  readonly assetsDir?: string;
  /** The row mapping every function of the stack writes by. @default - `{}` under the overview's key attribute */
  readonly rowMapping?: RowMapping;
}

/** A running console and its clients. */
export interface RunningConsole {
  /** The page's address. */
  readonly url: string;
  /** Stops the server, waits for a reconcile run under way, and closes the clients. */
  close(): Promise<void>;
}

/**
 * Starts the web console of the local stack: SDK clients pointed at the local
 * Cognito and DynamoDB APIs (as any app would use them), the package's
 * listing, scanning and reconcile code behind a small JSON API, and the page.
 */
export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const { overview } = options;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: overview.cognitoEndpoint,
    region: overview.region,
    credentials: options.credentials,
    maxAttempts: 1,
  });
  const dynamo = createDynamoDocumentClient({
    endpoint: overview.dynamodbEndpoint,
    region: overview.region,
    credentials: options.credentials,
    requestTimeoutMs: 10_000,
  });
  const rowMapping =
    options.rowMapping ?? resolveRowMapping({}, { keyAttribute: overview.keyAttribute });
  const snapshots = createSyncSnapshotSource({
    cognito,
    dynamo,
    userPoolId: overview.userPoolId,
    tableName: overview.tableName,
    rowMapping,
  });
  const reconciler = createReconcileRunner({
    cognito,
    dynamo,
    userPoolId: overview.userPoolId,
    tableName: overview.tableName,
    keyAttribute: overview.keyAttribute,
    rowMapping,
    ...(overview.deletedRows ? { deletedRows: overview.deletedRows } : {}),
    activity: options.activity,
    onFinished: () => snapshots.invalidate(),
  });
  const api = createConsoleApi({
    target: {
      cognito,
      dynamo,
      userPoolId: overview.userPoolId,
      userPoolClientId: overview.userPoolClientId,
      tableName: overview.tableName,
      keyAttribute: overview.keyAttribute,
      rowMapping,
      confirmationCode: overview.confirmationCode,
    },
    overview: {
      ...overview,
      ...(rowMapping.fields.groups === undefined ? {} : { groupsColumn: rowMapping.fields.groups }),
    },
    snapshots,
    activity: options.activity,
    reconciler,
  });
  const destroyClients = (): void => {
    cognito.destroy();
    dynamo.destroy();
  };
  try {
    const server = await startConsoleServer({
      host: options.host,
      port: options.port,
      api,
      ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}),
    });
    return {
      url: server.url,
      close: async () => {
        await server.close();
        await reconciler.settled();
        destroyClients();
      },
    };
  } catch (error) {
    destroyClients();
    throw error;
  }
}
