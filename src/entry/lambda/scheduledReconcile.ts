import { lambdaEnvironmentCredentials } from '../../aws/lambdaCredentials.js';
import { createCognitoClient } from '../../aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import { readScheduledReconcileConfig } from '../../domain/scheduledConfig.js';
import { createLogger } from '../../shared/logger.js';
import { createMetrics } from '../../shared/metrics.js';
import { createScheduledReconcileHandler } from '../../sync/handler/scheduledReconcile.js';
import { createRunCheckpoints } from '../../sync/reconcile/runCheckpoints.js';

const config = readScheduledReconcileConfig();
// The execution role's keys, as Lambda sets them (the SDK's default chain is not bundled).
const credentials = lambdaEnvironmentCredentials();

const dynamo = createDynamoDocumentClient({
  credentials,
  maxAttempts: 1,
  requestTimeoutMs: 10_000,
  connectionTimeoutMs: 3000,
  maxSockets: Math.max(50, config.concurrency + config.scanSegments),
});

/**
 * The deployable scheduled reconcile function (`index.handler` in the
 * bundle). Configuration is read once, at cold start (see
 * `readScheduledReconcileConfig`). With `STATE_TABLE_NAME`, a run continues
 * across invocations (see `createScheduledReconcileHandler`); without it,
 * each invocation runs one reconcile. Returns the counts.
 */
export const handler = createScheduledReconcileHandler({
  config,
  // One attempt per SDK call: reconcile retries every call on its own.
  cognito: createCognitoClient({ maxAttempts: 1, credentials }),
  dynamo,
  ...(config.stateTableName
    ? {
        checkpoints: createRunCheckpoints(dynamo, {
          tableName: config.stateTableName,
          userPoolId: config.userPoolId,
          userTableName: config.tableName,
        }),
      }
    : {}),
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync', operation: 'reconcile' },
  }),
  metrics: createMetrics(),
});
