import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { UserTableSync, type UserTableSyncProps } from '../../../src/cdk/UserTableSync.js';
import { logicalIdOf, newStack } from './testApp.js';

/** GIVEN a stack with a user pool, WHEN the construct is added with `props`. */
function synth(props: Omit<UserTableSyncProps, 'userPool'> = {}) {
  const { app, stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  const sync = new UserTableSync(stack, 'Sync', { userPool, ...props });
  return { app, stack, userPool, sync, template: Template.fromStack(stack) };
}

type Synth = ReturnType<typeof synth>;

const synthesized = new Map<string, Synth>();

/** {@link synth}, once per distinct props: these tests only read the result. */
function shared(props: Omit<UserTableSyncProps, 'userPool'> = {}): Synth {
  const key = JSON.stringify(props);
  let result = synthesized.get(key);
  if (!result) {
    result = synth(props);
    synthesized.set(key, result);
  }
  return result;
}

/** The statements of the policy of the scaffold `id` (`SignIn`, `ChangeSignals`). */
function statementsOf(result: Synth, id: string): unknown[] {
  const scope = result.sync.node.findChild(id) as Construct;
  const policy = scope.node.findChild('Policy') as Policy;
  const logicalId = result.stack.getLogicalId(policy.node.defaultChild as CfnElement);
  const resource = result.template.findResources('AWS::IAM::Policy')[logicalId];
  return resource?.Properties.PolicyDocument.Statement;
}

const arnOf = (result: Synth, construct: { node: { defaultChild?: unknown } }) => ({
  'Fn::GetAtt': [logicalIdOf(result.stack, construct), 'Arn'],
});

function logStatement(result: Synth, id: string) {
  const scope = result.sync.node.findChild(id) as Construct;
  const logs = scope.node.findChild('Logs') as unknown as { node: { defaultChild?: unknown } };
  return {
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Effect: 'Allow',
    Resource: arnOf(result, logs),
  };
}

describe('Construct: UserTableSync lifecycle', () => {
  describe('sign-in refresh', () => {
    it('wires a Post Authentication function by default', () => {
      const result = shared({ changeSignals: true, scheduledReconcile: { update: true } });
      const fn = result.sync.signInFunction ?? assert.fail('no sign-in function');
      result.template.hasResourceProperties('AWS::Cognito::UserPool', {
        LambdaConfig: { PostAuthentication: arnOf(result, fn) },
      });
      result.template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Timeout: 5,
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: logicalIdOf(result.stack, result.sync.table) },
            KEY_ATTRIBUTE: 'username',
            LOG_LEVEL: 'info',
          },
        },
      });
    });

    it('grants exactly GetItem, UpdateItem on the table and its own logs', () => {
      const result = shared({ changeSignals: true, scheduledReconcile: { update: true } });
      assert.deepEqual(statementsOf(result, 'SignIn'), [
        {
          Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          Effect: 'Allow',
          Resource: arnOf(result, result.sync.table as Table),
        },
        logStatement(result, 'SignIn'),
      ]);
    });

    it('is left out when signInRefresh is false', () => {
      const result = shared({ signInRefresh: false });
      assert.equal(result.sync.signInFunction, undefined);
      const pool = Object.values(result.template.findResources('AWS::Cognito::UserPool'))[0];
      assert.equal(pool?.Properties.LambdaConfig.PostAuthentication, undefined);
    });

    it('grants an imported pool the right to invoke it, for that pool only', () => {
      const { stack } = newStack();
      const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbCdEf123');
      const sync = new UserTableSync(stack, 'Sync', { userPool, attachTrigger: false });
      const template = Template.fromStack(stack);
      const fn = sync.signInFunction ?? assert.fail('no sign-in function');
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [logicalIdOf(stack, fn), 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
      });
    });
  });

  describe('change signals', () => {
    it('are off by default: no rule, no function', () => {
      const result = shared({ signInRefresh: false });
      assert.equal(result.sync.changeSignalFunction, undefined);
      result.template.resourceCountIs('AWS::Events::Rule', 0);
    });

    it("route the pool's admin calls, and every token call, to the function", () => {
      const result = shared({ changeSignals: true, scheduledReconcile: { update: true } });
      const fn = result.sync.changeSignalFunction ?? assert.fail('no change-signal function');
      const rules = Object.values(result.template.findResources('AWS::Events::Rule')).filter(
        (rule) => rule.Properties.EventPattern !== undefined,
      );
      const base = {
        source: ['aws.cognito-idp'],
        'detail-type': ['AWS API Call via CloudTrail'],
      };
      assert.deepEqual(
        rules.map((rule) => rule.Properties.EventPattern),
        [
          {
            ...base,
            detail: {
              eventSource: ['cognito-idp.amazonaws.com'],
              eventName: [
                'AdminUpdateUserAttributes',
                'AdminDeleteUser',
                'AdminDisableUser',
                'AdminEnableUser',
                'AdminConfirmSignUp',
                'AdminCreateUser',
              ],
              requestParameters: {
                userPoolId: [{ Ref: logicalIdOf(result.stack, result.userPool) }],
              },
            },
          },
          {
            ...base,
            detail: {
              eventSource: ['cognito-idp.amazonaws.com'],
              eventName: ['UpdateUserAttributes', 'VerifyUserAttribute', 'DeleteUser'],
            },
          },
        ],
      );
      for (const rule of rules) {
        assert.deepEqual(rule.Properties.Targets, [
          {
            Arn: arnOf(result, fn),
            Id: 'Target0',
            RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 },
          },
        ]);
      }
    });

    it('grant exactly AdminGetUser/ListUsers on the pool, the row actions, Scan and Query on the sub index', () => {
      const result = shared({ changeSignals: true, scheduledReconcile: { update: true } });
      const tableArn = arnOf(result, result.sync.table as Table);
      assert.deepEqual(statementsOf(result, 'ChangeSignals'), [
        {
          Action: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'],
          Effect: 'Allow',
          Resource: arnOf(result, result.userPool),
        },
        {
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
          Effect: 'Allow',
          Resource: tableArn,
        },
        {
          Action: 'dynamodb:Query',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [tableArn, '/index/bySub']] },
        },
        logStatement(result, 'ChangeSignals'),
      ]);
    });

    it('pass the pool, the deleted-user mode and the index to the function', () => {
      const result = shared({ changeSignals: true, scheduledReconcile: { update: true } });
      result.template.hasResourceProperties('AWS::Lambda::Function', {
        Timeout: 30,
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: logicalIdOf(result.stack, result.sync.table) },
            KEY_ATTRIBUTE: 'username',
            LOG_LEVEL: 'info',
            USER_POOL_ID: { Ref: logicalIdOf(result.stack, result.userPool) },
            ON_DELETED: 'mark',
            SUB_INDEX: 'bySub',
          },
        },
      });
    });

    it('add DeleteItem only when deleted users are deleted', () => {
      const result = shared({ changeSignals: true, deletedUsers: 'delete' });
      const statements = statementsOf(result, 'ChangeSignals') as { Action: unknown }[];
      assert.deepEqual(statements[1]?.Action, [
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Scan',
        'dynamodb:UpdateItem',
      ]);
    });

    it('grant no Query on a given table without a named sub index', () => {
      const { stack } = newStack();
      const userPool = new UserPool(stack, 'Pool');
      const table = Table.fromTableName(stack, 'Existing', 'existing-users');
      const sync = new UserTableSync(stack, 'Sync', { userPool, table, changeSignals: true });
      const template = Template.fromStack(stack);
      const text = JSON.stringify(template.toJSON());
      assert.equal(text.includes('dynamodb:Query'), false);
      assert.equal(text.includes('SUB_INDEX'), false);
      assert.ok(sync.changeSignalFunction);
    });

    it('synthesise without a dependency cycle next to both triggers and the reconcile', () => {
      const result = shared({ changeSignals: true, scheduledReconcile: { update: true } });
      assert.doesNotThrow(() => result.app.synth());
    });
  });

  describe('props validation', () => {
    it('fails on an unknown deleted-user mode', () => {
      assert.throws(() => synth({ deletedUsers: 'purge' as never }), {
        message: 'deletedUsers must be one of mark, delete, got "purge"',
      });
    });

    it('fails on an invalid index name', () => {
      assert.throws(() => synth({ subIndexName: 'a b' }), {
        message: 'subIndexName must be 3-255 characters of A-Z a-z 0-9 _ . -, got "a b"',
      });
    });

    it('fails on a non-boolean switch', () => {
      assert.throws(() => synth({ changeSignals: 'yes' as never }), {
        message: 'changeSignals must be true or false, got "yes"',
      });
    });
  });

  describe('scheduled reconcile with update', () => {
    it('passes UPDATE and grants UpdateItem even when orphans are only reported', () => {
      const result = shared({ changeSignals: true, scheduledReconcile: { update: true } });
      const statements = statementsOf(result, 'Reconcile') as { Action: unknown }[];
      assert.deepEqual(statements[1]?.Action, [
        'dynamodb:BatchGetItem',
        'dynamodb:DescribeTable',
        'dynamodb:PutItem',
        'dynamodb:Scan',
        'dynamodb:UpdateItem',
      ]);
      result.template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { UPDATE: 'true', ORPHANS: 'report' } },
      });
    });
  });
});
