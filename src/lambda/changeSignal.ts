import { readChangeSignalConfig } from '../domain/changeSignalConfig.js';
import { createChangeSignalHandler } from '../handler/changeSignal.js';
import { createLogger } from '../logger.js';
import { createCognitoClient } from '../pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../store/dynamoClient.js';

const config = readChangeSignalConfig();

/**
 * The deployable change-signal function (`index.handler` in the bundle), run
 * by an EventBridge rule on the pool's CloudTrail events. Configuration is
 * read once, at cold start (see `readChangeSignalConfig`).
 */
export const handler = createChangeSignalHandler({
  config,
  cognito: createCognitoClient(),
  client: createDynamoDocumentClient(),
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync', operation: 'change-signal' },
  }),
});
