import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Options of {@link createFunctionScaffold}. */
export interface FunctionScaffoldOptions {
  /** What the function does, for the role's description. */
  readonly purpose: string;
  /** How long the function's log events are kept. */
  readonly logRetention: RetentionDays;
  /** The statements the function needs besides writing its own logs. */
  readonly statements: readonly PolicyStatement[];
}

/** The per-function resources built by {@link createFunctionScaffold}. */
export interface FunctionScaffold {
  /** The construct under which the function itself must be created. */
  readonly scope: Construct;
  /** The function's own execution role, trusted by Lambda only, without managed policies. */
  readonly role: Role;
  /** The function's own log group. */
  readonly logGroup: LogGroup;
  /** The only policy of the role: the given statements plus writing to {@link logGroup}. */
  readonly policy: Policy;
}

/**
 * Creates what every function of this package gets before the function itself:
 * a construct `id` holding its own role (`Role`), its own log group (`Logs`,
 * kept when the stack is deleted, emptied by its retention period)
 * and a policy (`Policy`) with exactly the given statements plus
 * `logs:CreateLogStream` and `logs:PutLogEvents` on that log group.
 *
 * The policy is a separate `AWS::IAM::Policy`, not the role's default policy,
 * so the caller decides whether the function waits for it
 * ({@link attachScaffold}). A function that waits for its policy must not be
 * granted anything on a resource that depends on the function: for a trigger,
 * its own user pool (pool → function → policy → pool is a cycle).
 */
export function createFunctionScaffold(
  parent: Construct,
  id: string,
  options: FunctionScaffoldOptions,
): FunctionScaffold {
  const scope = new Construct(parent, id);
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of the ${options.purpose}`,
    maxSessionDuration: Duration.hours(1),
  });
  const logGroup = new LogGroup(scope, 'Logs', {
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const policy = new Policy(scope, 'Policy', {
    roles: [role],
    statements: [
      ...options.statements,
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    ],
  });
  return { scope, role, logGroup, policy };
}

/**
 * Makes the function wait for its policy, so that CloudFormation never
 * creates (and a trigger never invokes) a function whose role cannot act yet.
 */
export function attachScaffold(fn: Construct, scaffold: FunctionScaffold): void {
  fn.node.addDependency(scaffold.policy);
}
