import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct, IConstruct } from 'constructs';
import {
  EXAMPLE_ACKNOWLEDGEMENTS,
  EXAMPLE_SCHEDULED_RECONCILE,
} from '../../../examples/app/ExampleStack.js';
import { createExampleApp, EXAMPLE_STACK_ID } from '../../../examples/app/exampleApp.js';
import { cdkJson, logicalIdOf, onlyResource, testContext } from '../cdk/testApp.js';

/** GIVEN the example app as `bin/app.ts` builds it, with bundling skipped. */
function exampleApp() {
  return createExampleApp({ app: { context: testContext } });
}

/** Every acknowledgement recorded in the tree, as `path: id`. */
function acknowledgementsIn(root: IConstruct): string[] {
  const found: string[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const id of Object.keys(entry.data as object)) {
        found.push(`${construct.node.path}: ${id.replace(/^annotation::/i, '')}`);
      }
    }
  }
  return found.sort();
}

describe('App: example', () => {
  it('has zero unacknowledged AwsSolutions findings, scheduled reconcile included', () => {
    const { app, stack } = exampleApp();
    assert.ok(stack.sync.reconcileFunction, 'the example should schedule the reconcile');

    const report = new AwsSolutionsChecks().validateScope(app);

    assert.deepEqual(
      report.violations.map((violation) => violation.ruleName),
      [],
      JSON.stringify(report.violations, null, 2),
    );
  });

  it('synthesizes with the AwsSolutions pack registered', () => {
    const { app } = exampleApp();

    const assembly = app.synth();

    assert.ok(assembly.getStackByName(EXAMPLE_STACK_ID).template.Resources);
  });

  it('fails synth when a new finding is not acknowledged', () => {
    const { app, stack } = exampleApp();
    const role = new Role(stack, 'Extra', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addManagedPolicy(
      ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
    );

    assert.throws(() => app.synth(), /Validation failed/);
  });

  it('acknowledges only MFA and the feature plan, on the user pool, each with a reason', () => {
    const { app, stack } = exampleApp();

    assert.deepEqual(acknowledgementsIn(app), [
      `${stack.userPool.node.path}: AwsSolutions-COG2`,
      `${stack.userPool.node.path}: AwsSolutions-COG8`,
    ]);
    for (const { id, reason } of EXAMPLE_ACKNOWLEDGEMENTS) {
      assert.ok(reason.length > 40, `${id} needs a real reason`);
    }
  });

  it('signs in with e-mail, enforces a strong password policy and wires the trigger', () => {
    const { stack } = exampleApp();

    const template = Template.fromStack(stack);

    const { resource } = onlyResource(template, 'AWS::Cognito::UserPool');
    assert.deepEqual(resource.Properties.UsernameAttributes, ['email']);
    assert.deepEqual(resource.Properties.Policies, {
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        RequireUppercase: true,
        TemporaryPasswordValidityDays: 3,
      },
    });
    const signIn = stack.sync.signInFunction ?? assert.fail('no sign-in function');
    assert.deepEqual(resource.Properties.LambdaConfig, {
      PostConfirmation: { 'Fn::GetAtt': [logicalIdOf(stack, stack.sync.function), 'Arn'] },
      PostAuthentication: { 'Fn::GetAtt': [logicalIdOf(stack, signIn), 'Arn'] },
    });
  });

  it('reconciles every hour, marking the rows of users deleted from the pool, continuing runs from a state table', () => {
    const { stack } = exampleApp();

    const template = Template.fromStack(stack);

    assert.deepEqual(EXAMPLE_SCHEDULED_RECONCILE, { orphans: 'mark' });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    const reconcile = stack.sync.reconcileFunction;
    assert.ok(reconcile);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          USER_POOL_ID: { Ref: logicalIdOf(stack, stack.userPool) },
          ORPHANS: 'mark',
          DRY_RUN: 'false',
          STATE_TABLE_NAME: {
            Ref: logicalIdOf(stack, stack.sync.reconcileStateTable as Construct),
          },
        },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('leaves the scheduled reconcile out when the props turn it off', () => {
    const { stack } = createExampleApp({
      app: { context: testContext },
      stack: { sync: { scheduledReconcile: undefined } },
    });

    const template = Template.fromStack(stack);

    assert.equal(stack.sync.reconcileFunction, undefined);
    // The two change-signal rules stay; the schedule is gone.
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.resourceCountIs('AWS::Lambda::Function', 3);
  });

  it('outputs the ids needed to try it', () => {
    const { stack } = exampleApp();

    const outputs = Object.keys(Template.fromStack(stack).findOutputs('*')).sort();

    assert.deepEqual(outputs, [
      'FunctionName',
      'ReconcileFunctionName',
      'TableName',
      'UserPoolClientId',
      'UserPoolId',
    ]);
  });
});

describe('File: cdk.json', () => {
  it('runs the example app offline, without notices or telemetry', () => {
    assert.equal(cdkJson.app, 'npx tsx bin/app.ts');
    assert.equal(cdkJson.notices, false);
    assert.equal(cdkJson.context['cli-telemetry'], false);
  });

  it('turns dependency cycles and other default rule breaches into synth errors', () => {
    assert.equal(cdkJson.context['@aws-cdk/core:validateAgainstDefaultRules'], true);
  });
});
