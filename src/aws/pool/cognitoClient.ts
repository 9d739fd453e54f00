import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CredentialsSource } from '../lambdaCredentials.js';

/** Options of {@link createCognitoClient}. */
export interface CognitoClientOptions {
  /** Region. @default - the SDK's chain (`AWS_REGION`, profile…) */
  readonly region?: string;
  /** Endpoint. @default - the SDK's chain (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, `AWS_ENDPOINT_URL`) */
  readonly endpoint?: string;
  /**
   * Attempts per call, the first included. Reconcile passes 1 and retries on
   * its own (see `listPoolUsers`), so no retry quota is shared between calls.
   * @default 3
   */
  readonly maxAttempts?: number;
  /** Milliseconds allowed to open a connection. @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** Milliseconds allowed for one request and its response. @default 10000 */
  readonly requestTimeoutMs?: number;
  /**
   * Credentials: fixed ones or a provider (the Lambda functions pass
   * `lambdaEnvironmentCredentials()`). @default - the SDK's chain
   */
  readonly credentials?: CredentialsSource;
}

/**
 * Builds the Cognito client used by reconcile, with connection and request
 * timeouts so that a Cognito endpoint that accepts a connection and never
 * answers fails the call instead of hanging it. Endpoint, region and
 * credentials come from the SDK's standard environment unless given.
 */
export function createCognitoClient(
  options: CognitoClientOptions = {},
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
    }),
  });
}
