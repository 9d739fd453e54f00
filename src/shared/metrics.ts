import { parseBoolean } from './parse.js';
import { defineSetting } from './settings.js';
/**
 * CloudWatch metrics in Embedded Metric Format (EMF): one JSON log line per
 * emission, which CloudWatch Logs turns into metrics without any API call or
 * permission beyond writing logs. Hand-written (about 1 KB bundled) to keep
 * the trigger's bundle small.
 */

/** Namespace of every metric this package emits. */
export const METRICS_NAMESPACE = 'CognitoUserSync';

/** Dimension every metric carries: the Lambda function's name. */
export const METRICS_DIMENSION = 'FunctionName';

/** Names of the metrics, shared by the functions and the construct's alarms and dashboard. */
export const METRIC = {
  /** Post Confirmation: rows written by this invocation (0 or 1). */
  rowsCreated: 'RowsCreated',
  /** Post Confirmation: rows found already present (0 or 1). */
  rowsAlreadyPresent: 'RowsAlreadyPresent',
  /** Post Confirmation: the write's answer was lost and the row is there, written by us or before (0 or 1). */
  rowsCreatedOrPresent: 'RowsCreatedOrPresent',
  /** Post Confirmation: writes that failed (0 or 1): the row is missing until reconcile heals it. */
  writeFailures: 'WriteFailures',
  /** Post Confirmation: attempts beyond the first. */
  writeRetries: 'WriteRetries',
  /** Reconcile: eligible users without a row (a lost write happened). */
  missingRowsFound: 'MissingRowsFound',
  /** Reconcile: rows of users no longer in the pool. */
  orphans: 'Orphans',
  /** Reconcile: writes that failed after their retries. */
  failedWrites: 'FailedWrites',
  /** Reconcile: whether the run converged (1) or not (0). */
  converged: 'Converged',
  /** Change signals: signals whose user nothing identifies (an alias that changed, no `sub`), 0 or 1. */
  unresolvedSignals: 'UnresolvedSignals',
  /** Every function: wall-clock duration of the invocation or run. */
  duration: 'Duration',
} as const;

/** A CloudWatch unit used here. */
export type MetricUnit = 'Count' | 'Milliseconds';

/** Emits metrics. */
export interface MetricsEmitter {
  /** Writes one EMF line holding every value (units default to `Count`, `Duration` to `Milliseconds`). */
  emit(values: Readonly<Record<string, number>>): void;
  /**
   * The members of the EMF document for `values` (`"_aws":{…},"FunctionName":…,"RowsCreated":1,…`,
   * JSON without the enclosing braces), for a log line to carry them: CloudWatch
   * extracts the metrics from any JSON log event whose root holds them, whatever
   * else it holds. `undefined` when there is nothing to emit. Absent on an emitter
   * that writes nothing.
   */
  members?(values: Readonly<Record<string, number>>): string | undefined;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Value of the `FunctionName` dimension. @default - `AWS_LAMBDA_FUNCTION_NAME`, else `local` */
  readonly functionName?: string;
  /** Receives each line without its newline. @default - writes to stdout */
  readonly sink?: (line: string) => void;
  /** Clock, for tests. @default - `Date.now` */
  readonly now?: () => number;
  /**
   * Whether to emit at all: each metric name is a billed custom metric.
   * @default - on, unless the `METRICS` variable is `off` (the construct sets it with `monitoring: false`)
   */
  readonly enabled?: boolean;
}

/**
 * The setting that turns a function's metric lines off (`METRICS=off`; the
 * construct sets it with `monitoring: false`).
 */
export const METRICS_SETTING = /* @__PURE__ */ defineSetting({
  key: 'metrics',
  env: 'METRICS',
  type: 'boolean',
  doc: "`off` turns the function's EMF metric lines off (the construct sets it with `monitoring: false`)",
  defaultText: 'on',
  families: ['postConfirmation', 'scheduledReconcile'],
  parse: (value, source) =>
    value === undefined || value.trim() === '' ? true : parseBoolean(value, source),
  format: (on) => (on ? undefined : 'off'),
});

/** An emitter that writes nothing (tests, the local stack, the command line). */
export const NO_METRICS: MetricsEmitter = { emit: () => {} };

/**
 * Builds an EMF emitter: `{"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":"CognitoUserSync",
 * "Dimensions":[["FunctionName"]],"Metrics":[…]}]},"FunctionName":"…","RowsCreated":1,…}`.
 */
export function createMetrics(options: MetricsOptions = {}): MetricsEmitter {
  const enabled =
    options.enabled ?? METRICS_SETTING.parse(process.env[METRICS_SETTING.env], METRICS_SETTING.env);
  if (!enabled) return NO_METRICS;
  const functionName = options.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const dimension = `${JSON.stringify(METRICS_DIMENSION)}:${JSON.stringify(functionName)}`;
  // A function emits the same few sets of names again and again: each set's
  // directive is serialized once per container, not once per invocation.
  const directives = new Map<string, string>();
  const directiveOf = (names: readonly string[]): string => {
    const key = names.join(',');
    let directive = directives.get(key);
    if (directive === undefined) {
      directive = JSON.stringify([
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [[METRICS_DIMENSION]],
          Metrics: names.map((name) => ({
            Name: name,
            Unit: name === METRIC.duration ? 'Milliseconds' : 'Count',
          })),
        },
      ]);
      directives.set(key, directive);
    }
    return directive;
  };
  const members = (values: Readonly<Record<string, number>>): string | undefined => {
    const names: string[] = [];
    let valueMembers = '';
    for (const name in values) {
      const value = values[name] as number;
      if (!Number.isFinite(value)) continue;
      names.push(name);
      valueMembers += `,${JSON.stringify(name)}:${value}`;
    }
    if (names.length === 0) return undefined;
    return `"_aws":{"Timestamp":${now()},"CloudWatchMetrics":${directiveOf(names)}},${dimension}${valueMembers}`;
  };
  return {
    emit(values) {
      const line = members(values);
      if (line !== undefined) sink(`{${line}}`);
    },
    members,
  };
}
