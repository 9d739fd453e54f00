// Shared setup of the reconcile integration tests: an in-memory local stack,
// users made with AdminCreateUser, and raw access to the table.
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import type { ReconcileConfig } from '../../src/domain/reconcileConfig.js';
import { type LocalStack, startLocalStack } from '../../src/local/startLocalStack.js';
import { forEachConcurrent } from '../helpers/forEachConcurrent.js';
import { testReconcileConfig } from '../helpers/reconcileConfig.js';

/** A long-past `createdAt`, so that hand-written orphans are past the grace period. */
export const OLD = '2020-01-01T00:00:00.000Z';

/** A running stack plus clients and helpers. */
export interface ReconcileWorld {
  readonly stack: LocalStack;
  readonly cognito: CognitoIdentityProviderClient;
  readonly dynamo: ReturnType<typeof createDynamoDocumentClient>;
  /** Creates users with AdminCreateUser; returns their usernames (UUIDs). */
  createUsers(count: number, prefix: string): Promise<string[]>;
  /** Deletes a user from the pool. */
  deleteUser(userName: string): Promise<void>;
  /** Every row of the table, by key. */
  rows(): Promise<Map<string, Record<string, unknown>>>;
  /** One row, or undefined. */
  row(key: string): Promise<Record<string, unknown> | undefined>;
  /** Writes a row as is. */
  putRow(item: Record<string, unknown>): Promise<void>;
  /** Deletes a row by key. */
  deleteRow(key: string): Promise<void>;
  /** A reconcile configuration for this stack. */
  config(patch?: Partial<ReconcileConfig>): ReconcileConfig;
  /** Environment pointing the AWS SDK (and so the CLI) at this stack. */
  env(): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Starts an in-memory local stack on free ports. */
export async function startReconcileWorld(): Promise<ReconcileWorld> {
  // No change signals: users made with AdminCreateUser must stay without a row.
  const stack = await startLocalStack({
    cognitoPort: 0,
    dynamodbPort: 0,
    lambdaPort: 0,
    changeSignals: false,
    consolePort: 0,
    logLevel: 'silent',
  });
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack.cognitoEndpoint,
    region: stack.region,
  });
  const dynamo = createDynamoDocumentClient({
    endpoint: stack.dynamodbEndpoint,
    region: stack.region,
    requestTimeoutMs: 5000,
  });
  const world: ReconcileWorld = {
    stack,
    cognito,
    dynamo,
    async createUsers(count, prefix) {
      const names: string[] = new Array(count);
      await forEachConcurrent(
        Array.from({ length: count }, (_, i) => i),
        4,
        async (i) => {
          const email = `${prefix}-${i}@example.com`;
          const { User } = await cognito.send(
            new AdminCreateUserCommand({
              UserPoolId: stack.userPoolId,
              Username: email,
              MessageAction: 'SUPPRESS',
              UserAttributes: [
                { Name: 'email', Value: email },
                { Name: 'given_name', Value: `Given ${i}` },
              ],
            }),
          );
          names[i] = User?.Username as string;
        },
      );
      return names;
    },
    async deleteUser(userName) {
      await cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: stack.userPoolId, Username: userName }),
      );
    },
    async rows() {
      const rows = new Map<string, Record<string, unknown>>();
      let start: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.send(
          new ScanCommand({
            TableName: stack.tableName,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) rows.set(String(item.username), item);
        start = page.LastEvaluatedKey;
      } while (start);
      return rows;
    },
    async row(key) {
      const { Item } = await dynamo.send(
        new GetCommand({
          TableName: stack.tableName,
          Key: { username: key },
          ConsistentRead: true,
        }),
      );
      return Item;
    },
    async putRow(item) {
      await dynamo.send(new PutCommand({ TableName: stack.tableName, Item: item }));
    },
    async deleteRow(key) {
      await dynamo.send(new DeleteCommand({ TableName: stack.tableName, Key: { username: key } }));
    },
    config(patch = {}) {
      return testReconcileConfig({
        userPoolId: stack.userPoolId,
        tableName: stack.tableName,
        listRate: 1000,
        // One unfiltered listing: the pages are the pool's, and rows without a sub can be orphans.
        listChains: 1,
        ...patch,
      });
    },
    env() {
      return {
        PATH: process.env.PATH,
        AWS_REGION: stack.region,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: stack.cognitoEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      };
    },
    async close() {
      cognito.destroy();
      dynamo.destroy();
      await stack.stop();
    },
  };
  return world;
}
