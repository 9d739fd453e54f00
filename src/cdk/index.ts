/**
 * The AWS CDK construct of cognito-user-sync: `UserTableSync` and its props.
 * Its functions are deployed from the prebuilt bundles inside this package,
 * so an app's synth needs neither esbuild nor Docker.
 *
 * @packageDocumentation
 */

export type {
  ConstantValue,
  KeyDocument,
  RowManagedField,
  RowMappingDocument,
} from '../domain/rowMapping/document.js';
export * from './ScheduledReconcileOptions.js';
export * from './UserTableSync.js';
export * from './UserTableSyncMonitoring.js';
