/**
 * The AWS CDK construct of cognito-user-sync: `UserTableSync` and its props.
 * Its functions are deployed from the prebuilt bundles inside this package,
 * so an app's synth needs neither esbuild nor Docker.
 *
 * This list is the public surface of `cognito-user-sync/cdk`, and
 * `api/cognito-user-sync-cdk.api.md` is its report (`npm run api` updates it).
 *
 * @packageDocumentation
 */
export type { WriteFailureMode } from '../domain/config.js';
export type { DeletedUserMode } from '../domain/converge.js';
export type { OrphanMode } from '../domain/reconcileConfig.js';
export type {
  ConstantValue,
  KeyDocument,
  RowField,
  RowManagedField,
  RowMappingDocument,
  RowOptInField,
} from '../domain/rowMapping/document.js';
export type { LogLevel } from '../shared/logger.js';
export {
  DEFAULT_RECONCILE_MEMORY_SIZE,
  DEFAULT_RECONCILE_SCHEDULE,
  DEFAULT_RECONCILE_TIMEOUT,
  RECONCILE_MAX_EVENT_AGE,
  type ScheduledReconcileOptions,
} from './ScheduledReconcileOptions.js';
export {
  DEFAULT_LOG_RETENTION,
  DEFAULT_MEMORY_SIZE,
  FUNCTION_RUNTIME,
  POST_CONFIRMATION_TIMEOUT,
  UserTableSync,
  type UserTableSyncProps,
} from './UserTableSync.js';
export {
  ALARM_PERIOD,
  UserTableSyncMonitoring,
  type UserTableSyncMonitoringProps,
} from './UserTableSyncMonitoring.js';
