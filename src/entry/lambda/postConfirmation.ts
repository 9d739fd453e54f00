import { lambdaEnvironmentCredentials } from '../../aws/lambdaCredentials.js';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import { readHandlerConfig } from '../../domain/triggerConfig.js';
import { createLogger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { createPostConfirmationHandler } from '../../sync/handler/postConfirmation.js';

const config = readHandlerConfig();
// The execution role's keys, as Lambda sets them (the SDK's default chain is not bundled).
const credentials = lambdaEnvironmentCredentials();

/**
 * The deployable Post Confirmation trigger (`index.handler` in the bundle).
 * Configuration is read once, at cold start, from `TABLE_NAME`,
 * `KEY_ATTRIBUTE`, `USER_ATTRIBUTES`, `LOG_LEVEL` and `ON_WRITE_FAILURE`
 * (and the endpoint variables are checked).
 */
export const handler = createPostConfirmationHandler({
  config,
  // One attempt per SDK call: the handler retries on its own, per invocation.
  client: createDynamoDocumentClient({ maxAttempts: 1, credentials }),
  // One write to stdout per invocation: the log line carries the EMF metrics.
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync' },
    metrics: createMetrics(),
  }),
});
