import { createScheduledReconcileHandler } from '../handler/scheduledReconcile.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
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
  // One attempt per SDK call: reconcile retries every call on its own.
  cognito: createCognitoClient({ maxAttempts: 1 }),
  dynamo: createDynamoDocumentClient({
    maxAttempts: 1,
    requestTimeoutMs: 10_000,
    connectionTimeoutMs: 3000,
    maxSockets: Math.max(50, config.concurrency + config.scanSegments),
  }),
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync', operation: 'reconcile' },
  }),
  metrics: createMetrics(),
});
