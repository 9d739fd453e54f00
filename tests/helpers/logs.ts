import { createLogger, type Logger } from '../../src/shared/logger.js';

/** A logger that keeps its JSON lines in memory, for assertions. */
export interface CapturedLogger {
  /** The logger to inject. */
  readonly logger: Logger;
  /** Raw lines written so far. */
  readonly lines: string[];
  /** The lines parsed as objects. */
  records(): Record<string, unknown>[];
}

/** Creates a debug-level logger whose lines are captured. */
export function captureLogs(): CapturedLogger {
  const lines: string[] = [];
  return {
    logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }),
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Values from the fixtures that must never appear in a log line. */
export const PII_VALUES = ['jane.doe@example.com', '@example.com', '+15555550100', 'Jane'];
