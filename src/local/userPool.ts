import type { CognitoServer } from './cognitoServer.js';

/** The pool and app client to make sure of. */
export interface EnsureUserPoolOptions {
  /** Name of the user pool. */
  readonly userPoolName: string;
  /** Name of the app client. */
  readonly clientName: string;
}

/** Ids of the pool and client found or created. */
export interface UserPoolIds {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

/** Auth flows of the app client: password sign-in (no SRP in the emulator) and refresh. */
export const CLIENT_AUTH_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

interface PoolSummary {
  readonly Id?: string;
  readonly Name?: string;
  readonly CreationDate?: Date | number;
}

interface ClientSummary {
  readonly ClientId?: string;
  readonly ClientName?: string;
  readonly CreationDate?: Date | number;
}

/**
 * Finds the user pool and app client by name, creating what is missing: a pool
 * whose users sign in with their e-mail address, and a client without a secret
 * that allows `USER_PASSWORD_AUTH`. Idempotent: a restart finds what the
 * previous run created. When names repeat, the oldest wins.
 */
export async function ensureUserPool(
  cognito: Pick<CognitoServer, 'call'>,
  options: EnsureUserPoolOptions,
): Promise<UserPoolIds> {
  const { UserPools = [] } = await cognito.call<{ UserPools?: PoolSummary[] }>('ListUserPools', {
    MaxResults: 60,
  });
  let userPoolId = oldest(UserPools.filter((pool) => pool.Name === options.userPoolName))?.Id;
  if (!userPoolId) {
    const { UserPool } = await cognito.call<{ UserPool?: PoolSummary }>('CreateUserPool', {
      PoolName: options.userPoolName,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    });
    userPoolId = required(UserPool?.Id, 'CreateUserPool returned no pool id');
  }
  const { UserPoolClients = [] } = await cognito.call<{ UserPoolClients?: ClientSummary[] }>(
    'ListUserPoolClients',
    { UserPoolId: userPoolId, MaxResults: 60 },
  );
  let userPoolClientId = oldest(
    UserPoolClients.filter((client) => client.ClientName === options.clientName),
  )?.ClientId;
  if (!userPoolClientId) {
    const { UserPoolClient } = await cognito.call<{ UserPoolClient?: ClientSummary }>(
      'CreateUserPoolClient',
      {
        UserPoolId: userPoolId,
        ClientName: options.clientName,
        GenerateSecret: false,
        ExplicitAuthFlows: CLIENT_AUTH_FLOWS,
      },
    );
    userPoolClientId = required(UserPoolClient?.ClientId, 'CreateUserPoolClient returned no id');
  }
  return { userPoolId, userPoolClientId };
}

function oldest<T extends { readonly CreationDate?: Date | number }>(items: T[]): T | undefined {
  return [...items].sort((a, b) => time(a.CreationDate) - time(b.CreationDate))[0];
}

function time(value: Date | number | undefined): number {
  if (value instanceof Date) return value.getTime();
  return value ?? 0;
}

function required(value: string | undefined, message: string): string {
  if (!value) throw new Error(message);
  return value;
}
