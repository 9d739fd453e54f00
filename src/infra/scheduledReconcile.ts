import { fileURLToPath } from 'node:url';
import { type Duration, Token } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { LogLevel } from '../domain/config.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LIST_RATE,
  DEFAULT_SCAN_SEGMENTS,
  MAX_CONCURRENCY,
  MAX_LIST_RATE,
  MAX_SCAN_SEGMENTS,
  type OrphanMode,
  parseIntegerInRange,
  parseOrphanMode,
  parseRate,
  parseStatusList,
} from '../reconcile/config.js';
import {
  attachScaffold,
  bundledFunctionProps,
  createFunctionScaffold,
  validMemorySize,
} from './functionScaffold.js';
import {
  DEFAULT_RECONCILE_MEMORY_SIZE,
  DEFAULT_RECONCILE_SCHEDULE,
  DEFAULT_RECONCILE_TIMEOUT,
  RECONCILE_MAX_EVENT_AGE,
  type ScheduledReconcileOptions,
} from './ScheduledReconcileOptions.js';

const reconcileEntry = fileURLToPath(new URL('../reconcile/scheduledHandler.ts', import.meta.url));

/** Lambda's longest timeout, in seconds. */
const MAX_TIMEOUT_SECONDS = 15 * 60;

/** Most retry attempts EventBridge accepts: delivery is then bounded by the event's age. */
const MAX_DELIVERY_ATTEMPTS = 185;

/** {@link ScheduledReconcileOptions}, checked and with every default applied. */
export interface ValidScheduledReconcile {
  /** When the reconcile runs. */
  readonly schedule: Schedule;
  /** What happens to orphaned rows. */
  readonly orphans: OrphanMode;
  /** Fail the run when orphans are left unmarked. */
  readonly failOnOrphans: boolean;
  /** Writes in flight. */
  readonly concurrency: number;
  /** ListUsers requests per second. */
  readonly listRate: number;
  /** Parallel Scan segments. */
  readonly scanSegments: number;
  /** Plan only. */
  readonly dryRun: boolean;
  /** Give `UNCONFIRMED` users a row too. */
  readonly includeUnconfirmed: boolean;
  /** The only statuses that get a row; `undefined` for the default filter. */
  readonly statuses: readonly string[] | undefined;
  /** Longest run. */
  readonly timeout: Duration;
  /** Memory in MB. */
  readonly memorySize: number;
  /** Log retention; `undefined` for the construct's. */
  readonly logRetention: RetentionDays | undefined;
  /** Reserve a concurrency of 1. */
  readonly preventOverlap: boolean;
  /** Lambda's retries of a failed run. */
  readonly retryAttempts: number;
}

/**
 * Checks the `scheduledReconcile` prop and applies its defaults.
 *
 * @throws Error naming the option (`scheduledReconcile.<name>`) and its bad value
 */
export function validateScheduledReconcile(
  options: ScheduledReconcileOptions,
): ValidScheduledReconcile {
  const name = (option: keyof ScheduledReconcileOptions) => `scheduledReconcile.${option}`;
  const includeUnconfirmed = validBoolean(options.includeUnconfirmed, name('includeUnconfirmed'));
  const statuses = validStatuses(options.statuses, name('statuses'));
  if (statuses && includeUnconfirmed) {
    throw new Error(
      `scheduledReconcile.statuses and scheduledReconcile.includeUnconfirmed cannot be set together (list UNCONFIRMED in statuses instead), got statuses ${JSON.stringify(options.statuses)} with includeUnconfirmed true`,
    );
  }
  const timeout = validTimeout(options.timeout ?? DEFAULT_RECONCILE_TIMEOUT, name('timeout'));
  const schedule = options.schedule ?? DEFAULT_RECONCILE_SCHEDULE;
  checkScheduleAgainstTimeout(schedule, timeout);
  return {
    schedule,
    orphans: parseOrphanMode(options.orphans, name('orphans')),
    failOnOrphans: validBoolean(options.failOnOrphans, name('failOnOrphans')),
    concurrency: validInteger(options.concurrency, name('concurrency'), {
      min: 1,
      max: MAX_CONCURRENCY,
      default: DEFAULT_CONCURRENCY,
    }),
    listRate: validRate(options.listRate, name('listRate')),
    scanSegments: validInteger(options.scanSegments, name('scanSegments'), {
      min: 1,
      max: MAX_SCAN_SEGMENTS,
      default: DEFAULT_SCAN_SEGMENTS,
    }),
    dryRun: validBoolean(options.dryRun, name('dryRun')),
    includeUnconfirmed,
    statuses,
    timeout,
    memorySize: validMemorySize(
      options.memorySize,
      name('memorySize'),
      DEFAULT_RECONCILE_MEMORY_SIZE,
    ),
    logRetention: options.logRetention,
    preventOverlap: validBoolean(options.preventOverlap ?? true, name('preventOverlap')),
    retryAttempts: validInteger(options.retryAttempts, name('retryAttempts'), {
      min: 0,
      max: 2,
      default: 0,
    }),
  };
}

