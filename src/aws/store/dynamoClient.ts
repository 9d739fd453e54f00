import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CredentialsSource } from '../lambdaCredentials.js';

/** Timeouts and retries of the DynamoDB client. */
export interface DynamoClientOptions {
  /** Milliseconds allowed to open a connection. @default 500 */
  readonly connectionTimeoutMs?: number;
  /** Milliseconds allowed for one request and its response. @default 1000 */
  readonly requestTimeoutMs?: number;
  /** Attempts per call, the first included; backoff with jitter between them. @default 3 */
  readonly maxAttempts?: number;
  /** Region. @default - the SDK's chain (`AWS_REGION`, profile…) */
  readonly region?: string;
  /** Endpoint. @default - the SDK's chain (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`) */
  readonly endpoint?: string;
  /** Maximum sockets kept open to the endpoint. @default 50 */
  readonly maxSockets?: number;
  /**
   * Credentials: fixed ones (e.g. dummy ones for a local endpoint) or a
   * provider (the Lambda functions pass `lambdaEnvironmentCredentials()`).
   * @default - the SDK's chain
   */
  readonly credentials?: CredentialsSource;
}

/**
 * Builds the DynamoDB document client used by the trigger and the reconcile
 * command: short connection and request timeouts and few retries, so that a
 * call settles well inside Cognito's 5-second budget. Endpoint, region and
 * credentials come from the SDK's standard environment unless given.
 */
export function createDynamoDocumentClient(
  options: DynamoClientOptions = {},
): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 500,
      requestTimeout: options.requestTimeoutMs ?? 1000,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 50 },
      httpsAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 50 },
    }),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
