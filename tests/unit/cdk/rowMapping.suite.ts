import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Stack } from 'aws-cdk-lib/core';
import { UserTableSync, type UserTableSyncProps } from '../../../src/cdk/UserTableSync.js';
import type { RowMappingDocument } from '../../../src/domain/rowMapping/document.js';
import { RowMappingError } from '../../../src/shared/errors.js';
import { logicalIdOf, newStack, onlyResource } from './testApp.js';

/** The single-table design of the row mapping's contract (example 2). */
const SINGLE_TABLE: RowMappingDocument = {
  key: { attribute: 'pk', template: 'USER#{sub}' },
  sortKey: { attribute: 'sk', template: 'PROFILE' },
  constants: { entityType: 'User' },
};

/** GIVEN a stack with a pool, WHEN the construct is added with `props`. */
function synth(props: Omit<UserTableSyncProps, 'userPool'> = {}) {
  const { stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  const sync = new UserTableSync(stack, 'Sync', { userPool, ...props });
  return { stack, userPool, sync, template: Template.fromStack(stack) };
}

/** Builds the construct on a fresh stack, for the props that must fail. */
function build(props: Omit<UserTableSyncProps, 'userPool'>, stack = newStack().stack) {
  return () =>
    new UserTableSync(stack, 'Sync', { userPool: new UserPool(stack, 'Pool'), ...props });
}

/** Every Lambda function's environment variables, by logical id. */
function environments(template: Template): Record<string, Record<string, unknown>> {
  const found: Record<string, Record<string, unknown>> = {};
  for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    found[id] = fn.Properties.Environment?.Variables ?? {};
  }
  return found;
}

/** A function of the app's own, as a consumer defines it. */
function ownFunction(stack: Stack): LambdaFunction {
  return new LambdaFunction(stack, 'OwnTrigger', {
    code: Code.fromInline('export const handler = async (event) => event;'),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_22_X,
  });
}