/** What the reconcile function shares with the trigger and the construct. */
export interface ReconcileTarget {
  /** The pool to list. */
  readonly userPool: IUserPool;
  /** The table to fill. */
  readonly table: ITable;
  /** The table's partition key attribute. */
  readonly keyAttribute: string;
  /** The attribute allowlist; `undefined` copies all but `cognito:*`. */
  readonly userAttributes: readonly string[] | undefined;
  /** Minimum log level. */
  readonly logLevel: LogLevel;
  /** Log retention when the options set none. */
  readonly logRetention: RetentionDays;
}

/**
 * The reconcile function's statements besides its logs: `cognito-idp:ListUsers`
 * on the pool, and on the table `dynamodb:Scan`, plus `dynamodb:PutItem` and
 * the orphan mode's own action unless it is a dry run.
 */
function reconcileStatements(
  config: Pick<ValidScheduledReconcile, 'orphans' | 'dryRun'>,
  target: Pick<ReconcileTarget, 'userPool' | 'table'>,
): PolicyStatement[] {
  const tableActions = ['dynamodb:Scan'];
  if (!config.dryRun) {
    tableActions.push('dynamodb:PutItem');
    if (config.orphans === 'mark') tableActions.push('dynamodb:UpdateItem');
    if (config.orphans === 'delete') tableActions.push('dynamodb:DeleteItem');
  }
  return [
    new PolicyStatement({
      actions: ['cognito-idp:ListUsers'],
      resources: [target.userPool.userPoolArn],
    }),
    new PolicyStatement({ actions: tableActions, resources: [target.table.tableArn] }),
  ];
}

/**
 * Creates, under `scope`, the construct `Reconcile` holding the scheduled
 * reconcile function (`Function`), its own role, log group and policy (see
 * `createFunctionScaffold`), and the EventBridge rule that runs it (`Schedule`).
 *
 * The policy is a separate `AWS::IAM::Policy` that the function waits for;
 * nothing in it depends on the function, so granting on the pool whose
 * trigger is the other function creates no dependency cycle.
 */
export function createScheduledReconcile(
  scope: Construct,
  config: ValidScheduledReconcile,
  target: ReconcileTarget,
): NodejsFunction {
  const scaffold = createFunctionScaffold(scope, 'Reconcile', {
    purpose: 'scheduled reconcile that writes missing Cognito users to DynamoDB',
    logRetention: config.logRetention ?? target.logRetention,
    statements: reconcileStatements(config, target),
  });

  const fn = new NodejsFunction(scaffold.scope, 'Function', {
    ...bundledFunctionProps(reconcileEntry),
    description: 'Reconciles the DynamoDB table with the Cognito user pool, on a schedule',
    memorySize: config.memorySize,
    timeout: config.timeout,
    role: scaffold.role,
    logGroup: scaffold.logGroup,
    ...(config.preventOverlap ? { reservedConcurrentExecutions: 1 } : {}),
    retryAttempts: config.retryAttempts,
    maxEventAge: RECONCILE_MAX_EVENT_AGE,
    environment: reconcileEnvironment(config, target),
  });
  attachScaffold(fn, scaffold);

  new Rule(scaffold.scope, 'Schedule', {
    description: 'Runs the Cognito user pool to DynamoDB table reconcile',
    schedule: config.schedule,
    targets: [
      new LambdaFunction(fn, {
        retryAttempts: MAX_DELIVERY_ATTEMPTS,
        maxEventAge: RECONCILE_MAX_EVENT_AGE,
      }),
    ],
  });
  return fn;
}

