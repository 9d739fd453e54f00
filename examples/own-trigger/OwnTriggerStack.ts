import { fileURLToPath } from 'node:url';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FUNCTION_RUNTIME, UserTableSync, type UserTableSyncProps } from 'cognito-user-sync/cdk';
import type { Construct } from 'constructs';

/** Where the trigger's code is: your handler, wrapped with `withUserSync`. */
export const OWN_TRIGGER_ENTRY = fileURLToPath(
  new URL('./lambda/postConfirmation.ts', import.meta.url),
);

/** Properties of {@link OwnTriggerStack}. */
export interface OwnTriggerStackProps extends StackProps {
  /**
   * Options passed to {@link UserTableSync}, except the pool and the function.
   * @default - the tutorial's row: the e-mail address under `useremail`
   */
  readonly sync?: Omit<UserTableSyncProps, 'userPool' | 'postConfirmationFunction'>;
}

/**
 * A pool whose Post Confirmation trigger is the app's own function: its code
 * runs the sync first (`withUserSync`), then the app's own work. The
 * construct creates no trigger of its own: it grants this function exactly
 * `dynamodb:PutItem` on the table, sets the sync's variables on it and
 * attaches it to the pool.
 */
export class OwnTriggerStack extends Stack {
  /** The user pool. */
  public readonly userPool: UserPool;

  /** The app's own Post Confirmation function. */
  public readonly trigger: NodejsFunction;

  /** The construct that keeps the table in sync. */
  public readonly sync: UserTableSync;

  /**
   * @param scope - parent construct (usually the app)
   * @param id - stack id
   * @param props - see {@link OwnTriggerStackProps}
   */
  constructor(scope: Construct, id: string, props: OwnTriggerStackProps = {}) {
    super(scope, id, {
      description: 'cognito-user-sync example: the sync inside your own Post Confirmation trigger',
      ...props,
    });

    // No lambdaTriggers here: the construct attaches the function itself.
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
    });

    this.trigger = new NodejsFunction(this, 'PostConfirmation', {
      entry: OWN_TRIGGER_ENTRY,
      handler: 'handler',
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      // Cognito waits 5 seconds at most for the trigger; the row write takes 3.5 at most.
      timeout: Duration.seconds(5),
      memorySize: 256,
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // cognito-user-sync and the AWS SDK inside the bundle, so it runs as tested.
        externalModules: [],
        minify: true,
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    });

    this.sync = new UserTableSync(this, 'UserTableSync', {
      rowMapping: { fields: { email: 'useremail' } },
      ...props.sync,
      userPool: this.userPool,
      postConfirmationFunction: this.trigger,
    });
  }
}
