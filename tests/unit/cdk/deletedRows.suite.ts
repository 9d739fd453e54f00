import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { UserTableSync, type UserTableSyncProps } from '../../../src/cdk/UserTableSync.js';
import { newStack } from './testApp.js';

/**
 * GIVEN a stack with a user pool, WHEN the construct is added with every
 * function and `props` (or, with `given`, on an existing table).
 */
function synth(props: Omit<UserTableSyncProps, 'userPool'> = {}, table?: 'given') {
  const { stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  // A given table: only the warning is looked at, so no more functions than needed.
  const sync = new UserTableSync(stack, 'Sync', {
    userPool,
    ...(table
      ? { table: Table.fromTableName(stack, 'Existing', 'existing-users'), signInRefresh: false }
      : { changeSignals: true, scheduledReconcile: { orphans: 'mark' } }),
    ...props,
  });
  return { stack, sync, template: Template.fromStack(stack) };
}

type Synth = ReturnType<typeof synth>;

const synthesized = new Map<string, Synth>();

/** {@link synth}, once per distinct props: these tests only read the result. */
function shared(props: Omit<UserTableSyncProps, 'userPool'> = {}, table?: 'given'): Synth {
  const key = JSON.stringify([props, table]);
  let result = synthesized.get(key);
  if (!result) {
    result = synth(props, table);
    synthesized.set(key, result);
  }
  return result;
}

/** The user table's `TimeToLiveSpecification`, as synthesized. */
function timeToLiveOf(result: Synth): unknown {
  const id = result.stack.getLogicalId(result.sync.table.node.defaultChild as CfnElement);
  return result.template.findResources('AWS::DynamoDB::Table')[id]?.Properties
    .TimeToLiveSpecification;
}

/** The variables of a function, as synthesized. */
function variablesOf(result: Synth, fn: LambdaFunction | undefined): Record<string, unknown> {
  assert.ok(fn, 'the function exists');
  const id = result.stack.getLogicalId(fn.node.defaultChild as CfnElement);
  const resource = result.template.findResources('AWS::Lambda::Function')[id];
  return resource?.Properties.Environment.Variables;
}

/** The statements of each function's policy, by scaffold id. */
function statementsByScaffold(result: Synth): Record<string, unknown> {
  const statements: Record<string, unknown> = {};
  for (const id of ['PostConfirmation', 'SignIn', 'ChangeSignals', 'Reconcile']) {
    const scope = result.sync.node.findChild(id) as Construct;
    const policy = scope.node.findChild('Policy') as Policy;
    const logicalId = result.stack.getLogicalId(policy.node.defaultChild as CfnElement);
    statements[id] =
      result.template.findResources('AWS::IAM::Policy')[logicalId]?.Properties.PolicyDocument;
  }
  return statements;
}

const FULL_POLICY = {
  retainPersonalDataOfDeletedUsers: true,
  deletedRowRetentionDays: 90,
  timeToLiveAttribute: 'purgeAt',
};

const ERASURE_VARIABLES = [
  'RETAIN_PERSONAL_DATA_OF_DELETED_USERS',
  'DELETED_ROW_RETENTION_DAYS',
  'TIME_TO_LIVE_ATTRIBUTE',
];

describe('Construct: UserTableSync, erasure and retention of marked rows', () => {
  it('enables Time to Live on expiresAt of the table it creates when a retention is set', () => {
    const result = shared({ deletedRowRetentionDays: 30 });

    assert.deepEqual(timeToLiveOf(result), { AttributeName: 'expiresAt', Enabled: true });
  });

  it('enables Time to Live on the attribute it is given, and on none by default', () => {
    const named = shared(FULL_POLICY);
    assert.deepEqual(timeToLiveOf(named), { AttributeName: 'purgeAt', Enabled: true });
    assert.equal(timeToLiveOf(shared()), undefined);
  });

  it('warns, for a given table with a retention, to enable Time to Live on the attribute', () => {
    const { stack } = shared({ deletedRowRetentionDays: 30 }, 'given');

    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Sync',
      Match.stringLikeRegexp(
        'deletedRowRetentionDays is 30 on a given table: enable Time to Live on that table with attribute "expiresAt"',
      ),
    );
  });

  it('does not warn about Time to Live for a given table without a retention', () => {
    const { stack } = shared({}, 'given');

    Annotations.fromStack(stack).hasNoWarning(
      '/TestStack/Sync',
      Match.stringLikeRegexp('Time to Live'),
    );
  });

  it('passes the policy to the functions that mark and restore rows, not to the confirmation trigger', () => {
    const result = shared(FULL_POLICY);
    const expected = {
      RETAIN_PERSONAL_DATA_OF_DELETED_USERS: 'true',
      DELETED_ROW_RETENTION_DAYS: '90',
      TIME_TO_LIVE_ATTRIBUTE: 'purgeAt',
    };
    for (const fn of [
      result.sync.signInFunction,
      result.sync.changeSignalFunction,
      result.sync.reconcileFunction,
    ]) {
      const variables = variablesOf(result, fn);
      for (const [name, value] of Object.entries(expected)) assert.equal(variables[name], value);
    }
    const confirmation = variablesOf(result, result.sync.function);
    for (const name of ERASURE_VARIABLES) assert.equal(confirmation[name], undefined);
  });

  it('passes no policy variable by default (erasure, no expiry)', () => {
    const result = shared();
    for (const fn of [
      result.sync.function,
      result.sync.signInFunction,
      result.sync.changeSignalFunction,
      result.sync.reconcileFunction,
    ]) {
      const variables = variablesOf(result, fn);
      for (const name of ERASURE_VARIABLES) assert.equal(variables[name], undefined);
    }
  });

  it('grants every function exactly what it had without the policy', () => {
    const withPolicy = statementsByScaffold(shared({ deletedRowRetentionDays: 30 }));
    const without = statementsByScaffold(shared());

    assert.deepEqual(withPolicy, without);
    const changeSignals = withPolicy.ChangeSignals as { Statement: { Action: unknown }[] };
    assert.deepEqual(changeSignals.Statement[1]?.Action, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
    ]);
  });

  const failures: { name: string; props: Omit<UserTableSyncProps, 'userPool'>; error: RegExp }[] = [
    {
      name: 'fails when deletedRowRetentionDays is 0',
      props: { deletedRowRetentionDays: 0 },
      error: /^deletedRowRetentionDays must be a whole number from 1 to 3650, got "0"/,
    },
    {
      name: 'fails when deletedRowRetentionDays is not whole',
      props: { deletedRowRetentionDays: 1.5 },
      error: /^deletedRowRetentionDays must be a whole number from 1 to 3650, got "1.5"/,
    },
    {
      name: 'fails when timeToLiveAttribute is a field of the row',
      props: { timeToLiveAttribute: 'deletedAt' },
      error: /^timeToLiveAttribute must not be one of the row's own fields.*got "deletedAt"/,
    },
    {
      name: 'fails when timeToLiveAttribute is the key attribute',
      props: { timeToLiveAttribute: 'pk', keyAttribute: 'pk' },
      error: /^timeToLiveAttribute must differ from keyAttribute, got "pk" for both/,
    },
    {
      name: 'fails when retainPersonalDataOfDeletedUsers is not a boolean',
      props: { retainPersonalDataOfDeletedUsers: 'yes' as never },
      error: /^retainPersonalDataOfDeletedUsers must be true or false, got "yes"/,
    },
  ];
  for (const { name, props, error } of failures) {
    it(name, () => {
      assert.throws(() => synth(props), { message: error });
    });
  }
});