function reconcileEnvironment(
  config: ValidScheduledReconcile,
  target: ReconcileTarget,
): Record<string, string> {
  return {
    USER_POOL_ID: target.userPool.userPoolId,
    TABLE_NAME: target.table.tableName,
    KEY_ATTRIBUTE: target.keyAttribute,
    ...(target.userAttributes ? { USER_ATTRIBUTES: target.userAttributes.join(',') } : {}),
    ...(config.statuses
      ? { USER_STATUSES: config.statuses.join(',') }
      : { INCLUDE_UNCONFIRMED: String(config.includeUnconfirmed) }),
    ORPHANS: config.orphans,
    FAIL_ON_ORPHANS: String(config.failOnOrphans),
    CONCURRENCY: String(config.concurrency),
    LIST_RATE: String(config.listRate),
    SCAN_SEGMENTS: String(config.scanSegments),
    DRY_RUN: String(config.dryRun),
    LOG_LEVEL: target.logLevel,
  };
}

function validBoolean(value: boolean | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

function validInteger(
  value: number | undefined,
  name: string,
  range: { readonly min: number; readonly max: number; readonly default: number },
): number {
  if (value === undefined) return range.default;
  if (Token.isUnresolved(value)) return value;
  return parseIntegerInRange(String(value), name, range);
}

function validRate(value: number | undefined, name: string): number {
  if (value === undefined) return DEFAULT_LIST_RATE;
  if (Token.isUnresolved(value)) return value;
  return parseRate(String(value), name, { max: MAX_LIST_RATE, default: DEFAULT_LIST_RATE });
}

function validStatuses(
  value: readonly string[] | undefined,
  name: string,
): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0) {
    throw new Error(
      `${name} must name at least one status (omit it for every status but UNCONFIRMED), got an empty list`,
    );
  }
  for (const status of value) {
    if (status.trim() === '' || status.includes(',')) {
      throw new Error(`${name} must hold user statuses, got an invalid entry "${status}"`);
    }
  }
  const filter = parseStatusList(value.join(','), name);
  return filter && 'only' in filter ? filter.only : undefined;
}

function validTimeout(timeout: Duration, name: string): Duration {
  const seconds = timeout.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds)) return timeout;
  if (!(seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) || !Number.isInteger(seconds)) {
    throw new Error(
      `${name} must be a whole number of seconds from 1 second to 15 minutes (Lambda's limit), got ${timeout.toHumanString()}`,
    );
  }
  return timeout;
}

const RATE_EXPRESSION = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = {
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86_400,
  days: 86_400,
};

/** A `rate(…)` schedule that fires more often than a run may last would pile runs up. */
function checkScheduleAgainstTimeout(schedule: Schedule, timeout: Duration): void {
  const match = RATE_EXPRESSION.exec(schedule.expressionString);
  const timeoutSeconds = timeout.toSeconds({ integral: false });
  if (!match || Token.isUnresolved(timeoutSeconds)) return;
  const intervalSeconds = Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? 0);
  if (intervalSeconds < timeoutSeconds) {
    throw new Error(
      `scheduledReconcile.schedule must not fire more often than a run may last (scheduledReconcile.timeout, ${timeout.toHumanString()}): shorten the timeout or run less often, got ${schedule.expressionString}`,
    );
  }
}
