export * from './ExampleStack.js';
export * from './exampleApp.js';
export * from './ScheduledReconcileOptions.js';
export * from './UserTableSync.js';
