import { createScheduledReconcileHandler } from '../handler/scheduledReconcile.js';
import { createLogger } from '../logger.js';
import { createCognitoClient } from '../pool/cognitoClient.js';
import { readScheduledReconcileConfig } from '../reconcile/scheduledConfig.js';
import { createDynamoDocumentClient } from '../store/dynamoClient.js';

const config = readScheduledReconcileConfig();

/**
 * The deployable scheduled reconcile function (`index.handler` in the
 * bundle). Configuration is read once, at cold start (see
 * `readScheduledReconcileConfig`); each invocation runs one reconcile and
 * returns its counts.
 */
export const handler = createScheduledReconcileHandler({
  config,
  cognito: createCognitoClient(),
  dynamo: createDynamoDocumentClient({
    requestTimeoutMs: 10_000,
    connectionTimeoutMs: 3000,
    maxSockets: Math.max(50, config.concurrency + config.scanSegments),
  }),
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync', operation: 'reconcile' },
  }),
});
