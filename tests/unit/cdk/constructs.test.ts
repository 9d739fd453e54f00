// The suites that synthesize CDK apps (the construct's and the example app's),
// run in one process: the first synthesis in a process loads aws-cdk-lib and
// compiles its CloudFormation validator (3-4 s), so one process for all of
// them pays it once. Each suite can still run alone, e.g.
//   node --import tsx --import ./tests/helpers/env.ts --test tests/unit/cdk/lifecycle.suite.ts
import '../examples/exampleApp.suite.js';
import '../examples/ownTrigger.suite.js';
import './UserTableSync.suite.js';
import './UserTableSyncMonitoring.suite.js';
import './functionScaffold.suite.js';
import './lifecycle.suite.js';
import './scheduledReconcile.suite.js';
import './deletedRows.suite.js';
import './rowMapping.suite.js';
import './settings.suite.js';
import './groups.suite.js';
