import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  BillingMode,
  type ITable,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type DeletedRowPolicy, deletedRowSettingsOf } from '../domain/deletedRows.js';
import { CONTINUE_EVENT } from '../domain/reconcileEvent.js';
import {
  type ReconcileSettings,
  RUN_SETTINGS,
  type RunSettingKey,
  SCHEDULED_RECONCILE_SETTINGS,
} from '../domain/settings/index.js';
import { CHECKPOINT_TTL_ATTRIBUTE } from '../domain/stateTable.js';
import type { LogLevel } from '../shared/logger.js';
import { parseIntegerInRange } from '../shared/parse.js';
import { readSettings, renderEnvironment } from '../shared/settings.js';
import {
  attachScaffold,
  createFunctionScaffold,
  prebuiltFunctionProps,
  validMemorySize,
} from './functionScaffold.js';
import {
  DEFAULT_RECONCILE_MEMORY_SIZE,
  DEFAULT_RECONCILE_SCHEDULE,
  DEFAULT_RECONCILE_TIMEOUT,
  RECONCILE_MAX_EVENT_AGE,
  type ScheduledReconcileOptions,
} from './ScheduledReconcileOptions.js';

/** Lambda's longest timeout, in seconds. */
const MAX_TIMEOUT_SECONDS = 15 * 60;

/** Most retry attempts EventBridge accepts: delivery is then bounded by the event's age. */
const MAX_DELIVERY_ATTEMPTS = 185;

/** {@link ScheduledReconcileOptions}, checked and with every default applied. */
export interface ValidScheduledReconcile {
  /** When the reconcile runs. */
  readonly schedule: Schedule;
  /** The run settings (orphans, concurrency, list rate…), parsed by the shared schema. */
  readonly settings: Pick<ReconcileSettings, RunSettingKey>;
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
  /** Whether a run continues across invocations (state table + continuation schedule). */
  readonly resumable: boolean;
}

/**
 * Checks the `scheduledReconcile` prop and applies its defaults. The run
 * settings are parsed by the same schema as the command line and the
 * function's environment (`RECONCILE_SETTINGS`), so all three accept the
 * same values and apply the same defaults.
 *
 * @throws Error naming the option (`scheduledReconcile.<name>`) and its bad value
 */
export function validateScheduledReconcile(
  options: ScheduledReconcileOptions,
): ValidScheduledReconcile {
  const name = (option: keyof ScheduledReconcileOptions) => `scheduledReconcile.${option}`;
  const settings = validRunSettings(options);
  if (settings.statuses && settings.includeUnconfirmed) {
    throw new Error(
      `scheduledReconcile.statuses and scheduledReconcile.includeUnconfirmed cannot be set together (list UNCONFIRMED in statuses instead), got statuses ${JSON.stringify(options.statuses)} with includeUnconfirmed true`,
    );
  }
  const timeout = validTimeout(options.timeout ?? DEFAULT_RECONCILE_TIMEOUT, name('timeout'));
  const resumable = validBoolean(options.resumable ?? true, name('resumable'));
  const schedule = options.schedule ?? DEFAULT_RECONCILE_SCHEDULE;
  checkScheduleAgainstTimeout(schedule, timeout);
  return {
    schedule,
    settings,
    timeout,
    memorySize: validMemorySize(
      options.memorySize,
      name('memorySize'),
      DEFAULT_RECONCILE_MEMORY_SIZE,
    ),
    logRetention: options.logRetention,
    preventOverlap: validBoolean(options.preventOverlap ?? !resumable, name('preventOverlap')),
    retryAttempts: validRetryAttempts(options.retryAttempts, name('retryAttempts')),
    resumable,
  };
}

/**
 * Each run setting of the options, checked as the command line would check
 * it. A token passes through unchecked: its value is known at deploy time only.
 */
function validRunSettings(
  options: ScheduledReconcileOptions,
): Pick<ReconcileSettings, RunSettingKey> {
  const given = new Map<string, unknown>(Object.entries(options));
  const isToken = (value: unknown) => value !== undefined && Token.isUnresolved(value);
  const { values } = readSettings(RUN_SETTINGS, (setting) => {
    const name = `scheduledReconcile.${setting.key}`;
    const value = given.get(setting.key);
    return { value: isToken(value) ? undefined : optionText(value, setting.type, name), name };
  });
  const tokens = Object.fromEntries(
    RUN_SETTINGS.flatMap((setting) => {
      const value = given.get(setting.key);
      return isToken(value) ? [[setting.key, value]] : [];
    }),
  );
  return { ...values, ...tokens };
}

/** An option's value as the text a setting parses, after the checks text cannot express. */
function optionText(value: unknown, type: 'string' | 'boolean', name: string): string | undefined {
  if (value === undefined) return undefined;
  if (type === 'boolean') return String(validBoolean(value, name));
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new Error(
        `${name} must name at least one status (omit it for every status but UNCONFIRMED), got an empty list`,
      );
    }
    for (const entry of value) {
      if (typeof entry !== 'string' || entry.trim() === '' || entry.includes(',')) {
        throw new Error(`${name} must hold user statuses, got an invalid entry "${entry}"`);
      }
    }
    return value.join(',');
  }
  return String(value);
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
  /** Erasure and retention of marked rows. */
  readonly deletedRows: DeletedRowPolicy;
  /** The row mapping document as JSON (`ROW_MAPPING`); `undefined` for today's row. */
  readonly rowMapping?: string | undefined;
  /**
   * Whether the row mapping keeps the users' groups (`fields.groups`): the
   * functions then get the group calls they need on the pool.
   * @default false
   */
  readonly groups?: boolean | undefined;
}

