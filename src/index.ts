/**
 * The runtime API of cognito-user-sync, for code that runs in Lambda or on a
 * laptop: the handler factories behind the prebuilt functions, the row
 * mapping, reconcile and its parts, the clients' factories and the errors.
 *
 * The CDK construct lives in `cognito-user-sync/cdk`.
 *
 * @packageDocumentation
 */

export * from './aws/pool/cognitoClient.js';
export * from './aws/pool/listPoolUsers.js';
export * from './aws/pool/readPoolUser.js';
export * from './aws/store/adoptRow.js';
export * from './aws/store/attributeItem.js';
export * from './aws/store/checkpointStore.js';
export * from './aws/store/dynamoClient.js';
export * from './aws/store/ensureTable.js';
export * from './aws/store/managedRows.js';
export * from './aws/store/markRowDeleted.js';
export * from './aws/store/orphanRows.js';
export * from './aws/store/readRowsByKey.js';
export * from './aws/store/scanPages.js';
export * from './aws/store/signInRow.js';
export * from './aws/store/userTable.js';
export * from './domain/changeSignal.js';
export * from './domain/changeSignalConfig.js';
export * from './domain/config.js';
export * from './domain/converge.js';
export * from './domain/decide.js';
export * from './domain/deletedRows.js';
export * from './domain/event.js';
export * from './domain/reconcileConfig.js';
export * from './domain/reconcileEvent.js';
export * from './domain/rowMapping/index.js';
export * from './domain/scheduledConfig.js';
export * from './domain/signIn.js';
export * from './domain/triggerEvent.js';
export * from './domain/userRow.js';
export * from './shared/deadline.js';
export * from './shared/errors.js';
export {
  errorMessage,
  errorName,
  isAbort,
  isThrottling,
  isTransient,
  mayHaveLanded,
  NETWORK_ERROR_CODES,
  THROTTLING_ERROR_NAMES,
} from './shared/failure.js';
export * from './shared/logger.js';
export * from './shared/metrics.js';
export * from './shared/rateLimiter.js';
export * from './shared/redact.js';
export * from './shared/retry.js';
export * from './sync/converge/confirmRow.js';
export * from './sync/converge/convergeUser.js';
export * from './sync/converge/recordSignIn.js';
export * from './sync/handler/changeSignal.js';
export * from './sync/handler/postAuthentication.js';
export * from './sync/handler/postConfirmation.js';
export * from './sync/handler/scheduledReconcile.js';
export * from './sync/reconcile/fingerprints.js';
export * from './sync/reconcile/plan.js';
export * from './sync/reconcile/planExecutor.js';
export * from './sync/reconcile/planUpdates.js';
export * from './sync/reconcile/reconcile.js';
export * from './sync/reconcile/runCheckpoints.js';
export * from './sync/reconcile/runState.js';
