import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import {
  type ScheduledReconcileOptions,
  UserTableSync,
  type UserTableSyncProps,
} from 'cognito-user-sync/cdk';
import type { Construct } from 'constructs';

/** Properties of {@link ExampleStack}. */
export interface ExampleStackProps extends StackProps {
  /**
   * Options passed to {@link UserTableSync}, except the user pool, which the
   * stack creates.
   *
   * @default - the construct's defaults (a new table keyed by `username`),
   *   plus the scheduled reconcile of {@link EXAMPLE_SCHEDULED_RECONCILE}
   */
  readonly sync?: Omit<UserTableSyncProps, 'userPool'>;
}

/**
 * The scheduled reconcile of the example: every hour, it writes the rows
 * that are missing and marks (`deletedAt`) the rows of users deleted from the
 * pool, which keeps them for review instead of deleting them.
 */
export const EXAMPLE_SCHEDULED_RECONCILE: ScheduledReconcileOptions = { orphans: 'mark' };

/**
 * cdk-nag findings this stack accepts, each with its reason. They are
 * acknowledged on the user pool only, so a finding on any other resource
 * still fails the synth.
 */
export const EXAMPLE_ACKNOWLEDGEMENTS: readonly { readonly id: string; readonly reason: string }[] =
  [
    {
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP) so the example can be tried with a plain sign-up; require it (mfa: Mfa.REQUIRED) for production users, which changes how they sign in.',
    },
    {
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is billed per monthly active user; the example stays on Essentials and leaves that choice to the owner of the pool.',
    },
  ];

/**
 * A ready-to-deploy example: a user pool that signs in with e-mail and
 * enforces a strong password policy, an app client for trying it, and
 * {@link UserTableSync} writing every confirmed user to a DynamoDB table,
 * refreshing rows on sign-in and on every change made through the Cognito API
 * (change signals: the account needs a CloudTrail trail with management
 * events), with an hourly reconcile that repairs the table.
 */
export class ExampleStack extends Stack {
  /** The user pool. */
  public readonly userPool: UserPool;

  /** The construct that keeps the table in sync. */
  public readonly sync: UserTableSync;

  /**
   * @param scope - parent construct (usually the app)
   * @param id - stack id
   * @param props - see {@link ExampleStackProps}
   */
  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, {
      description: 'cognito-user-sync example: a Cognito user pool whose users land in DynamoDB',
      ...props,
    });

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      keepOriginal: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
    });
    Validations.of(this.userPool).acknowledge(...EXAMPLE_ACKNOWLEDGEMENTS);

    const client = new UserPoolClient(this, 'AppClient', {
      userPool: this.userPool,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      generateSecret: false,
    });

    this.sync = new UserTableSync(this, 'UserTableSync', {
      scheduledReconcile: EXAMPLE_SCHEDULED_RECONCILE,
      changeSignals: true,
      ...props.sync,
      userPool: this.userPool,
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.sync.table.tableName });
    new CfnOutput(this, 'FunctionName', { value: this.sync.function.functionName });
    if (this.sync.reconcileFunction) {
      new CfnOutput(this, 'ReconcileFunctionName', {
        value: this.sync.reconcileFunction.functionName,
      });
    }
  }
}
