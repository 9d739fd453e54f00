import { Duration, Token } from 'aws-cdk-lib';
import { UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import {
  CHANGE_SIGNAL_DETAIL_TYPE,
  CHANGE_SIGNAL_EVENT_NAMES,
  CHANGE_SIGNAL_SOURCE,
  COGNITO_EVENT_SOURCE,
} from '../domain/changeSignal.js';
import type { DeletedUserMode } from '../domain/converge.js';
import { deletedRowSettingsOf } from '../domain/deletedRows.js';
import { GROUP_SIGNAL_EVENT_NAMES } from '../domain/groupSignal.js';
import {
  CHANGE_SIGNAL_SETTINGS,
  ON_DELETED_SETTING,
  POST_AUTHENTICATION_SETTINGS,
  SUB_INDEX_SETTING,
} from '../domain/settings/index.js';
import { renderEnvironment } from '../shared/settings.js';
import {
  attachScaffold,
  createFunctionScaffold,
  prebuiltFunctionProps,
} from './functionScaffold.js';
import type { ReconcileTarget } from './scheduledReconcile.js';

/** Name of the `sub` index the construct adds to the tables it creates. */
export const DEFAULT_SUB_INDEX_NAME = 'bySub';

/** Calls made with a user's access token: their events carry no pool id to filter on. */
export const TOKEN_CALLS: readonly string[] = [
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'DeleteUser',
];

/** Timeout of the sign-in function: Cognito waits 5 seconds at most. */
export const SIGN_IN_TIMEOUT = Duration.seconds(5);

/** Timeout of the change-signal function (one AdminGetUser, a few DynamoDB calls; a Scan when a changed alias must be looked up). */
export const CHANGE_SIGNAL_TIMEOUT = Duration.seconds(30);

/** The lifecycle props of `UserTableSync`, checked. */
export interface ValidLifecycle {
  /** Create the Post Authentication function. */
  readonly signInRefresh: boolean;
  /** Create the change-signal function and its rule. */
  readonly changeSignals: boolean;
  /** Mark or delete the row of a deleted user. */
  readonly deletedUsers: DeletedUserMode;
  /** The table's `sub` index; `undefined` when there is none. */
  readonly subIndexName: string | undefined;
}

/**
 * What the lifecycle functions share with the construct: the same pool,
 * table and mapping as the reconcile function, plus their memory and how
 * they are attached to the pool.
 */
export interface LifecycleTarget extends ReconcileTarget {
  /** Memory of the functions, in MB. */
  readonly memorySize: number;
  /**
   * Attaches a function to the pool as a trigger; `undefined` when the
   * construct does not attach triggers (`attachTrigger: false`): the pool is
   * then only granted the right to invoke it.
   */
  readonly attachTrigger: ((operation: UserPoolOperation, fn: IFunction) => void) | undefined;
}

/** The resources created. */
export interface LifecycleResources {
  /** The Post Authentication function, unless turned off. */
  readonly signInFunction?: LambdaFunction;
  /** The change-signal function, when change signals are on. */
  readonly changeSignalFunction?: LambdaFunction;
  /** The EventBridge rules feeding it: the pool's admin calls, and token calls. */
  readonly changeSignalRules?: readonly Rule[];
}

/**
 * Checks the lifecycle props.
 *
 * @param createsTable - whether the construct creates the table (and its `sub` index)
 * @throws Error naming the prop and its bad value
 */
export function validateLifecycle(
  props: {
    readonly signInRefresh?: boolean | undefined;
    readonly changeSignals?: boolean | undefined;
    readonly deletedUsers?: DeletedUserMode | undefined;
    readonly subIndexName?: string | undefined;
  },
  createsTable: boolean,
): ValidLifecycle {
  for (const name of ['signInRefresh', 'changeSignals'] as const) {
    const value = props[name];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
    }
  }
  const subIndexName =
    props.subIndexName === undefined || Token.isUnresolved(props.subIndexName)
      ? props.subIndexName
      : SUB_INDEX_SETTING.parse(props.subIndexName, 'subIndexName');
  if (props.subIndexName !== undefined && subIndexName === undefined) {
    throw new Error(`subIndexName must not be empty, got "${props.subIndexName}"`);
  }
  return {
    signInRefresh: props.signInRefresh ?? true,
    changeSignals: props.changeSignals ?? false,
    deletedUsers: ON_DELETED_SETTING.parse(props.deletedUsers, 'deletedUsers'),
    subIndexName: subIndexName ?? (createsTable ? DEFAULT_SUB_INDEX_NAME : undefined),
  };
}

/**
 * Creates the lifecycle functions under `scope`: `SignIn` (the Post
 * Authentication trigger, may call `dynamodb:GetItem`/`UpdateItem`
 * on the table) and, with change signals, `ChangeSignals` (the function, may
 * call `cognito-idp:AdminGetUser`/`ListUsers` on the pool, and
 * `AdminListGroupsForUser` when the rows keep groups, and the table
 * actions it needs, plus the EventBridge rules `Rule`, for the pool's admin
 * calls, and `TokenRule`, for the calls made with an access token). Each has its own role,
 * log group and policy (see `createFunctionScaffold`).
 */
