import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { UserTableSync } from '../../../src/cdk/UserTableSync.js';
import {
  CHANGE_SIGNAL_SETTINGS,
  POST_AUTHENTICATION_SETTINGS,
  POST_CONFIRMATION_SETTINGS,
  SCHEDULED_RECONCILE_SETTINGS,
} from '../../../src/domain/settings/index.js';
import { readEnvironment, type SettingList } from '../../../src/shared/settings.js';
import { newStack } from './testApp.js';

/** What CloudFormation resolves the tokens to, for the functions to parse. */
const RESOLVED = {
  TABLE_NAME: 'users',
  USER_POOL_ID: 'eu-west-1_AbC123',
  STATE_TABLE_NAME: 'state',
};

/**
 * GIVEN every function and a value other than the default for every setting
 * the construct passes on, WHEN synthesized, THEN each function's variables.
 */
function synth() {
  const { stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  const sync = new UserTableSync(stack, 'Sync', {
    userPool,
    keyAttribute: 'userId',
    rowMapping: { fields: { email: 'useremail' } },
    userAttributes: ['email', 'custom:plan'],
    logLevel: 'debug',
    onWriteFailure: 'reject',
    monitoring: false,
    changeSignals: true,
    deletedUsers: 'delete',
    subIndexName: 'bySubject',
    retainPersonalDataOfDeletedUsers: true,
    deletedRowRetentionDays: 30,
    timeToLiveAttribute: 'purgeAt',
    scheduledReconcile: {
      statuses: ['CONFIRMED', 'EXTERNAL_PROVIDER'],
      orphans: 'mark',
      failOnOrphans: true,
      concurrency: 8,
      listRate: 2.5,
      listChains: 4,
      scanSegments: 3,
      dryRun: true,
      update: true,
    },
  });
  const template = Template.fromStack(stack);
  const variablesOf = (fn: LambdaFunction | undefined): Record<string, string> => {
    assert.ok(fn, 'the function exists');
    const id = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    const variables: Record<string, unknown> =
      template.findResources('AWS::Lambda::Function')[id]?.Properties.Environment.Variables;
    return Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : (RESOLVED[name as keyof typeof RESOLVED] ?? ''),
      ]),
    );
  };
  return { sync, variablesOf };
}

const MAPPING = {
  tableName: 'users',
  keyAttribute: 'userId',
  rowMapping: JSON.stringify({ fields: { email: 'useremail' } }),
  userAttributes: ['email', 'custom:plan'],
  logLevel: 'debug',
};
const DELETED_ROWS = {
  retainPersonalDataOfDeletedUsers: true,
  deletedRowRetentionDays: 30,
  timeToLiveAttribute: 'purgeAt',
};

describe('Construct: each function’s environment, from its family of settings', () => {
  const { sync, variablesOf } = synth();
  const cases: [string, LambdaFunction | undefined, SettingList, Record<string, unknown>][] = [
    [
      'post-confirmation',
      sync.function,
      POST_CONFIRMATION_SETTINGS,
      { ...MAPPING, onWriteFailure: 'reject', metrics: false },
    ],
    [
      'post-authentication',
      sync.signInFunction,
      POST_AUTHENTICATION_SETTINGS,
      {
        ...MAPPING,
        ...DELETED_ROWS,
      },
    ],
    [
      'change-signal',
      sync.changeSignalFunction,
      CHANGE_SIGNAL_SETTINGS,
      {
        ...MAPPING,
        ...DELETED_ROWS,
        userPoolId: RESOLVED.USER_POOL_ID,
        onDeleted: 'delete',
        subIndexName: 'bySubject',
      },
    ],
    [
      'scheduled-reconcile',
      sync.reconcileFunction,
      SCHEDULED_RECONCILE_SETTINGS,
      {
        ...MAPPING,
        ...DELETED_ROWS,
        userPoolId: RESOLVED.USER_POOL_ID,
        statuses: { only: ['CONFIRMED', 'EXTERNAL_PROVIDER'] },
        includeUnconfirmed: false,
        orphans: 'mark',
        failOnOrphans: true,
        concurrency: 8,
        listRate: 2.5,
        listChains: 4,
        scanSegments: 3,
        dryRun: true,
        update: true,
        stateTableName: RESOLVED.STATE_TABLE_NAME,
        metrics: false,
      },
    ],
  ];
  for (const [name, fn, family, given] of cases) {
    it(`sets on ${name} only variables of its family, which parse back to the props given`, () => {
      const variables = variablesOf(fn);
      const declared = new Set(family.map((setting) => setting.env));
      for (const variable of Object.keys(variables)) {
        assert.ok(declared.has(variable), `${variable} is declared in the family of ${name}`);
      }
      assert.deepEqual(readEnvironment(family, variables), given);
    });
  }
});
