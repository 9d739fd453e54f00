import type { MetricsEmitter } from './metrics.js';

/** Values a log line may carry: identifiers, counts, outcomes. Never attribute values. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Where log lines go; defaults to `process.stdout`. */
export type LogSink = (line: string) => void;

/** Metric values a log line may carry (see {@link LoggerOptions.metrics}). */
export type LogMetrics = Readonly<Record<string, number>>;

/**
 * A structured logger writing one JSON object per line. Each method takes the
 * invocation's metric values too: a logger built with `metrics` writes them in
 * the same line (Embedded Metric Format); any other logger ignores them.
 */
export interface Logger {
  /** Writes a `debug` line. */
  debug(message: string, fields?: LogFields, metrics?: LogMetrics): void;
  /** Writes an `info` line. */
  info(message: string, fields?: LogFields, metrics?: LogMetrics): void;
  /** Writes a `warn` line. */
  warn(message: string, fields?: LogFields, metrics?: LogMetrics): void;
  /** Writes an `error` line. */
  error(message: string, fields?: LogFields, metrics?: LogMetrics): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level written. @default 'info' */
  readonly level?: LogLevel;
  /** Fields added to every line (e.g. `service`). @default - none */
  readonly base?: LogFields;
  /** Receives each line without its newline. @default - writes to stdout */
  readonly sink?: LogSink;
  /** Clock, for tests. @default - `new Date()` */
  readonly now?: () => Date;
  /**
   * Metrics the lines carry: a line given metric values holds the EMF members
   * as well, so one write to stdout is both the log line and the metrics. A
   * line below the level still emits its metrics, on a line of their own.
   * @default - none: metric values are ignored
   */
  readonly metrics?: MetricsEmitter;
}

const defaultSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Creates a JSON-lines logger. Fields are typed as scalars so that whole
 * attribute maps cannot be logged by accident; callers pass identifiers only.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const sink = options.sink ?? defaultSink;
  const now = options.now ?? (() => new Date());
  const metrics = options.metrics;
  // What every line shares is serialized once, when the logger is built.
  const base = options.base ?? {};
  const baseMembers = membersOf(JSON.stringify(base));
  const reserved = new Set(['level', 'message', 'timestamp', ...Object.keys(base)]);
  const collides = (fields: LogFields): boolean => {
    for (const name in fields) if (reserved.has(name)) return true;
    return false;
  };
  const write = (
    level: LogLevel,
    message: string,
    fields?: LogFields,
    values?: LogMetrics,
  ): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) {
      if (values !== undefined) metrics?.emit(values);
      return;
    }
    const timestamp = now().toISOString();
    // The line without its closing brace. A field named like a base member or a
    // reserved one overrides it, as in one object.
    const open =
      fields !== undefined && collides(fields)
        ? JSON.stringify({ level, message, timestamp, ...base, ...fields }).slice(0, -1)
        : `{"level":"${level}","message":${JSON.stringify(message)},"timestamp":"${timestamp}"${baseMembers}${
            fields === undefined ? '' : membersOf(JSON.stringify(fields))
          }`;
    const members = values === undefined ? undefined : metrics?.members?.(values);
    sink(members === undefined ? `${open}}` : `${open},${members}}`);
  };
  return {
    debug: (message, fields, values) => write('debug', message, fields, values),
    info: (message, fields, values) => write('info', message, fields, values),
    warn: (message, fields, values) => write('warn', message, fields, values),
    error: (message, fields, values) => write('error', message, fields, values),
  };
}

/** The members of a serialized JSON object, with a leading comma (`''` for `{}`). */
function membersOf(object: string): string {
  return object === '{}' ? '' : `,${object.slice(1, -1)}`;
}

/** Log levels, from the most to the least verbose. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];