/**
 * The reconcile function's statements besides its logs: `cognito-idp:ListUsers`
 * on the pool (and `cognito-idp:AdminGetUser` when orphans are marked or
 * deleted: the second look at a row without `createdAt`; `cognito-idp:ListGroups`
 * and `cognito-idp:ListUsersInGroup` when the rows keep groups), and on the table
 * `dynamodb:DescribeTable` (a run starts by reading the table's key schema),
 * `dynamodb:BatchGetItem` and `dynamodb:Scan`, plus `dynamodb:PutItem` and the
 * orphan mode's own action unless it is a dry run.
 */
function reconcileStatements(
  config: Pick<ReconcileSettings, 'orphans' | 'dryRun' | 'update'>,
  target: Pick<ReconcileTarget, 'userPool' | 'table' | 'groups'>,
  stateTable: ITable | undefined,
): PolicyStatement[] {
  const tableActions = ['dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:Scan'];
  if (!config.dryRun) {
    tableActions.push('dynamodb:PutItem');
    if (config.orphans === 'mark' || config.update) tableActions.push('dynamodb:UpdateItem');
    if (config.orphans === 'delete') tableActions.push('dynamodb:DeleteItem');
  }
  return [
    new PolicyStatement({
      actions: [
        ...(config.orphans === 'report'
          ? ['cognito-idp:ListUsers']
          : ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers']),
        // Every user's groups, group by group, when the rows keep them.
        ...(target.groups ? ['cognito-idp:ListGroups', 'cognito-idp:ListUsersInGroup'] : []),
      ],
      resources: [target.userPool.userPoolArn],
    }),
    new PolicyStatement({ actions: tableActions, resources: [target.table.tableArn] }),
    ...(stateTable
      ? [new PolicyStatement({ actions: STATE_TABLE_ACTIONS, resources: [stateTable.tableArn] })]
      : []),
  ];
}

/** What the function does in its state table (see `checkpointStore`). */
const STATE_TABLE_ACTIONS = [
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

/** How often the continuation schedule looks for a run to continue. */
const CONTINUE_EVERY = Duration.minutes(1);

/**
 * The state table of a run that needs several invocations: one item per
 * pool and table (plus segments of fingerprints), expiring on its own
 * (`expiresAt`) when a run is abandoned. Transient, so destroyed with the stack.
 */
function createStateTable(scope: Construct): Table {
  return new Table(scope, 'ReconcileState', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: CHECKPOINT_TTL_ATTRIBUTE,
    removalPolicy: RemovalPolicy.DESTROY,
  });
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
): ScheduledReconcileResources {
  const stateTable = config.resumable ? createStateTable(scope) : undefined;
  const scaffold = createFunctionScaffold(scope, 'Reconcile', {
    purpose: 'scheduled reconcile that writes missing Cognito users to DynamoDB',
    logRetention: config.logRetention ?? target.logRetention,
    statements: reconcileStatements(config.settings, target, stateTable),
  });

  const fn = new LambdaFunction(scaffold.scope, 'Function', {
    ...prebuiltFunctionProps('scheduled-reconcile'),
    description: 'Reconciles the DynamoDB table with the Cognito user pool, on a schedule',
    memorySize: config.memorySize,
    timeout: config.timeout,
    role: scaffold.role,
    logGroup: scaffold.logGroup,
    ...(config.preventOverlap ? { reservedConcurrentExecutions: 1 } : {}),
    retryAttempts: config.retryAttempts,
    maxEventAge: RECONCILE_MAX_EVENT_AGE,
    environment: reconcileEnvironment(config, target, stateTable?.tableName),
  });
  attachScaffold(fn, scaffold);

  new Rule(scaffold.scope, 'Schedule', {
    description: 'Runs the Cognito user pool to DynamoDB table reconcile',
    schedule: config.schedule,
    targets: [
      new LambdaTarget(fn, {
        retryAttempts: MAX_DELIVERY_ATTEMPTS,
        maxEventAge: RECONCILE_MAX_EVENT_AGE,
      }),
    ],
  });
  if (stateTable) {
    new Rule(scaffold.scope, 'Continue', {
      description: 'Continues a Cognito user pool to DynamoDB table reconcile that needs more time',
      schedule: Schedule.rate(CONTINUE_EVERY),
      targets: [
        new LambdaTarget(fn, {
          event: RuleTargetInput.fromObject(CONTINUE_EVENT),
          retryAttempts: 0,
          maxEventAge: CONTINUE_EVERY,
        }),
      ],
    });
  }
  return { function: fn, ...(stateTable ? { stateTable } : {}) };
}

/** What {@link createScheduledReconcile} made. */
export interface ScheduledReconcileResources {
  /** The function. */
  readonly function: LambdaFunction;
  /** The state table of runs that need several invocations (`resumable`). */
  readonly stateTable?: Table;
}

function reconcileEnvironment(
  config: ValidScheduledReconcile,
  target: ReconcileTarget,
  stateTableName: string | undefined,
): Record<string, string> {
  return renderEnvironment(SCHEDULED_RECONCILE_SETTINGS, {
    userPoolId: target.userPool.userPoolId,
    tableName: target.table.tableName,
    keyAttribute: target.keyAttribute,
    userAttributes: target.userAttributes,
    ...config.settings,
    ...deletedRowSettingsOf(target.deletedRows),
    logLevel: target.logLevel,
    stateTableName,
    rowMapping: target.rowMapping,
  });
}

function validRetryAttempts(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (Token.isUnresolved(value)) return value;
  return parseIntegerInRange(String(value), name, { min: 0, max: 2, default: 0 });
}

function validBoolean(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
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
