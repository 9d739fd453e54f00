import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { attachScaffold, createFunctionScaffold } from '../../../src/cdk/functionScaffold.js';
import { UserTableSync } from '../../../src/cdk/UserTableSync.js';
import { newStack, onlyResource } from './testApp.js';

describe('Function: createFunctionScaffold', () => {
  it('creates a role, a log group and one policy with the statements plus log writing', () => {
    const { stack } = newStack();

    const scaffold = createFunctionScaffold(stack, 'Job', {
      purpose: 'test job',
      logRetention: RetentionDays.ONE_WEEK,
      statements: [
        new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/key'] }),
      ],
    });
    const template = Template.fromStack(stack);

    assert.equal(scaffold.scope.node.path, 'TestStack/Job');
    const logs = onlyResource(template, 'AWS::Logs::LogGroup');
    assert.equal(logs.resource.Properties.RetentionInDays, 7);
    assert.equal(logs.resource.DeletionPolicy, 'Retain');
    const role = onlyResource(template, 'AWS::IAM::Role');
    const policy = onlyResource(template, 'AWS::IAM::Policy');
    assert.deepEqual(policy.resource.Properties.Roles, [{ Ref: role.id }]);
    assert.deepEqual(
      (policy.resource.Properties.PolicyDocument as { Statement: unknown[] }).Statement,
      [
        { Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::bucket/key' },
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logs.id, 'Arn'] },
        },
      ],
    );
  });

  it('lets a second function be granted on the user pool without a dependency cycle', () => {
    const { app, stack } = newStack();
    const userPool = new UserPool(stack, 'Pool');
    new UserTableSync(stack, 'Sync', { userPool });

    const scaffold = createFunctionScaffold(stack, 'Reader', {
      purpose: 'pool reader',
      logRetention: RetentionDays.ONE_WEEK,
      statements: [
        new PolicyStatement({
          actions: ['cognito-idp:ListUsers'],
          resources: [userPool.userPoolArn],
        }),
      ],
    });
    const reader = new LambdaFunction(scaffold.scope, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
      role: scaffold.role,
      logGroup: scaffold.logGroup,
    });
    attachScaffold(reader, scaffold);

    assert.doesNotThrow(() => app.synth());
  });
});