export function createLifecycle(
  scope: Construct,
  config: ValidLifecycle,
  target: LifecycleTarget,
): LifecycleResources {
  // Both functions restore marked rows; the change-signal function marks them.
  const shared = {
    tableName: target.table.tableName,
    keyAttribute: target.keyAttribute,
    userAttributes: target.userAttributes,
    logLevel: target.logLevel,
    ...deletedRowSettingsOf(target.deletedRows),
    rowMapping: target.rowMapping,
  };
  const resources: {
    signInFunction?: LambdaFunction;
    changeSignalFunction?: LambdaFunction;
    changeSignalRules?: readonly Rule[];
  } = {};

  if (config.signInRefresh) {
    const scaffold = createFunctionScaffold(scope, 'SignIn', {
      purpose: 'Cognito Post Authentication trigger that refreshes users in DynamoDB',
      logRetention: target.logRetention,
      statements: [
        new PolicyStatement({
          // One UpdateItem creates, adopts or refreshes the row; GetItem reads it
          // back only when the condition fails and the service did not return it.
          actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          resources: [target.table.tableArn],
        }),
      ],
    });
    const fn = new LambdaFunction(scaffold.scope, 'Function', {
      ...prebuiltFunctionProps('post-authentication'),
      description:
        'Records each sign-in and refreshes the user row in DynamoDB (Post Authentication)',
      memorySize: target.memorySize,
      timeout: SIGN_IN_TIMEOUT,
      role: scaffold.role,
      logGroup: scaffold.logGroup,
      environment: renderEnvironment(POST_AUTHENTICATION_SETTINGS, shared),
    });
    attachScaffold(fn, scaffold);
    if (target.attachTrigger) {
      target.attachTrigger(UserPoolOperation.POST_AUTHENTICATION, fn);
    } else {
      fn.addPermission('CognitoInvoke', {
        principal: new ServicePrincipal('cognito-idp.amazonaws.com'),
        sourceArn: target.userPool.userPoolArn,
      });
    }
    resources.signInFunction = fn;
  }

  if (config.changeSignals) {
    // Scan: the rows holding an alias that no longer resolves (`findRowsByAlias`).
    const tableActions = [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Scan',
    ];
    if (config.deletedUsers === 'delete') tableActions.push('dynamodb:DeleteItem');
    const statements = [
      new PolicyStatement({
        actions: [
          'cognito-idp:AdminGetUser',
          'cognito-idp:ListUsers',
          ...(target.groups ? ['cognito-idp:AdminListGroupsForUser'] : []),
        ],
        resources: [target.userPool.userPoolArn],
      }),
      new PolicyStatement({ actions: tableActions, resources: [target.table.tableArn] }),
    ];
    if (config.subIndexName) {
      statements.push(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${target.table.tableArn}/index/${config.subIndexName}`],
        }),
      );
    }
    const scaffold = createFunctionScaffold(scope, 'ChangeSignals', {
      purpose: 'function that converges users changed in Cognito into DynamoDB',
      logRetention: target.logRetention,
      statements,
    });
    const fn = new LambdaFunction(scaffold.scope, 'Function', {
      ...prebuiltFunctionProps('change-signal'),
      description:
        'Converges the user named by a Cognito API call (CloudTrail event) into DynamoDB',
      memorySize: target.memorySize,
      timeout: CHANGE_SIGNAL_TIMEOUT,
      role: scaffold.role,
      logGroup: scaffold.logGroup,
      environment: renderEnvironment(CHANGE_SIGNAL_SETTINGS, {
        ...shared,
        userPoolId: target.userPool.userPoolId,
        onDeleted: config.deletedUsers,
        subIndexName: config.subIndexName,
      }),
    });
    attachScaffold(fn, scaffold);
    const adminCalls = [
      ...CHANGE_SIGNAL_EVENT_NAMES.filter((name) => !TOKEN_CALLS.includes(name)),
      // Group calls name the pool too; they are signals only when the rows keep groups.
      ...(target.groups ? GROUP_SIGNAL_EVENT_NAMES : []),
    ];
    const invoke = new LambdaTarget(fn, { retryAttempts: 8, maxEventAge: Duration.hours(2) });
    const base = {
      source: [CHANGE_SIGNAL_SOURCE],
      detailType: [CHANGE_SIGNAL_DETAIL_TYPE],
    };
    // Two plain rules rather than one `$or` pattern: admin calls name the pool,
    // token calls cannot be filtered on it.
    resources.changeSignalRules = [
      new Rule(scaffold.scope, 'Rule', {
        description: "Sends the pool's admin calls that change users to the change-signal function",
        eventPattern: {
          ...base,
          detail: {
            eventSource: [COGNITO_EVENT_SOURCE],
            eventName: adminCalls,
            requestParameters: { userPoolId: [target.userPool.userPoolId] },
          },
        },
        targets: [invoke],
      }),
      new Rule(scaffold.scope, 'TokenRule', {
        description:
          'Sends the calls users make with their access token (any pool) to the change-signal function',
        eventPattern: {
          ...base,
          detail: { eventSource: [COGNITO_EVENT_SOURCE], eventName: [...TOKEN_CALLS] },
        },
        targets: [invoke],
      }),
    ];
    resources.changeSignalFunction = fn;
  }
  return resources;
}