describe('Construct: UserTableSync, row mapping', () => {
  describe('validation at synth', () => {
    it('names the path of a bad member under rowMapping', () => {
      assert.throws(
        build({ rowMapping: { fields: { email: 3 as unknown as string } } }),
        (error: unknown) =>
          error instanceof RowMappingError &&
          error.message === 'rowMapping.fields.email: expected a string or false, got 3' &&
          error.issues.length === 1,
      );
    });

    it('lists every problem of the document', () => {
      assert.throws(
        build({
          rowMapping: {
            key: { attribute: 'pk', template: 'USER#{email}' },
            fields: { deletedAt: false },
          },
        }),
        /rowMapping\.key\.template: .*\{email\}.*; rowMapping\.fields\.deletedAt: cannot be left out/,
      );
    });

    it('refuses keyAttribute with a rowMapping key that names another attribute', () => {
      assert.throws(
        build({ keyAttribute: 'id', rowMapping: { key: { attribute: 'pk', template: '{sub}' } } }),
        /rowMapping\.key\.attribute: names key attribute "pk", but the keyAttribute setting is "id": give one of them/,
      );
    });

    it('accepts keyAttribute with a rowMapping key that agrees, and keyAttribute as the key of a mapping without one', () => {
      const agreeing = synth({
        keyAttribute: 'pk',
        rowMapping: { key: { attribute: 'pk', template: 'USER#{username}' } },
      });
      const shorthand = synth({
        keyAttribute: 'id',
        rowMapping: { fields: { email: 'useremail' } },
      });

      agreeing.template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      });
      shorthand.template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      });
    });
  });

  describe('ROW_MAPPING', () => {
    it('is the document as JSON on every function: trigger, sign-in, change signals, scheduled reconcile', () => {
      const { template } = synth({
        rowMapping: SINGLE_TABLE,
        changeSignals: true,
        scheduledReconcile: {},
      });

      const all = Object.values(environments(template));
      assert.equal(all.length, 4);
      for (const variables of all) {
        assert.equal(variables.ROW_MAPPING, JSON.stringify(SINGLE_TABLE));
        assert.equal(variables.KEY_ATTRIBUTE, 'pk');
      }
    });

    it('is not set without a rowMapping, so the functions keep reading today\u2019s row', () => {
      const { template } = synth({ changeSignals: true, scheduledReconcile: {} });

      for (const variables of Object.values(environments(template))) {
        assert.equal(variables.ROW_MAPPING, undefined);
        assert.equal(variables.KEY_ATTRIBUTE, 'username');
      }
    });
  });

  describe('the created table', () => {
    it('has the partition and sort key the mapping names, both strings', () => {
      const { template } = synth({ rowMapping: SINGLE_TABLE });

      const { resource } = onlyResource(template, 'AWS::DynamoDB::Table');
      assert.deepEqual(resource.Properties.KeySchema, [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      assert.deepEqual(
        (resource.Properties.AttributeDefinitions as { AttributeName: string }[]).filter(
          (definition) => definition.AttributeName !== 'sub',
        ),
        [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      );
    });

    it('is keyed by the mapping key alone when the mapping has no sort key', () => {
      const { template } = synth({
        rowMapping: { key: { attribute: 'userId', template: '{sub}' } },
      });

      const { resource } = onlyResource(template, 'AWS::DynamoDB::Table');
      assert.deepEqual(resource.Properties.KeySchema, [
        { AttributeName: 'userId', KeyType: 'HASH' },
      ]);
    });
  });

  describe('a given table defined in this app', () => {
    function withTable(
      tableProps: ConstructorParameters<typeof Table>[2],
      rowMapping?: RowMappingDocument,
    ) {
      const { stack } = newStack();
      const table = new Table(stack, 'Users', tableProps);
      return build({ table, ...(rowMapping ? { rowMapping } : {}) }, stack);
    }

    it('passes when its key schema is the mapping keys', () => {
      const { stack } = newStack();
      const table = new Table(stack, 'Users', {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        sortKey: { name: 'sk', type: AttributeType.STRING },
      });

      build({ table, rowMapping: SINGLE_TABLE }, stack)();

      Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 1);
    });

    it('fails when the table lacks the mapping sort key, naming both', () => {
      assert.throws(
        withTable({ partitionKey: { name: 'pk', type: AttributeType.STRING } }, SINGLE_TABLE),
        /the row mapping's sort key \(rowMapping\.sortKey\.attribute\) is "sk", but table TestStack\/Users has no sort key: remove rowMapping\.sortKey or use a table whose sort key is "sk" \(the table's key schema: partition key "pk" \(S\), no sort key\)/,
      );
    });

    it('fails when the table has a sort key the mapping lacks', () => {
      assert.throws(
        withTable({
          partitionKey: { name: 'username', type: AttributeType.STRING },
          sortKey: { name: 'sk', type: AttributeType.STRING },
        }),
        /table TestStack\/Users has a sort key "sk" \(S\), but the row mapping has none: give the mapping a rowMapping\.sortKey with attribute "sk"/,
      );
    });

    it('fails when the partition key has another name, naming both', () => {
      assert.throws(
        withTable({ partitionKey: { name: 'id', type: AttributeType.STRING } }, SINGLE_TABLE),
        /the row mapping's key attribute \(rowMapping\.key\.attribute, or keyAttribute\) is "pk", but table TestStack\/Users has the partition key "id" \(S\)/,
      );
    });

    it('fails when a key is not a string', () => {
      assert.throws(
        withTable(
          {
            partitionKey: { name: 'pk', type: AttributeType.STRING },
            sortKey: { name: 'sk', type: AttributeType.NUMBER },
          },
          SINGLE_TABLE,
        ),
        /the row mapping's sort key \(rowMapping\.sortKey\.attribute\) "sk" holds a string, but table TestStack\/Users declares it of type N/,
      );
    });

    it('checks keyAttribute alone against the table, as the default mapping', () => {
      assert.throws(
        withTable({ partitionKey: { name: 'id', type: AttributeType.STRING } }),
        /is "username", but table TestStack\/Users has the partition key "id" \(S\)/,
      );
    });

    it('checks a TableV2 too', () => {
      const { stack } = newStack();
      const table = new TableV2(stack, 'Global', {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
      });

      assert.throws(
        build({ table, rowMapping: SINGLE_TABLE }, stack),
        /is "sk", but table TestStack\/Global has no sort key/,
      );
    });

    it('checks nothing on an imported table, whose key schema synth cannot see', () => {
      const { stack } = newStack();
      const table = Table.fromTableName(stack, 'Imported', 'users');

      build({ table, rowMapping: SINGLE_TABLE }, stack)();

      Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 0);
    });
  });

  describe('a pool with a trigger of its own', () => {
    it('says what to do when the pool already has a Post Confirmation trigger', () => {
      const { stack } = newStack();
      const existing = ownFunction(stack);
      const userPool = new UserPool(stack, 'Pool', {
        lambdaTriggers: { postConfirmation: existing },
      });

      assert.throws(
        () => new UserTableSync(stack, 'Sync', { userPool }),
        /userPool TestStack\/Pool already has a Post Confirmation trigger, and a pool has one per operation: to keep yours, wrap its handler with withUserSync from cognito-user-sync .* pass the function as postConfirmationFunction/,
      );
    });

    it('says to turn the sign-in refresh off when the pool already has a Post Authentication trigger', () => {
      const { stack } = newStack();
      const userPool = new UserPool(stack, 'Pool', {
        lambdaTriggers: { postAuthentication: ownFunction(stack) },
      });

      assert.throws(
        () => new UserTableSync(stack, 'Sync', { userPool }),
        /already has a Post Authentication trigger, and a pool has one per operation: set signInRefresh: false to keep yours/,
      );
    });

    it('with postConfirmationFunction, creates no trigger of its own and grants, configures and attaches that one', () => {
      const { stack } = newStack();
      const userPool = new UserPool(stack, 'Pool');
      const own = ownFunction(stack);

      const sync = new UserTableSync(stack, 'Sync', {
        userPool,
        postConfirmationFunction: own,
        rowMapping: { fields: { email: 'useremail' } },
        signInRefresh: false,
      });
      const template = Template.fromStack(stack);

      assert.equal(sync.function, own);
      assert.equal(sync.role, own.role);
      template.resourceCountIs('AWS::Lambda::Function', 1);
      const ownId = logicalIdOf(stack, own);
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        LambdaConfig: { PostConfirmation: { 'Fn::GetAtt': [ownId, 'Arn'] } },
      });
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      assert.equal(policies.length, 1);
      assert.deepEqual(policies[0]?.Properties.PolicyDocument.Statement, [
        {
          Action: 'dynamodb:PutItem',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalIdOf(stack, sync.table), 'Arn'] },
        },
      ]);
      const variables = environments(template)[ownId];
      assert.deepEqual(variables, {
        TABLE_NAME: { Ref: logicalIdOf(stack, sync.table) },
        KEY_ATTRIBUTE: 'username',
        LOG_LEVEL: 'info',
        ON_WRITE_FAILURE: 'continue',
        ROW_MAPPING: '{"fields":{"email":"useremail"}}',
      });
    });

    it('with postConfirmationFunction also in the pool lambdaTriggers, says to leave it out', () => {
      const { stack } = newStack();
      const own = ownFunction(stack);
      const userPool = new UserPool(stack, 'Pool', { lambdaTriggers: { postConfirmation: own } });

      assert.throws(
        () => new UserTableSync(stack, 'Sync', { userPool, postConfirmationFunction: own }),
        /the construct attaches postConfirmationFunction itself, so leave it out of the pool's lambdaTriggers/,
      );
    });
  });

  describe('attachTrigger false', () => {
    it('warns on a pool defined in this app that nothing will invoke the functions', () => {
      const { stack } = synth({ attachTrigger: false });

      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Sync',
        Match.stringLikeRegexp(
          'attachTrigger is false on user pool TestStack/Pool, which is defined in this app: the construct attaches none of its functions to it, so nothing will invoke them.*cognito-user-sync:attachTrigger',
        ),
      );
    });

    it('does not warn on an imported pool, which it cannot attach to anyway', () => {
      const { stack } = newStack();
      const userPool = UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbCdEf123');
      new UserTableSync(stack, 'Sync', { userPool, attachTrigger: false });

      Annotations.fromStack(stack).hasNoWarning(
        '/TestStack/Sync',
        Match.stringLikeRegexp('attachTrigger'),
      );
    });
  });
});
