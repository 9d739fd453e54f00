import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** Options of {@link createCognitoClient}. */
export interface CognitoClientOptions {
  /** Region. @default - the SDK's chain (`AWS_REGION`, profile…) */
  readonly region?: string;
  /** Endpoint. @default - the SDK's chain (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, `AWS_ENDPOINT_URL`) */
  readonly endpoint?: string;
  /** Attempts per call, the first included (reconcile adds its own throttling backoff). @default 3 */
  readonly maxAttempts?: number;
}

/**
 * Builds the Cognito client used by reconcile. Endpoint, region and
 * credentials come from the SDK's standard environment unless given.
 */
export function createCognitoClient(
  options: CognitoClientOptions = {},
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 3,
  });
}
