import { lambdaEnvironmentCredentials } from '../../aws/lambdaCredentials.js';
import { readGroupsWith } from '../../aws/pool/groupPages.js';
import { createSignedGroupsLister } from '../../aws/pool/signedGroupsCall.js';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import { rowMappingOf } from '../../domain/rowMapping/configMapping.js';
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
 * (and the endpoint variables are checked). When the row mapping keeps
 * groups, the user's groups are read with a signed `AdminListGroupsForUser`
 * call of its own (no SDK Cognito client in this bundle), one attempt per
 * request, retried within the handler's share of the deadline.
 */
export const handler = createPostConfirmationHandler({
  config,
  ...(rowMappingOf(config).fields.groups === undefined
    ? {}
    : {
        readGroups: (
          (listPage) => (userPoolId: string, username: string, signal: AbortSignal) =>
            readGroupsWith(listPage, userPoolId, username, {
              retry: { signal, maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
            })
        )(createSignedGroupsLister({ credentials, requestTimeoutMs: 1000 })),
      }),
  // One attempt per SDK call: the handler retries on its own, per invocation.
  client: createDynamoDocumentClient({ maxAttempts: 1, credentials }),
  // One write to stdout per invocation: the log line carries the EMF metrics.
  logger: createLogger({
    level: config.logLevel,
    base: { service: 'cognito-user-sync' },
    metrics: createMetrics(),
  }),
});
