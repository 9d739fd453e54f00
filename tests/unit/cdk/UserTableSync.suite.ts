import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { UserTableSync, type UserTableSyncProps } from '../../../src/cdk/UserTableSync.js';
import { importedArn, logicalIdOf, newStack, onlyResource, testContext } from './testApp.js';

/**
 * GIVEN a stack with a user pool, WHEN the construct is added with `props`
 * (the sign-in function off, so that these tests see the confirmation
 * trigger alone; tests/unit/cdk/lifecycle.test.ts covers it).
 */
function synth(props: Omit<UserTableSyncProps, 'userPool'> = {}) {
  const { stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  const sync = new UserTableSync(stack, 'Sync', { userPool, signInRefresh: false, ...props });
  return { stack, userPool, sync, template: Template.fromStack(stack) };
}

/** Every IAM statement of the template, from policies and roles alike. */
function allStatements(template: Template): Record<string, unknown>[] {
  const statements: Record<string, unknown>[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
    for (const inline of role.Properties.Policies ?? []) {
      statements.push(...inline.PolicyDocument.Statement);
    }
  }
  return statements;
}

describe('Construct: UserTableSync', () => {
  describe('trigger', () => {
    it('wires the function as the pool Post Confirmation trigger', () => {
      const { stack, sync, template } = synth();

      template.hasResourceProperties('AWS::Cognito::UserPool', {
        LambdaConfig: {
          PostConfirmation: { 'Fn::GetAtt': [logicalIdOf(stack, sync.function), 'Arn'] },
        },
      });
    });

    it('lets only Cognito invoke the function, and only for that pool', () => {
      const { stack, userPool, sync, template } = synth();

      const { resource } = onlyResource(template, 'AWS::Lambda::Permission');
      assert.deepEqual(resource.Properties, {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [logicalIdOf(stack, sync.function), 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, userPool), 'Arn'] },
      });
    });

    it('exposes the trigger role, the one the function runs with', () => {
      const { sync } = synth();

      assert.equal(sync.role, sync.function.role);
    });

    it('fails on an imported pool, saying to define it here or set attachTrigger: false', () => {
      const { stack } = newStack();
      const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbCdEf123');

      assert.throws(
        () => new UserTableSync(stack, 'Sync', { userPool }),
        /userPool TestStack\/Pool is an imported pool, whose triggers CloudFormation cannot change: define the pool in this app, or set attachTrigger: false/,
      );
    });

    it('fails on a pool from another copy of aws-cdk-lib instead of skipping the trigger', () => {
      const { stack } = newStack();
      const real = new UserPool(stack, 'Pool');
      // What a second copy's UserPool looks like to this copy: every member, another prototype.
      const foreign = Object.create(
        { addTrigger: () => undefined },
        Object.getOwnPropertyDescriptors(real),
      ) as UserPool;

      assert.throws(
        () => new UserTableSync(stack, 'Sync', { userPool: foreign }),
        /userPool TestStack\/Pool was made with another copy of aws-cdk-lib than the one cognito-user-sync uses.*npm ls aws-cdk-lib/,
      );
    });

    it('fails when attachTrigger is not a boolean', () => {
      const { stack } = newStack();
      const userPool = new UserPool(stack, 'Pool');

      assert.throws(
        () =>
          new UserTableSync(stack, 'Sync', {
            userPool,
            attachTrigger: 'no' as unknown as boolean,
          }),
        /attachTrigger must be true or false, got "no"/,
      );
    });

    it('with attachTrigger false, grants invoke to an imported pool by its ARN and leaves its triggers alone', () => {
      const { stack } = newStack();
      const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbCdEf123');

      new UserTableSync(stack, 'Sync', { userPool, attachTrigger: false, signInRefresh: false });
      const template = Template.fromStack(stack);

      template.resourceCountIs('AWS::Cognito::UserPool', 0);
      const { resource } = onlyResource(template, 'AWS::Lambda::Permission');
      assert.equal(resource.Properties.Principal, 'cognito-idp.amazonaws.com');
      assert.deepEqual(
        resource.Properties.SourceArn,
        importedArn('cognito-idp', 'userpool/eu-west-1_AbCdEf123'),
      );
    });
  });

  describe('function', () => {
    it('runs the bundled handler on Node.js 24, arm64, within Cognito 5-second wait', () => {
      const { template } = synth();

      const { resource } = onlyResource(template, 'AWS::Lambda::Function');
      assert.equal(resource.Properties.Runtime, 'nodejs24.x');
      assert.deepEqual(resource.Properties.Architectures, ['arm64']);
      assert.equal(resource.Properties.Handler, 'index.handler');
      assert.equal(resource.Properties.MemorySize, 256);
      assert.ok(
        (resource.Properties.Timeout as number) <= 5,
        `timeout ${resource.Properties.Timeout}`,
      );
    });

    it('passes the default configuration through the environment', () => {
      const { stack, sync, template } = synth();

      const { resource } = onlyResource(template, 'AWS::Lambda::Function');
      assert.deepEqual(resource.Properties.Environment, {
        Variables: {
          TABLE_NAME: { Ref: logicalIdOf(stack, sync.table) },
          KEY_ATTRIBUTE: 'username',
          LOG_LEVEL: 'info',
          ON_WRITE_FAILURE: 'continue',
        },
      });
    });

    it('passes a custom key, attribute allowlist and log level through the environment', () => {
      const { template } = synth({
        keyAttribute: 'userId',
        userAttributes: ['email', 'name', 'custom:tenant', 'email'],
        logLevel: 'debug',
        memorySize: 512,
      });

      template.hasResourceProperties('AWS::Lambda::Function', {
        MemorySize: 512,
        Environment: {
          Variables: {
            KEY_ATTRIBUTE: 'userId',
            USER_ATTRIBUTES: 'email,name,custom:tenant',
            LOG_LEVEL: 'debug',
          },
        },
      });
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'userId', AttributeType: 'S' },
          { AttributeName: 'sub', AttributeType: 'S' },
        ],
      });
    });

    it('logs to its own log group, kept for a month by default', () => {
      const { template } = synth();

      const logs = onlyResource(template, 'AWS::Logs::LogGroup');
      assert.equal(logs.resource.Properties.RetentionInDays, 30);
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: logs.id } },
      });
    });

    it('keeps logs for the retention period it is given', () => {
      const { template } = synth({ logRetention: RetentionDays.ONE_YEAR });

      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    });

    it('is created only after its policy, so the trigger never runs without permissions', () => {
      const { stack, sync, template } = synth();

      const policy = onlyResource(template, 'AWS::IAM::Policy');
      const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(stack, sync.function)];
      assert.ok(fn?.DependsOn.includes(policy.id), `DependsOn ${fn?.DependsOn}`);
    });
  });

  describe('permissions', () => {
    it('grants exactly PutItem on the table and writing to its own log group', () => {
      const { stack, sync, template } = synth();

      const role = onlyResource(template, 'AWS::IAM::Role');
      const logs = onlyResource(template, 'AWS::Logs::LogGroup');
      const policy = onlyResource(template, 'AWS::IAM::Policy');
      assert.deepEqual(policy.resource.Properties.Roles, [{ Ref: role.id }]);
      assert.deepEqual(allStatements(template), [
        {
          Action: 'dynamodb:PutItem',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalIdOf(stack, sync.table), 'Arn'] },
        },
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logs.id, 'Arn'] },
        },
      ]);
    });

    it('gives the function its own role, trusted by Lambda only, without managed policies', () => {
      const { stack, sync, template } = synth();

      const role = onlyResource(template, 'AWS::IAM::Role');
      assert.equal(role.resource.Properties.ManagedPolicyArns, undefined);
      assert.equal(role.resource.Properties.Policies, undefined);
      assert.deepEqual(role.resource.Properties.AssumeRolePolicyDocument, {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
          },
        ],
        Version: '2012-10-17',
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [role.id, 'Arn'] },
      });
      assert.equal(
        sync.function.role?.node.scope?.node.path,
        `${stack.node.path}/Sync/PostConfirmation`,
      );
    });

    it('grants on an existing imported table only, and creates no table', () => {
      const { stack } = newStack();
      const userPool = new UserPool(stack, 'Pool');
      const table = Table.fromTableName(stack, 'Existing', 'existing-users');

      new UserTableSync(stack, 'Sync', {
        userPool,
        table,
        keyAttribute: 'pk',
        signInRefresh: false,
      });
      const template = Template.fromStack(stack);

      template.resourceCountIs('AWS::DynamoDB::Table', 0);
      const [putItem] = allStatements(template);
      assert.deepEqual(putItem, {
        Action: 'dynamodb:PutItem',
        Effect: 'Allow',
        Resource: importedArn('dynamodb', 'table/existing-users'),
      });
      assert.equal(allStatements(template).length, 2);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { TABLE_NAME: 'existing-users', KEY_ATTRIBUTE: 'pk' } },
      });
    });

    it('never grants a wildcard action or resource', () => {
      const { template } = synth({ userAttributes: ['email'] });

      for (const statement of allStatements(template)) {
        const text = JSON.stringify([statement.Action, statement.Resource]);
        assert.doesNotMatch(text, /\*"|"\*|:\*[^"]/, text);
      }
    });

    it('warns that a table with a customer managed key needs a key grant', () => {
      const { stack } = newStack();
      const userPool = new UserPool(stack, 'Pool');
      const table = Table.fromTableAttributes(stack, 'Existing', {
        tableName: 'existing-users',
        encryptionKey: new Key(stack, 'Key'),
      });

      new UserTableSync(stack, 'Sync', { userPool, table });

      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Sync',
        Match.stringLikeRegexp('customer managed KMS key'),
      );
    });
  });

  describe('table', () => {
    it('creates an on-demand, point-in-time recovered, protected, encrypted table', () => {
      const { template } = synth();

      const { resource } = onlyResource(template, 'AWS::DynamoDB::Table');
      assert.equal(resource.DeletionPolicy, 'Retain');
      assert.equal(resource.UpdateReplacePolicy, 'Retain');
      assert.deepEqual(resource.Properties, {
        AttributeDefinitions: [
          { AttributeName: 'username', AttributeType: 'S' },
          { AttributeName: 'sub', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [
          {
            IndexName: 'bySub',
            KeySchema: [{ AttributeName: 'sub', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('names the table and relaxes its protection when told to', () => {
      const { template } = synth({
        tableName: 'users',
        deletionProtection: false,
        removalPolicy: RemovalPolicy.DESTROY,
      });

      const { resource } = onlyResource(template, 'AWS::DynamoDB::Table');
      assert.equal(resource.DeletionPolicy, 'Delete');
      assert.equal(resource.Properties.TableName, 'users');
      assert.equal(resource.Properties.DeletionProtectionEnabled, false);
    });
  });

  describe('props validation', () => {
    const cases: { name: string; props: Omit<UserTableSyncProps, 'userPool'>; error: RegExp }[] = [
      {
        name: 'fails when keyAttribute has characters DynamoDB rejects',
        props: { keyAttribute: 'user name' },
        error: /^keyAttribute must be .*got "user name"/,
      },
      {
        name: 'fails when keyAttribute is empty',
        props: { keyAttribute: ' ' },
        error: /^keyAttribute must not be empty, got " "/,
      },
      {
        name: 'fails when keyAttribute collides with a field of the row',
        props: { keyAttribute: 'email' },
        error: /^keyAttribute must not be one of the row's own fields.*got "email"/,
      },
      {
        name: 'fails when userAttributes is an empty list',
        props: { userAttributes: [] },
        error: /^userAttributes must name at least one attribute/,
      },
      {
        name: 'fails when a userAttributes entry holds a comma',
        props: { userAttributes: ['email,name'] },
        error: /^userAttributes must hold attribute names, got an invalid entry "email,name"/,
      },
      {
        name: 'fails when a userAttributes entry is not an attribute name',
        props: { userAttributes: ['email', 'given name'] },
        error: /^userAttributes .*invalid entry "given name"/,
      },
      {
        name: 'fails when logLevel is unknown',
        props: { logLevel: 'verbose' as never },
        error: /^logLevel must be one of debug, info, warn, error, silent, got "verbose"/,
      },
      {
        name: 'fails when memorySize is out of range',
        props: { memorySize: 64 },
        error: /^memorySize must be a whole number of MB from 128 to 10240, got 64/,
      },
      {
        name: 'fails when tableName is not a valid table name',
        props: { tableName: 'a b' },
        error: /^tableName must be 3-255 characters.*got "a b"/,
      },
    ];
    for (const { name, props, error } of cases) {
      it(name, () => {
        assert.throws(() => synth(props), { message: error });
      });
    }

    for (const prop of ['tableName', 'deletionProtection', 'removalPolicy'] as const) {
      it(`fails when ${prop} is given with an existing table`, () => {
        const { stack } = newStack();
        const userPool = new UserPool(stack, 'Pool');
        const table = Table.fromTableName(stack, 'Existing', 'existing-users');
        const value = { tableName: 'users', deletionProtection: false, removalPolicy: 'destroy' };

        assert.throws(
          () =>
            new UserTableSync(stack, 'Sync', {
              userPool,
              table,
              [prop]: value[prop] as never,
            }),
          { message: new RegExp(`^${prop} applies only to the table this construct creates`) },
        );
      });
    }
  });

  describe('bundling', () => {
    it('bundles each handler with the local esbuild into one ESM file with the AWS SDK inside', () => {
      const outdir = mkdtempSync(join(tmpdir(), 'user-table-sync-'));
      try {
        const context: Record<string, unknown> = {
          ...testContext,
          'aws:cdk:enable-asset-metadata': true,
        };
        delete context['aws:cdk:bundling-stacks'];
        const app = new App({ context, outdir });
        const stack = new Stack(app, 'BundledStack');
        const sync = new UserTableSync(stack, 'Sync', {
          userPool: new UserPool(stack, 'Pool'),
          scheduledReconcile: {},
        });

        const assembly = app.synth();

        const bundleOf = (fn: { node: { defaultChild?: unknown } }) => {
          const resource = assembly.getStackByName('BundledStack').template.Resources[
            logicalIdOf(stack, fn)
          ] as { Metadata: Record<string, string> };
          const bundle = join(outdir, resource.Metadata['aws:asset:path'] ?? '', 'index.mjs');
          assert.ok(existsSync(bundle), `no bundle at ${bundle}`);
          const code = readFileSync(bundle, 'utf8');
          assert.ok(
            code.startsWith("import { createRequire as __createRequire } from 'node:module';"),
          );
          assert.doesNotMatch(code, /from\s*["']@aws-sdk\//);
          return code;
        };
        const trigger = bundleOf(sync.function);
        assert.match(trigger, /ConditionExpression/);
        assert.ok(trigger.length < 450 * 1024, `trigger bundle is ${trigger.length} bytes`);
        assert.ok(sync.reconcileFunction);
        const reconcile = bundleOf(sync.reconcileFunction);
        assert.match(reconcile, /PaginationToken/);
        assert.match(reconcile, /USER_POOL_ID/);
        assert.ok(reconcile.length < 500 * 1024, `reconcile bundle is ${reconcile.length} bytes`);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });
  });
});

describe('Construct: UserTableSync, what the README says it creates by default', () => {
  it('creates the table, two functions, 5 alarms and 1 dashboard, as the README lists them', () => {
    const { stack } = newStack();
    new UserTableSync(stack, 'Sync', { userPool: new UserPool(stack, 'Pool') });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const readmeSection = readme.slice(
      readme.indexOf('## Use the construct'),
      readme.indexOf('## Features'),
    );
    assert.match(readmeSection, /5 alarms and 1 CloudWatch dashboard/);
    assert.match(
      readmeSection,
      /Post\s+Confirmation and Post Authentication \(sign-in\) functions/,
    );
    const deploy = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8');
    const section = deploy.slice(deploy.indexOf('## What it costs at rest'));
    for (const text of [
      'the Post Confirmation function',
      'the Post Authentication (sign-in) function',
      '| 5 alarms:',
      '| 1 CloudWatch dashboard',
      'signInRefresh: false',
      'monitoring: false',
    ]) {
      assert.ok(section.includes(text), `the README's construct section says ${text}`);
    }
  });
});
