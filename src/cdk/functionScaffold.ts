import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { packageRoot } from '../shared/packageRoot.js';

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

/** Runtime of the functions this package deploys. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** The functions whose prebuilt code ships in this package (`dist/lambda/<name>/index.mjs`). */
export type PrebuiltFunctionName =
  | 'post-confirmation'
  | 'scheduled-reconcile'
  | 'post-authentication'
  | 'change-signal';

/** The code-related props every function of this package shares. */
export interface PrebuiltFunctionProps {
  /** The prebuilt bundle's folder, as a Lambda asset. */
  readonly code: Code;
  /** `index.handler`. */
  readonly handler: string;
  /** {@link FUNCTION_RUNTIME}. */
  readonly runtime: Runtime;
  /** arm64. */
  readonly architecture: Architecture;
}

/**
 * The folder holding the prebuilt bundle of a function, inside the installed
 * package (`<package>/dist/lambda/<name>`).
 *
 * @throws Error when the bundle is missing, saying how to build it
 */
export function prebuiltCodePath(name: PrebuiltFunctionName): string {
  const folder = join(packageRoot(import.meta.url), 'dist', 'lambda', name);
  if (!existsSync(join(folder, 'index.mjs'))) {
    throw new Error(
      `the prebuilt code of the ${name} function is missing at ${folder}: reinstall cognito-user-sync, or run "npm run build" in its repository`,
    );
  }
  return folder;
}

/**
 * Code, runtime and architecture of a function of this package: the
 * handler `handler` of the prebuilt, self-contained ESM bundle shipped in
 * this package (AWS SDK inside), on Node.js 24 and arm64. A consumer's synth
 * only copies the file: no esbuild, no Docker.
 */
export function prebuiltFunctionProps(name: PrebuiltFunctionName): PrebuiltFunctionProps {
  return {
    code: Code.fromAsset(prebuiltCodePath(name)),
    handler: 'index.handler',
    runtime: FUNCTION_RUNTIME,
    architecture: Architecture.ARM_64,
  };
}

/**
 * Checks a function's memory size.
 *
 * @param value - the prop's value
 * @param name - the prop's name, for the error message
 * @param fallback - the value when `value` is undefined
 * @throws Error when it is not a whole number of MB from 128 to 10240
 */
export function validMemorySize(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (Token.isUnresolved(value)) return value;
  if (!Number.isInteger(value) || value < 128 || value > 10240) {
    throw new Error(`${name} must be a whole number of MB from 128 to 10240, got ${value}`);
  }
  return value;
}
