import { lambdaEnvironmentCredentials } from '../../aws/lambdaCredentials.js';
import { createCognitoClient } from '../../aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import { readChangeSignalConfig } from '../../domain/changeSignalConfig.js';
import { createLogger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { createChangeSignalHandler } from '../../sync/handler/changeSignal.js';

const config = readChangeSignalConfig();
// The execution role's keys, as Lambda sets them (the SDK's default chain is not bundled).
const credentials = lambdaEnvironmentCredentials();

/**
 * The deployable change-signal function (`index.handler` in the bundle), run
 * by an EventBridge rule on the pool's CloudTrail events. Configuration is
 * read once, at cold start (see `readChangeSignalConfig`).
 */
export const handler = createChangeSignalHandler({
  config,
  // One attempt per SDK call: the handler retries on its own, per invocation (INVOCATION_RETRY).
  cognito: createCognitoClient({ maxAttempts: 1, credentials }),
  client: createDynamoDocumentClient({ maxAttempts: 1, credentials }),
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync', operation: 'change-signal' },
  }),
  metrics: createMetrics(),
});
