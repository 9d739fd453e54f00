import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OwnTriggerStack } from '../../../examples/own-trigger/OwnTriggerStack.js';
import { logicalIdOf, onlyResource, testContext } from '../cdk/testApp.js';

/** GIVEN the own-trigger example's stack, with bundling skipped. */
function ownTriggerStack() {
  const app = new App({ context: testContext });
  const stack = new OwnTriggerStack(app, 'OwnTrigger');
  return { stack, template: Template.fromStack(stack) };
}

describe('App: own-trigger example', () => {
  it("attaches the app's own function as the Post Confirmation trigger, and creates no trigger of the construct's", () => {
    const { stack, template } = ownTriggerStack();

    const { resource } = onlyResource(template, 'AWS::Cognito::UserPool');
    const config = resource.Properties.LambdaConfig as Record<string, unknown>;
    assert.deepEqual(config.PostConfirmation, {
      'Fn::GetAtt': [logicalIdOf(stack, stack.trigger), 'Arn'],
    });
    assert.equal(stack.sync.function, stack.trigger);
    const descriptions = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) =>
      String(fn.Properties.Description),
    );
    assert.ok(
      !descriptions.some((text) => text.includes('(Post Confirmation)')),
      descriptions.join(),
    );
  });

  it("grants the app's function exactly the trigger's statement on the table", () => {
    const { stack, template } = ownTriggerStack();

    const roleId = logicalIdOf(stack, stack.trigger.role as never);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId),
    );
    assert.equal(policies.length, 1);
    assert.deepEqual(policies[0]?.Properties.PolicyDocument.Statement, [
      {
        Action: 'dynamodb:PutItem',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalIdOf(stack, stack.sync.table), 'Arn'] },
      },
    ]);
  });

  it("sets the sync's variables on the app's function, the tutorial's row mapping included", () => {
    const { stack, template } = ownTriggerStack();

    const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(stack, stack.trigger)];
    assert.deepEqual(fn?.Properties.Environment.Variables, {
      TABLE_NAME: { Ref: logicalIdOf(stack, stack.sync.table) },
      KEY_ATTRIBUTE: 'username',
      LOG_LEVEL: 'info',
      ON_WRITE_FAILURE: 'continue',
      ROW_MAPPING: '{"fields":{"email":"useremail"}}',
    });
    assert.equal(fn?.Properties.Timeout, 5);
  });
});
