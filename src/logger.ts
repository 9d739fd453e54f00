import { LOG_LEVELS, type LogLevel } from './domain/config.js';

/** Values a log line may carry: identifiers, counts, outcomes. Never attribute values. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Where log lines go; defaults to `process.stdout`. */
export type LogSink = (line: string) => void;

/** A structured logger writing one JSON object per line. */
export interface Logger {
  /** Writes a `debug` line. */
  debug(message: string, fields?: LogFields): void;
  /** Writes an `info` line. */
  info(message: string, fields?: LogFields): void;
  /** Writes a `warn` line. */
  warn(message: string, fields?: LogFields): void;
  /** Writes an `error` line. */
  error(message: string, fields?: LogFields): void;
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
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    sink(
      JSON.stringify({
        level,
        message,
        timestamp: now().toISOString(),
        ...options.base,
        ...fields,
      }),
    );
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
