/**
 * The runtime API of cognito-user-sync, for code that runs in Lambda or on a
 * laptop: the handler factories behind the prebuilt functions, the row
 * mapping, reconcile and its parts, the clients' factories and the errors.
 *
 * The CDK construct lives in `cognito-user-sync/cdk`.
 *
 * @packageDocumentation
 */
export * from './converge/convergeUser.js';
export * from './converge/recordSignIn.js';
export * from './domain/changeSignal.js';
export * from './domain/changeSignalConfig.js';
export * from './domain/config.js';
export * from './domain/converge.js';
export * from './domain/decide.js';
export * from './domain/deletedRows.js';
export * from './domain/event.js';
export {
  errorMessage,
  errorName,
  isAbort,
  isThrottling,
  isTransient,
  mayHaveLanded,
  NETWORK_ERROR_CODES,
  THROTTLING_ERROR_NAMES,
} from './domain/failure.js';
export * from './domain/reconcileEvent.js';
export * from './domain/redact.js';
export * from './domain/signIn.js';
export * from './domain/triggerEvent.js';
export * from './domain/userRow.js';
export * from './errors.js';
export * from './handler/changeSignal.js';
export * from './handler/deadline.js';
export * from './handler/postAuthentication.js';
export * from './handler/postConfirmation.js';
export * from './handler/scheduledReconcile.js';
export * from './logger.js';
export * from './metrics.js';
export * from './pool/cognitoClient.js';
export * from './pool/listPoolUsers.js';
export * from './pool/readPoolUser.js';
export * from './reconcile/config.js';
export * from './reconcile/fingerprints.js';
export * from './reconcile/plan.js';
export * from './reconcile/planExecutor.js';
export * from './reconcile/planUpdates.js';
export * from './reconcile/rateLimiter.js';
export * from './reconcile/reconcile.js';
export * from './reconcile/retry.js';
export * from './reconcile/runCheckpoints.js';
export * from './reconcile/runState.js';
export * from './reconcile/scheduledConfig.js';
export * from './store/attributeItem.js';
export * from './store/checkpointStore.js';
export * from './store/dynamoClient.js';
export * from './store/ensureTable.js';
export * from './store/managedRows.js';
export * from './store/markRowDeleted.js';
export * from './store/orphanRows.js';
export * from './store/readRowsByKey.js';
export * from './store/scanPages.js';
export * from './store/signInRow.js';
export * from './store/userTable.js';
