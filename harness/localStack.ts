import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { createCognitoClient } from '../src/aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../src/aws/store/dynamoClient.js';
import type { StackFacts } from '../src/local/stackFile.js';
import {
  LOCAL_CREDENTIALS,
  type LocalStack,
  type LocalStackInstrumentation,
  type LocalStackOptions,
  startLocalStack,
} from '../src/local/startLocalStack.js';

/** The password every test user gets. */
export const TEST_PASSWORD = 'Test-passw0rd!';

/** Where a stack is reached, as a started stack or a stack file gives it. */
export type StackAddress = Pick<
  StackFacts,
  | 'region'
  | 'cognitoEndpoint'
  | 'dynamodbEndpoint'
  | 'userPoolClientId'
  | 'userPoolId'
  | 'tableName'
> & { confirmationCode: string };

/** SDK clients pointed at a stack, as an app would use them. */
export interface StackClients {
  readonly cognito: CognitoIdentityProviderClient;
  readonly dynamo: DynamoDBDocumentClient;
  destroy(): void;
}

/** Starts an in-process stack on free ports, quiet. */
export function startTestStack(
  options: LocalStackOptions = {},
  instrumentation: LocalStackInstrumentation = {},
): Promise<LocalStack> {
  return startLocalStack(
    {
      cognitoPort: 0,
      dynamodbPort: 0,
      lambdaPort: 0,
      consolePort: 0,
      logLevel: 'silent',
      ...options,
    },
    instrumentation,
  );
}

/** Creates the SDK clients for a stack. */
export function clientsFor(stack: StackAddress): StackClients {
  const config = {
    region: stack.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const cognito = new CognitoIdentityProviderClient({ ...config, endpoint: stack.cognitoEndpoint });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...config, endpoint: stack.dynamodbEndpoint }),
  );
  return {
    cognito,
    dynamo,
    destroy: () => {
      cognito.destroy();
      dynamo.destroy();
    },
  };
}

/** Signs a user up with an e-mail address; returns their `sub`. */
export async function signUp(
  stack: StackAddress,
  clients: StackClients,
  email: string,
): Promise<string> {
  const { UserSub } = await clients.cognito.send(
    new SignUpCommand({
      ClientId: stack.userPoolClientId,
      Username: email,
      Password: TEST_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  if (!UserSub) throw new Error('SignUp returned no UserSub');
  return UserSub;
}

/** Confirms a sign-up with the stack's code. */
export async function confirmSignUp(
  stack: StackAddress,
  clients: StackClients,
  email: string,
): Promise<void> {
  await clients.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: stack.userPoolClientId,
      Username: email,
      ConfirmationCode: stack.confirmationCode,
    }),
  );
}

/** Confirms a sign-up as an administrator. */
export async function adminConfirmSignUp(
  stack: StackAddress,
  clients: StackClients,
  email: string,
): Promise<void> {
  await clients.cognito.send(
    new AdminConfirmSignUpCommand({ UserPoolId: stack.userPoolId, Username: email }),
  );
}

/** Signs a user up and confirms them; returns their `sub`. */
export async function signUpAndConfirm(
  stack: StackAddress,
  clients: StackClients,
  email: string,
): Promise<string> {
  const sub = await signUp(stack, clients, email);
  await confirmSignUp(stack, clients, email);
  return sub;
}

/** Signs a user in with USER_PASSWORD_AUTH; resolves to whether tokens came back. */
export async function signIn(
  stack: StackAddress,
  clients: StackClients,
  email: string,
): Promise<boolean> {
  const { AuthenticationResult } = await clients.cognito.send(
    new InitiateAuthCommand({
      ClientId: stack.userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
    }),
  );
  return typeof AuthenticationResult?.IdToken === 'string';
}

/** Every row of the stack's table. */
export async function scanRows(
  stack: StackAddress,
  clients: StackClients,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const page of paginateScan(
    { client: clients.dynamo },
    { TableName: stack.tableName, ConsistentRead: true },
  )) {
    rows.push(...(page.Items ?? []));
  }
  return rows;
}

/** Resolves whether a TCP port on 127.0.0.1 can be bound (nothing holds it). */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A stack running as a child process (`node --import tsx src/local/main.ts`). */
export interface StackProcess {
  readonly child: ChildProcess;
  /** The stack file's facts once ready. */
  readonly facts: StackFacts;
  /** The ports it holds. */
  readonly ports: number[];
  /** Everything printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
}

const root = join(import.meta.dirname, '..');

/**
 * The local stack's arguments for a stack with its data in `dataDir` and every
 * server on a free port (`npm start -- …` or `src/local/main.ts …`).
 */
export function freePortStackArgs(dataDir: string): string[] {
  return [
    '--data-dir',
    dataDir,
    '--cognito-port',
    '0',
    '--dynamodb-port',
    '0',
    '--lambda-port',
    '0',
    '--console-port',
    '0',
  ];
}

/**
 * Starts the stack as a child process on free ports with its data in `dataDir`
 * and waits until its stack file appears (it must not exist beforehand).
 */
export async function spawnStack(dataDir: string, extraArgs: string[] = []): Promise<StackProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/local/main.ts',
      ...freePortStackArgs(dataDir),
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const stackFile = join(dataDir, 'stack.json');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (output.includes('Local stack ready.')) {
      const facts = JSON.parse(await readFile(stackFile, 'utf8')) as StackFacts;
      const ports = [
        facts.cognitoEndpoint,
        facts.dynamodbEndpoint,
        facts.lambdaEndpoint,
        facts.consoleUrl,
      ].map((url) => Number(new URL(url).port));
      return { child, facts, ports, output: () => output, exited };
    }
    if (ended) throw new Error(`the stack process ended before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the stack process was not ready within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The clients the command line builds for a run against a stack, and their teardown. */
export interface CommandClients {
  /** As the command line builds it: one attempt per SDK call, reconcile retries on its own. */
  readonly cognito: ReturnType<typeof createCognitoClient>;
  /** The document client, with the product's timeouts. */
  readonly dynamo: ReturnType<typeof createDynamoDocumentClient>;
  /** Destroys both. */
  destroy(): void;
}

/** Builds the clients `runCli` is given to run `reconcile` against a stack, as the command builds them. */
export function commandClientsFor(stack: StackAddress): CommandClients {
  const cognito = createCognitoClient({
    endpoint: stack.cognitoEndpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const dynamo = createDynamoDocumentClient({
    endpoint: stack.dynamodbEndpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    cognito,
    dynamo,
    destroy: () => {
      cognito.destroy();
      dynamo.destroy();
    },
  };
}
