import { lambdaEnvironmentCredentials } from '../../aws/lambdaCredentials.js';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import { readSignInConfig } from '../../domain/signInConfig.js';
import { createLogger } from '../../shared/logger.js';
import { createPostAuthenticationHandler } from '../../sync/handler/postAuthentication.js';

const { config, deletedRows } = readSignInConfig();
// The execution role's keys, as Lambda sets them (the SDK's default chain is not bundled).
const credentials = lambdaEnvironmentCredentials();

/**
 * The deployable Post Authentication trigger (`index.handler` in the bundle).
 * Configuration is read once, at cold start, from `TABLE_NAME`,
 * `KEY_ATTRIBUTE`, `USER_ATTRIBUTES`, `LOG_LEVEL` and the marked rows'
 * `DELETED_ROW_SETTINGS` (a restore removes the Time to Live attribute).
 */
export const handler = createPostAuthenticationHandler({
  config,
  deletedRows,
  // One attempt per SDK call: the handler retries on its own, per invocation (INVOCATION_RETRY).
  client: createDynamoDocumentClient({ maxAttempts: 1, credentials }),
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync', operation: 'sign-in' },
  }),
});
