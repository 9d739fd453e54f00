import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ScheduledReconcileOptions } from '../../../src/cdk/ScheduledReconcileOptions.js';
import { UserTableSync, type UserTableSyncProps } from '../../../src/cdk/UserTableSync.js';
import { CONTINUE_EVENT } from '../../../src/domain/reconcileEvent.js';
import { readScheduledReconcileConfig } from '../../../src/domain/scheduledConfig.js';
import { testReconcileConfig } from '../../helpers/reconcileConfig.js';
import { importedArn, logicalIdOf, newStack, onlyResource } from './testApp.js';

type Statement = Record<string, unknown>;

/** GIVEN a stack with a user pool, WHEN the construct is added with `props`. */
function synth(props: Omit<UserTableSyncProps, 'userPool'> = {}) {
  const { app, stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  const sync = new UserTableSync(stack, 'Sync', { userPool, signInRefresh: false, ...props });
  return { app, stack, userPool, sync, template: Template.fromStack(stack) };
}

/** GIVEN the construct with the scheduled reconcile on, with `options`. */
function synthReconcile(
  options: ScheduledReconcileOptions = {},
  props: Omit<UserTableSyncProps, 'userPool' | 'scheduledReconcile'> = {},
) {
  const result = synth({ ...props, scheduledReconcile: options });
  const fn = result.sync.reconcileFunction;
  assert.ok(fn, 'no reconcile function');
  const functionId = logicalIdOf(result.stack, fn);
  const resource = result.template.findResources('AWS::Lambda::Function')[functionId] as {
    Properties: Record<string, unknown>;
    DependsOn: string[];
  };
  return { ...result, fn, functionId, resource };
}

let defaultSynth: ReturnType<typeof synthReconcile> | undefined;

/** The construct with every scheduled-reconcile default, synthesized once for the tests that only read it. */
function synthDefault(): ReturnType<typeof synthReconcile> {
  defaultSynth ??= synthReconcile();
  return defaultSynth;
}

function child(scope: Construct, ...path: string[]): Construct {
  let node = scope;
  for (const id of path) node = node.node.findChild(id) as Construct;
  return node;
}

/** The statements of the reconcile function's only policy. */
function reconcileStatements(
  result: ReturnType<typeof synthReconcile>,
  construct: Construct = result.sync,
): Statement[] {
  const policyId = logicalIdOf(result.stack, child(construct, 'Reconcile', 'Policy'));
  const policy = result.template.findResources('AWS::IAM::Policy')[policyId];
  assert.ok(policy, `no policy ${policyId}`);
  return policy.Properties.PolicyDocument.Statement;
}

/** The statement for writing to the reconcile function's own log group. */
function logStatement(result: ReturnType<typeof synthReconcile>): Statement {
  const logsId = logicalIdOf(result.stack, child(result.sync, 'Reconcile', 'Logs'));
  return {
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Effect: 'Allow',
    Resource: { 'Fn::GetAtt': [logsId, 'Arn'] },
  };
}

/** The rule `Reconcile/<id>` (`Schedule` or `Continue`) as synthesized. */
function ruleOf(result: ReturnType<typeof synthReconcile>, id: 'Schedule' | 'Continue') {
  const ruleId = logicalIdOf(result.stack, child(result.sync, 'Reconcile', id));
  const rule = result.template.findResources('AWS::Events::Rule')[ruleId];
  assert.ok(rule, `no rule ${id}`);
  return { id: ruleId, resource: rule };
}

function getAtt(result: ReturnType<typeof synthReconcile>, construct: Construct) {
  return { 'Fn::GetAtt': [logicalIdOf(result.stack, construct), 'Arn'] };
}

describe('Construct: UserTableSync, scheduled reconcile', () => {
  describe('off by default', () => {
    it('creates no second function, no rule and no EventBridge permission', () => {
      const { sync, template } = synth();

      assert.equal(sync.reconcileFunction, undefined);
      template.resourceCountIs('AWS::Lambda::Function', 1);
      template.resourceCountIs('AWS::Events::Rule', 0);
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      assert.equal(sync.node.tryFindChild('Reconcile'), undefined);
    });
  });

  describe('schedule', () => {
    it('runs the function every hour by default, retrying delivery for an hour at most', () => {
      const result = synthDefault();

      const rule = ruleOf(result, 'Schedule');
      assert.equal(rule.resource.Properties.ScheduleExpression, 'rate(1 hour)');
      assert.equal(rule.resource.Properties.State, 'ENABLED');
      assert.deepEqual(rule.resource.Properties.Targets, [
        {
          Arn: getAtt(result, result.fn),
          Id: 'Target0',
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 185 },
        },
      ]);
    });

    it('follows the schedule it is given', () => {
      const { template } = synthReconcile({
        schedule: Schedule.cron({ minute: '15', hour: '3' }),
      });

      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(15 3 * * ? *)',
      });
    });

    it('lets EventBridge invoke the function only for its own two rules', () => {
      const result = synthDefault();

      const permissions = Object.values(
        result.template.findResources('AWS::Lambda::Permission'),
      ).filter((permission) => permission.Properties.Principal === 'events.amazonaws.com');
      assert.deepEqual(
        permissions.map((permission) => permission.Properties),
        ['Schedule', 'Continue'].map((id) => ({
          Action: 'lambda:InvokeFunction',
          FunctionName: getAtt(result, result.fn),
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [ruleOf(result, id as 'Schedule').id, 'Arn'] },
        })),
      );
    });

    it('continues a run in progress every minute with the continue event, never retrying a stale one', () => {
      const result = synthDefault();

      const rule = ruleOf(result, 'Continue');
      assert.equal(rule.resource.Properties.ScheduleExpression, 'rate(1 minute)');
      assert.deepEqual(rule.resource.Properties.Targets, [
        {
          Arn: getAtt(result, result.fn),
          Id: 'Target0',
          Input: JSON.stringify(CONTINUE_EVENT),
          RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 },
        },
      ]);
    });

    it('keeps run state in its own small table: on demand, encrypted, expiring, recoverable, destroyed with the stack', () => {
      const result = synthDefault();

      assert.ok(result.sync.reconcileStateTable);
      const tableId = logicalIdOf(result.stack, result.sync.reconcileStateTable);
      const table = result.template.findResources('AWS::DynamoDB::Table')[tableId];
      assert.ok(table, 'no state table');
      assert.equal(table.DeletionPolicy, 'Delete');
      assert.deepEqual(table.Properties.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
      assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
      assert.deepEqual(table.Properties.TimeToLiveSpecification, {
        AttributeName: 'expiresAt',
        Enabled: true,
      });
      assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, {
        PointInTimeRecoveryEnabled: true,
      });
      assert.deepEqual(table.Properties.SSESpecification, { SSEEnabled: true });
      assert.deepEqual(
        (result.resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .STATE_TABLE_NAME,
        { Ref: tableId },
      );
    });

    it('with resumable false, has no state table and no continuation rule, and reserves one concurrent run', () => {
      const result = synthReconcile({ resumable: false });

      assert.equal(result.resource.Properties.ReservedConcurrentExecutions, 1);
      assert.equal(
        synthReconcile({ resumable: false, preventOverlap: false }).resource.Properties
          .ReservedConcurrentExecutions,
        undefined,
      );
      assert.equal(
        synthReconcile({ preventOverlap: true }).resource.Properties.ReservedConcurrentExecutions,
        1,
      );

      assert.equal(result.sync.reconcileStateTable, undefined);
      assert.equal(result.sync.node.tryFindChild('ReconcileState'), undefined);
      result.template.resourceCountIs('AWS::Events::Rule', 1);
      assert.equal(
        (result.resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .STATE_TABLE_NAME,
        undefined,
      );
      assert.equal(reconcileStatements(result).length, 3);
    });

    it('keeps its construct ids stable', () => {
      const { stack, sync, fn } = synthDefault();

      assert.equal(fn.node.path, `${stack.node.path}/Sync/Reconcile/Function`);
      for (const id of ['Role', 'Logs', 'Policy', 'Schedule']) {
        assert.ok(sync.node.findChild('Reconcile').node.tryFindChild(id), `no Reconcile/${id}`);
      }
    });
  });

  describe('function', () => {
    it('runs the bundled reconcile on Node.js 24, arm64, for up to 15 minutes, with no concurrency reserved (the lease keeps runs apart)', () => {
      const { template, resource, functionId } = synthDefault();

      assert.equal(resource.Properties.Runtime, 'nodejs24.x');
      assert.deepEqual(resource.Properties.Architectures, ['arm64']);
      assert.equal(resource.Properties.Handler, 'index.handler');
      assert.equal(resource.Properties.Timeout, 900);
      assert.equal(resource.Properties.MemorySize, 512);
      assert.equal(resource.Properties.ReservedConcurrentExecutions, undefined);
      const invokeConfig = onlyResource(template, 'AWS::Lambda::EventInvokeConfig');
      assert.deepEqual(invokeConfig.resource.Properties, {
        FunctionName: { Ref: functionId },
        MaximumEventAgeInSeconds: 3600,
        MaximumRetryAttempts: 0,
        Qualifier: '$LATEST',
      });
    });

    it('passes the default configuration through the environment', () => {
      const { stack, userPool, sync, resource } = synthDefault();

      assert.deepEqual(resource.Properties.Environment, {
        Variables: {
          USER_POOL_ID: { Ref: logicalIdOf(stack, userPool) },
          TABLE_NAME: { Ref: logicalIdOf(stack, sync.table) },
          KEY_ATTRIBUTE: 'username',
          INCLUDE_UNCONFIRMED: 'false',
          ORPHANS: 'report',
          FAIL_ON_ORPHANS: 'false',
          CONCURRENCY: '16',
          LIST_RATE: '10',
          // No LIST_CHAINS: the function chooses its ListUsers pages in flight.
          SCAN_SEGMENTS: '4',
          DRY_RUN: 'false',
          UPDATE: 'false',
          LOG_LEVEL: 'info',
          STATE_TABLE_NAME: { Ref: logicalIdOf(stack, sync.reconcileStateTable as Construct) },
        },
      });
    });

    it('writes rows like the trigger: same key attribute, allowlist and log level', () => {
      const { stack, sync, template, resource } = synthReconcile(
        {
          orphans: 'delete',
          failOnOrphans: true,
          concurrency: 8,
          listRate: 2.5,
          scanSegments: 16,
          statuses: ['confirmed', 'EXTERNAL_PROVIDER', 'CONFIRMED'],
        },
        { keyAttribute: 'userId', userAttributes: ['email', 'custom:tenant'], logLevel: 'debug' },
      );

      const trigger = template.findResources('AWS::Lambda::Function')[
        logicalIdOf(stack, sync.function)
      ] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
      const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      for (const name of ['TABLE_NAME', 'KEY_ATTRIBUTE', 'USER_ATTRIBUTES', 'LOG_LEVEL']) {
        assert.deepEqual(variables[name], trigger.Properties.Environment.Variables[name], name);
      }
      assert.deepEqual(
        {
          ...variables,
          USER_POOL_ID: undefined,
          TABLE_NAME: undefined,
          STATE_TABLE_NAME: undefined,
        },
        {
          USER_POOL_ID: undefined,
          TABLE_NAME: undefined,
          STATE_TABLE_NAME: undefined,
          KEY_ATTRIBUTE: 'userId',
          USER_ATTRIBUTES: 'email,custom:tenant',
          USER_STATUSES: 'CONFIRMED,EXTERNAL_PROVIDER',
          INCLUDE_UNCONFIRMED: 'false',
          ORPHANS: 'delete',
          FAIL_ON_ORPHANS: 'true',
          CONCURRENCY: '8',
          LIST_RATE: '2.5',
          SCAN_SEGMENTS: '16',
          DRY_RUN: 'false',
          UPDATE: 'false',
          LOG_LEVEL: 'debug',
        },
      );
    });

    it('sets an environment that the function accepts at cold start', () => {
      const { resource } = synthReconcile({ orphans: 'mark', includeUnconfirmed: true });
      const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const resolved = {
        ...variables,
        USER_POOL_ID: 'eu-west-1_AbCdEf123',
        TABLE_NAME: 'users',
        STATE_TABLE_NAME: 'users-state',
      } as NodeJS.ProcessEnv;

      const config = readScheduledReconcileConfig(resolved);

      assert.deepEqual(config, {
        ...testReconcileConfig({
          userPoolId: 'eu-west-1_AbCdEf123',
          statusFilter: { except: [] },
          orphans: 'mark',
        }),
        logLevel: 'info',
        stateTableName: 'users-state',
      });
    });

    it('takes its timeout, memory, retries and overlap setting from the options', () => {
      const { template, resource } = synthReconcile({
        schedule: Schedule.rate(Duration.minutes(10)),
        timeout: Duration.minutes(10),
        memorySize: 1024,
        preventOverlap: false,
        retryAttempts: 2,
      });

      assert.equal(resource.Properties.Timeout, 600);
      assert.equal(resource.Properties.MemorySize, 1024);
      assert.equal(resource.Properties.ReservedConcurrentExecutions, undefined);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: 2,
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(10 minutes)',
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
      });
    });

    it('logs to its own log group, kept as long as the construct keeps logs unless told otherwise', () => {
      const inherited = synthReconcile({}, { logRetention: RetentionDays.ONE_YEAR });
      const own = synthReconcile({ logRetention: RetentionDays.ONE_WEEK });

      const retentionOf = (result: ReturnType<typeof synthReconcile>) => {
        const logsId = logicalIdOf(result.stack, child(result.sync, 'Reconcile', 'Logs'));
        assert.deepEqual(result.resource.Properties.LoggingConfig, { LogGroup: { Ref: logsId } });
        return result.template.findResources('AWS::Logs::LogGroup')[logsId]?.Properties
          .RetentionInDays;
      };
      assert.equal(retentionOf(inherited), 365);
      assert.equal(retentionOf(own), 7);
    });

    it('is created only after its policy', () => {
      const result = synthDefault();

      const policyId = logicalIdOf(result.stack, child(result.sync, 'Reconcile', 'Policy'));
      assert.ok(
        result.resource.DependsOn.includes(policyId),
        `DependsOn ${result.resource.DependsOn}`,
      );
    });
  });

  describe('permissions', () => {
    const modes: {
      name: string;
      options: ScheduledReconcileOptions;
      tableActions: string | string[];
      poolActions?: string[];
    }[] = [
      {
        name: 'report (default): ListUsers, BatchGetItem, DescribeTable, Scan and PutItem',
        options: {},
        tableActions: [
          'dynamodb:BatchGetItem',
          'dynamodb:DescribeTable',
          'dynamodb:PutItem',
          'dynamodb:Scan',
        ],
      },
      {
        name: 'mark: also UpdateItem, and AdminGetUser for rows without createdAt',
        options: { orphans: 'mark' },
        poolActions: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'],
        tableActions: [
          'dynamodb:BatchGetItem',
          'dynamodb:DescribeTable',
          'dynamodb:PutItem',
          'dynamodb:Scan',
          'dynamodb:UpdateItem',
        ],
      },
      {
        name: 'delete: also DeleteItem, and AdminGetUser for rows without createdAt',
        options: { orphans: 'delete' },
        poolActions: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'],
        tableActions: [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:DescribeTable',
          'dynamodb:PutItem',
          'dynamodb:Scan',
        ],
      },
      {
        name: 'dry run: BatchGetItem, DescribeTable and Scan only on the table, whatever the orphan mode',
        options: { dryRun: true, orphans: 'delete' },
        tableActions: ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:Scan'],
        poolActions: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'],
      },
      {
        name: 'dry run in mark mode: BatchGetItem, DescribeTable and Scan only on the table',
        options: { dryRun: true, orphans: 'mark' },
        tableActions: ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:Scan'],
        poolActions: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'],
      },
    ];
    for (const { name, options, tableActions, poolActions } of modes) {
      it(`grants exactly what ${name} needs, on that pool and that table`, () => {
        const result = synthReconcile(options);

        assert.deepEqual(reconcileStatements(result), [
          {
            Action: poolActions ?? 'cognito-idp:ListUsers',
            Effect: 'Allow',
            Resource: getAtt(result, result.userPool),
          },
          { Action: tableActions, Effect: 'Allow', Resource: getAtt(result, result.sync.table) },
          {
            Action: [
              'dynamodb:DeleteItem',
              'dynamodb:GetItem',
              'dynamodb:PutItem',
              'dynamodb:UpdateItem',
            ],
            Effect: 'Allow',
            Resource: getAtt(result, result.sync.reconcileStateTable as Construct),
          },
          logStatement(result),
        ]);
      });
    }

    it('gives the function its own role, with that one policy and no managed policies', () => {
      const result = synthDefault();

      const roleId = logicalIdOf(result.stack, child(result.sync, 'Reconcile', 'Role'));
      const role = result.template.findResources('AWS::IAM::Role')[roleId];
      assert.ok(role, `no role ${roleId}`);
      assert.equal(role.Properties.ManagedPolicyArns, undefined);
      assert.equal(role.Properties.Policies, undefined);
      assert.deepEqual(role.Properties.AssumeRolePolicyDocument.Statement, [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
      assert.deepEqual(result.resource.Properties.Role, { 'Fn::GetAtt': [roleId, 'Arn'] });
      const policiesOfRole = Object.values(
        result.template.findResources('AWS::IAM::Policy'),
      ).filter(
        (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
      );
      assert.equal(policiesOfRole.length, 1);
    });

    it('leaves the trigger with exactly PutItem on the table', () => {
      const result = synthReconcile({ orphans: 'delete' });

      const policyId = logicalIdOf(result.stack, child(result.sync, 'PostConfirmation', 'Policy'));
      const statements = result.template.findResources('AWS::IAM::Policy')[policyId]?.Properties
        .PolicyDocument.Statement as Statement[];
      assert.deepEqual(
        statements.map((statement) => statement.Action),
        ['dynamodb:PutItem', ['logs:CreateLogStream', 'logs:PutLogEvents']],
      );
    });

    it('never grants a wildcard action or resource', () => {
      const result = synthReconcile({ orphans: 'delete' });

      for (const statement of reconcileStatements(result)) {
        const text = JSON.stringify([statement.Action, statement.Resource]);
        assert.doesNotMatch(text, /\*"|"\*|:\*[^"]/, text);
      }
    });

    it('synthesizes without a dependency cycle when the pool triggers the other function', () => {
      const { app } = synthReconcile({ orphans: 'mark' });

      assert.equal(app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules'), true);
      assert.doesNotThrow(() => app.synth());
    });

    it('grants ListUsers on an imported pool by its ARN and passes its id', () => {
      const { app, stack } = newStack();
      const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbCdEf123');

      const sync = new UserTableSync(stack, 'Sync', {
        userPool,
        attachTrigger: false,
        scheduledReconcile: {},
      });
      const template = Template.fromStack(stack);

      const statements = template.findResources('AWS::IAM::Policy')[
        logicalIdOf(stack, child(sync, 'Reconcile', 'Policy'))
      ]?.Properties.PolicyDocument.Statement as Statement[];
      assert.deepEqual(statements[0], {
        Action: 'cognito-idp:ListUsers',
        Effect: 'Allow',
        Resource: importedArn('cognito-idp', 'userpool/eu-west-1_AbCdEf123'),
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { USER_POOL_ID: 'eu-west-1_AbCdEf123' } },
      });
      assert.doesNotThrow(() => app.synth());
    });

    it('grants on an existing imported table, and creates no user table', () => {
      const { stack } = newStack();
      const userPool = new UserPool(stack, 'Pool');
      const table = Table.fromTableName(stack, 'Existing', 'existing-users');

      const sync = new UserTableSync(stack, 'Sync', {
        userPool,
        table,
        keyAttribute: 'pk',
        scheduledReconcile: { orphans: 'mark' },
      });
      const template = Template.fromStack(stack);

      template.resourceCountIs('AWS::DynamoDB::Table', 1); // the run state's only
      assert.ok(sync.reconcileStateTable);
      const statements = template.findResources('AWS::IAM::Policy')[
        logicalIdOf(stack, child(sync, 'Reconcile', 'Policy'))
      ]?.Properties.PolicyDocument.Statement as Statement[];
      assert.equal(statements.length, 4);
      assert.deepEqual(statements[1], {
        Action: [
          'dynamodb:BatchGetItem',
          'dynamodb:DescribeTable',
          'dynamodb:PutItem',
          'dynamodb:Scan',
          'dynamodb:UpdateItem',
        ],
        Effect: 'Allow',
        Resource: importedArn('dynamodb', 'table/existing-users'),
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { TABLE_NAME: 'existing-users', KEY_ATTRIBUTE: 'pk' } },
        Timeout: 900,
      });
    });
  });

  describe('options validation', () => {
    const cases: { name: string; options: ScheduledReconcileOptions; error: RegExp }[] = [
      {
        name: 'fails when orphans is not a known mode',
        options: { orphans: 'purge' as never },
        error: /^scheduledReconcile\.orphans must be one of report, mark, delete, got "purge"/,
      },
      {
        name: 'fails when concurrency is 0',
        options: { concurrency: 0 },
        error: /^scheduledReconcile\.concurrency must be a whole number from 1 to 256, got "0"/,
      },
      {
        name: 'fails when concurrency is not a whole number',
        options: { concurrency: 1.5 },
        error: /^scheduledReconcile\.concurrency must be a whole number .*got "1\.5"/,
      },
      {
        name: 'fails when listRate is 0',
        options: { listRate: 0 },
        error: /^scheduledReconcile\.listRate must be a number from 0\.1 to 1000, got 0$/,
      },
      {
        name: 'fails when listRate is above 1000',
        options: { listRate: 2000 },
        error: /^scheduledReconcile\.listRate .*got 2000$/,
      },
      {
        name: 'fails when scanSegments is above 64',
        options: { scanSegments: 65 },
        error: /^scheduledReconcile\.scanSegments must be a whole number from 1 to 64, got "65"/,
      },
      {
        name: 'fails when timeout is longer than 15 minutes',
        options: { timeout: Duration.minutes(16) },
        error:
          /^scheduledReconcile\.timeout must be .*to 15 minutes \(Lambda's limit\), got 16 minutes/,
      },
      {
        name: 'fails when timeout is not a whole number of seconds',
        options: { timeout: Duration.millis(1500) },
        error: /^scheduledReconcile\.timeout .*got 1 second 500 millis/,
      },
      {
        name: 'fails when memorySize is out of range',
        options: { memorySize: 64 },
        error:
          /^scheduledReconcile\.memorySize must be a whole number of MB from 128 to 10240, got 64/,
      },
      {
        name: 'fails when statuses is an empty list',
        options: { statuses: [] },
        error: /^scheduledReconcile\.statuses must name at least one status.*got an empty list/,
      },
      {
        name: 'fails when statuses holds an unknown status',
        options: { statuses: ['CONFIRMED', 'ACTIVE'] },
        error:
          /^scheduledReconcile\.statuses must be a comma-separated list .*got an invalid entry "ACTIVE"/,
      },
      {
        name: 'fails when a statuses entry holds a comma',
        options: { statuses: ['CONFIRMED,UNCONFIRMED'] },
        error:
          /^scheduledReconcile\.statuses must hold user statuses, got an invalid entry "CONFIRMED,UNCONFIRMED"/,
      },
      {
        name: 'fails when statuses and includeUnconfirmed are both set',
        options: { statuses: ['CONFIRMED'], includeUnconfirmed: true },
        error:
          /^scheduledReconcile\.statuses and scheduledReconcile\.includeUnconfirmed cannot be set together.*got statuses \["CONFIRMED"\]/,
      },
      {
        name: 'fails when the schedule fires more often than a run may last',
        options: { schedule: Schedule.rate(Duration.minutes(5)) },
        error:
          /^scheduledReconcile\.schedule must not fire more often than a run may last .*15 minutes.*got rate\(5 minutes\)/,
      },
      {
        name: 'fails when retryAttempts is above 2',
        options: { retryAttempts: 3 },
        error: /^scheduledReconcile\.retryAttempts must be a whole number from 0 to 2, got "3"/,
      },
      {
        name: 'fails when dryRun is not a boolean',
        options: { dryRun: 'yes' as never },
        error: /^scheduledReconcile\.dryRun must be true or false, got "yes"/,
      },
    ];
    for (const { name, options, error } of cases) {
      it(name, () => {
        assert.throws(() => synth({ scheduledReconcile: options }), { message: error });
      });
    }

    it('accepts a schedule as long as the timeout', () => {
      assert.doesNotThrow(() =>
        synth({
          scheduledReconcile: {
            schedule: Schedule.rate(Duration.minutes(5)),
            timeout: Duration.minutes(5),
          },
        }),
      );
    });
  });
});
