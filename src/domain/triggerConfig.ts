import { readEnvironment } from '../shared/settings.js';
import {
  checkEndpointVariables,
  DYNAMODB_ENDPOINT_VARIABLES,
  type HandlerConfig,
} from './config.js';
import { resolveSettingsRowMapping } from './rowMapping/configMapping.js';
import { POST_CONFIRMATION_SETTINGS } from './settings/functionSettings.js';

/**
 * Reads and validates the Post Confirmation trigger's configuration from the
 * environment (`POST_CONFIRMATION_SETTINGS`: `TABLE_NAME`, `KEY_ATTRIBUTE`,
 * `USER_ATTRIBUTES`, `LOG_LEVEL`, `ON_WRITE_FAILURE`, `ROW_MAPPING` (resolved into the
 * row mapping), and `METRICS`, which
 * `createMetrics` reads), after checking the endpoint variables the DynamoDB
 * client will read (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`).
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readHandlerConfig(env: NodeJS.ProcessEnv = process.env): HandlerConfig {
  checkEndpointVariables(env, DYNAMODB_ENDPOINT_VARIABLES);
  const { metrics: _readByCreateMetrics, ...config } = readEnvironment(
    POST_CONFIRMATION_SETTINGS,
    env,
  );
  return resolveSettingsRowMapping(config, Boolean(env.KEY_ATTRIBUTE?.trim()));
}
