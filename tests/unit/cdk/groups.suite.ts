import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { UserTableSync, type UserTableSyncProps } from '../../../src/cdk/UserTableSync.js';
import { GROUP_SIGNAL_EVENT_NAMES } from '../../../src/domain/groupSignal.js';
import { logicalIdOf, newStack } from './testApp.js';

const GROUP_ACTIONS = [
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:ListGroups',
  'cognito-idp:ListUsersInGroup',
];

function synth(props: Omit<UserTableSyncProps, 'userPool'>) {
  const { stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  const sync = new UserTableSync(stack, 'Sync', { userPool, ...props });
  return { stack, userPool, sync, template: Template.fromStack(stack) };
}

type Synth = ReturnType<typeof synth>;

/** The Cognito actions on the pool of the policy of the scaffold `id` (and of `extra`, a policy of the construct's). */
function poolActions(result: Synth, id: string, extra?: string): string[] {
  const scope = result.sync.node.findChild(id) as Construct;
  const policies = [scope.node.findChild('Policy') as Policy];
  const more = extra === undefined ? undefined : result.sync.node.tryFindChild(extra);
  if (more) policies.push(more as Policy);
  return policies.flatMap((policy) => policyPoolActions(result, policy)).sort();
}

function policyPoolActions(result: Synth, policy: Policy): string[] {
  const logicalId = result.stack.getLogicalId(policy.node.defaultChild as CfnElement);
  const statements: { Action: string | string[]; Resource: unknown }[] =
    result.template.findResources('AWS::IAM::Policy')[logicalId]?.Properties.PolicyDocument
      .Statement;
  const pool = { 'Fn::GetAtt': [logicalIdOf(result.stack, result.userPool), 'Arn'] };
  return statements
    .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(pool))
    .flatMap((statement) => [statement.Action].flat());
}

/** The event names of the rule for the pool's admin calls. */
function adminRuleEvents(result: Synth): string[] {
  const rules = Object.values(result.template.findResources('AWS::Events::Rule')).filter(
    (rule) => rule.Properties.EventPattern?.detail?.requestParameters !== undefined,
  );
  assert.equal(rules.length, 1);
  return rules[0]?.Properties.EventPattern.detail.eventName;
}

const everything = { changeSignals: true, scheduledReconcile: {} } as const;

describe('Construct: UserTableSync with groups in the row', () => {
  const on = synth({ ...everything, rowMapping: { fields: { groups: 'groups' } } });
  const off = synth(everything);

  it('lets the trigger read a user’s groups, and nothing more on the pool', () => {
    assert.deepEqual(poolActions(on, 'PostConfirmation', 'PostConfirmationGroups'), [
      'cognito-idp:AdminListGroupsForUser',
    ]);
    assert.deepEqual(poolActions(off, 'PostConfirmation', 'PostConfirmationGroups'), []);
    assert.equal(off.sync.node.tryFindChild('PostConfirmationGroups'), undefined);
  });

  it('lets the change-signal function read a user’s groups, and routes the group calls to it', () => {
    assert.deepEqual(poolActions(on, 'ChangeSignals'), [
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminListGroupsForUser',
      'cognito-idp:ListUsers',
    ]);
    const events = adminRuleEvents(on);
    for (const name of GROUP_SIGNAL_EVENT_NAMES) assert.ok(events.includes(name), name);
    assert.deepEqual(
      events.filter((name) => !adminRuleEvents(off).includes(name)),
      [...GROUP_SIGNAL_EVENT_NAMES],
    );
  });

  it('lets the scheduled reconcile list the groups and their members', () => {
    assert.deepEqual(poolActions(on, 'Reconcile'), [
      'cognito-idp:ListGroups',
      'cognito-idp:ListUsers',
      'cognito-idp:ListUsersInGroup',
    ]);
  });

  it('changes nothing when the field is off: no group call granted or routed', () => {
    const text = JSON.stringify(off.template.toJSON());
    for (const action of GROUP_ACTIONS) assert.equal(text.includes(action), false, action);
    for (const name of GROUP_SIGNAL_EVENT_NAMES) {
      assert.equal(adminRuleEvents(off).includes(name), false, name);
    }
    assert.deepEqual(poolActions(off, 'ChangeSignals'), [
      'cognito-idp:AdminGetUser',
      'cognito-idp:ListUsers',
    ]);
    assert.deepEqual(poolActions(off, 'Reconcile'), ['cognito-idp:ListUsers']);
  });

  it('grants the trigger’s group read to a function of the app’s own too', async () => {
    const { Function: LambdaFunction, Code, Runtime } = await import('aws-cdk-lib/aws-lambda');
    const { stack } = newStack();
    const userPool = new UserPool(stack, 'Pool');
    const own = new LambdaFunction(stack, 'Own', {
      runtime: Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async (e) => e;'),
    });
    new UserTableSync(stack, 'Sync', {
      userPool,
      postConfirmationFunction: own,
      rowMapping: { fields: { groups: 'memberOf' } },
    });
    const text = JSON.stringify(Template.fromStack(stack).toJSON());
    assert.ok(text.includes('cognito-idp:AdminListGroupsForUser'));
  });
});
