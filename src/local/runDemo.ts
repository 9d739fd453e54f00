import { randomUUID } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { renderRowKey } from '../domain/rowMapping/keys.js';
import { resolveRowMapping } from '../domain/rowMapping/validate.js';
import { readStackFile } from './stackFile.js';
import { LOCAL_CREDENTIALS } from './startLocalStack.js';
import { LocalStackError } from './support/localStackError.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The running stack's file. */
  readonly stackFile: string;
  /** Receives the narration. */
  readonly out: (text: string) => void;
  /** How long to wait for the row. @default 5000 */
  readonly waitMs?: number;
}

/** What the demo did. */
export interface DemoResult {
  readonly email: string;
  readonly userSub: string;
  readonly row: Record<string, unknown>;
}

/**
 * Drives a running local stack as an app would: signs a new user up, confirms
 * the sign-up with the fixed code, signs in, and reads the row the trigger
 * wrote.
 *
 * @throws LocalStackError when the stack is not running or no row appears
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const stack = await readStackFile(options.stackFile);
  const keyAttribute = stack.keyAttribute ?? 'username';
  // The row's key under the stack's row mapping (the username is the sub in this pool).
  const keyOf = (sub: string): Record<string, string> => {
    if (!stack.rowKeys) return { [keyAttribute]: sub };
    const mapping = resolveRowMapping(stack.rowKeys);
    return (
      renderRowKey(mapping, { sub, username: sub, userPoolId: stack.userPoolId }) ?? {
        [keyAttribute]: sub,
      }
    );
  };
  const clientConfig = { region: stack.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  const cognito = new CognitoIdentityProviderClient({
    ...clientConfig,
    endpoint: stack.cognitoEndpoint,
  });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...clientConfig, endpoint: stack.dynamodbEndpoint }),
  );
  try {
    const email = `demo-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'Demo-passw0rd!';
    options.out(`Signing up ${email}…\n`);
    const { UserSub } = await reach(stack.cognitoEndpoint, () =>
      cognito.send(
        new SignUpCommand({
          ClientId: stack.userPoolClientId,
          Username: email,
          Password: password,
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      ),
    );
    if (!UserSub) throw new LocalStackError('SignUp returned no UserSub');
    options.out(`Confirming with code ${stack.confirmationCode}…\n`);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: stack.userPoolClientId,
        Username: email,
        ConfirmationCode: stack.confirmationCode,
      }),
    );
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    options.out(`Signed in: ${auth.AuthenticationResult?.IdToken ? 'got tokens' : 'no tokens'}\n`);
    const row = await waitForRow(dynamo, stack.tableName, keyOf(UserSub), options.waitMs ?? 5000);
    if (!row) {
      throw new LocalStackError(
        `no row for ${UserSub} in table "${stack.tableName}" after ${options.waitMs ?? 5000} ms: the trigger failed, see the stack's output`,
      );
    }
    options.out(`Row in table "${stack.tableName}":\n${JSON.stringify(row, undefined, 2)}\n`);
    return { email, userSub: UserSub, row };
  } finally {
    cognito.destroy();
    dynamo.destroy();
  }
}

async function reach<T>(endpoint: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED') {
      throw new LocalStackError(
        `nothing answers at ${endpoint}: start the stack with "npm start"`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function waitForRow(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
  waitMs: number,
): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    if (Item) return Item;
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
