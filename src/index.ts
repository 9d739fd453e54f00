/**
 * The runtime API of cognito-user-sync, for code that runs in Lambda or on a
 * laptop: the handler factories behind the prebuilt functions and their
 * configuration, the row and its mapping, converging one user, reconcile, the
 * clients' factories, logging and metrics, and the errors.
 *
 * This list is the public surface, under semantic versioning, and
 * `api/cognito-user-sync.api.md` is its report: a change to it fails
 * `npm test` until the report is updated (`npm run api`). Everything else in
 * `src/` is internal and may change in any release.
 *
 * The CDK construct lives in `cognito-user-sync/cdk`.
 *
 * @packageDocumentation
 */

export type { CredentialsSource } from './aws/lambdaCredentials.js';
// The clients, with the timeouts and retries the functions use.
export { type CognitoClientOptions, createCognitoClient } from './aws/pool/cognitoClient.js';
export { createDynamoDocumentClient, type DynamoClientOptions } from './aws/store/dynamoClient.js';
export type { CreateOutcome, UserTableOptions } from './aws/store/userTable.js';
// Configuration, read from a function's environment.
export { type ChangeSignalConfig, readChangeSignalConfig } from './domain/changeSignalConfig.js';
export {
  type HandlerConfig,
  type MappingConfig,
  WRITE_FAILURE_MODES,
  type WriteFailureMode,
} from './domain/config.js';
export type { DeletedUserMode, NoopReason, UserRef, UserState } from './domain/converge.js';
export type { DeletedRowPolicy } from './domain/deletedRows.js';
export { type ConfirmedUser, parseConfirmedUser } from './domain/event.js';
// A user's groups in the row's form.
export {
  normalizeGroups,
  sameGroups,
  type UserGroups,
} from './domain/groups.js';
export {
  ORPHAN_MODES,
  type OrphanMode,
  type ReconcileConfig,
  type StatusFilter,
} from './domain/reconcileConfig.js';
// The row mapping: the document, reading and validating it, the row a user should have.
export {
  type ConstantValue,
  type KeyDocument,
  type KeyTemplate,
  OPT_IN_FIELDS,
  ROW_FIELDS,
  ROW_MANAGED_FIELDS,
  type RowField,
  type RowManagedField,
  type RowMapping,
  type RowMappingDocument,
  type RowOptInField,
  type TemplatePart,
} from './domain/rowMapping/document.js';
export {
  type CompareRowOptions,
  compareRow,
  describeDifference,
  type ExpectedRow,
  type ExpectedRowOptions,
  expectedRow,
  type MappedUser,
  type RowComparison,
  type RowDifference,
} from './domain/rowMapping/expectedRow.js';
export type { RowKey } from './domain/rowMapping/keys.js';
export { type ReadRowMappingOptions, readRowMapping } from './domain/rowMapping/readRowMapping.js';
export { type ResolveOptions, resolveRowMapping } from './domain/rowMapping/validate.js';
export {
  readScheduledReconcileConfig,
  type ScheduledReconcileConfig,
} from './domain/scheduledConfig.js';
export { readSignInConfig, type SignInConfig } from './domain/signInConfig.js';
export { readHandlerConfig } from './domain/triggerConfig.js';
export { toUserRow, type UserRow, type UserRowInput } from './domain/userRow.js';
// Deadlines and retries within them.
export type { DeadlineContext } from './shared/deadline.js';
// The errors, every one a UserSyncError.
export {
  CheckpointConflictError,
  CheckpointCorruptError,
  CheckpointFormatError,
  ConfigError,
  InvalidEventError,
  ReconcileIncompleteError,
  RowMappingError,
  type RowMappingIssue,
  TableReadError,
  TableWriteError,
  UserPoolReadError,
  UserSyncError,
} from './shared/errors.js';
export type { InvocationRetrySettings } from './shared/invocationRetry.js';
// Logging and metrics as the functions write them.
export {
  createLogger,
  LOG_LEVELS,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  type LogMetrics,
  type LogSink,
} from './shared/logger.js';
export {
  createMetrics,
  METRIC,
  METRICS_NAMESPACE,
  type MetricsEmitter,
  type MetricsOptions,
} from './shared/metrics.js';
export type { RateLimiter } from './shared/rateLimiter.js';
export type { RetryOptions, TransientRetryOptions } from './shared/retry.js';
// Converging one user with the pool.
export {
  type ConvergeOutcome,
  type ConvergeSettings,
  type ConvergeUserDependencies,
  type ConvergeUserOptions,
  convergeUser,
  type RowOutcome,
} from './sync/converge/convergeUser.js';
// The handler factories behind the prebuilt functions.
export {
  type ChangeSignalDependencies,
  type ChangeSignalHandler,
  type ChangeSignalResult,
  createChangeSignalHandler,
} from './sync/handler/changeSignal.js';
export {
  createPostAuthenticationHandler,
  type PostAuthenticationDependencies,
  type PostAuthenticationHandler,
} from './sync/handler/postAuthentication.js';
export {
  createPostConfirmationHandler,
  type InvocationOutcome,
  type PostConfirmationDependencies,
  type PostConfirmationHandler,
  type UserGroupsReader,
} from './sync/handler/postConfirmation.js';
export {
  createScheduledReconcileHandler,
  type InvocationContext,
  type ScheduledReconcileDependencies,
  type ScheduledReconcileHandler,
  type SkippedInvocation,
} from './sync/handler/scheduledReconcile.js';
export {
  type UserPostConfirmationHandler,
  type WithUserSyncOptions,
  withUserSync,
} from './sync/handler/withUserSync.js';
export type { PlanCounts, ReconcilePlan } from './sync/reconcile/plan.js';
export type { ApplyCounts, ApplyFailure } from './sync/reconcile/planExecutor.js';
// Reconcile: make the table match the pool.
export {
  type ReconcileOptions,
  type ReconcileProgress,
  type ReconcileReport,
  type ReconcileSummary,
  reconcile,
} from './sync/reconcile/reconcile.js';
export type { RunCheckpoints } from './sync/reconcile/runCheckpoints.js';
export type { AppliedCounts, RunCounts, RunState } from './sync/reconcile/runState.js';
