import type { LogSink } from '../../shared/logger.js';
import { LOG_LEVELS, type LogLevel } from '../../shared/logger.js';
import type { ActivityEntry } from './apiTypes.js';

/** What is recorded; the log line fields the console keeps. */
export type ActivityInput = Omit<ActivityEntry, 'id'>;

/** A ring buffer of the most recent activity. */
export interface ActivityLog {
  /** Records an entry, dropping the oldest when full. */
  add(entry: ActivityInput): void;
  /** Records a JSON log line of the handler; lines without an `outcome` are ignored. */
  addLogLine(line: string): void;
  /** Entries, newest first. */
  recent(limit?: number): ActivityEntry[];
  /**
   * A logger sink that records every line and passes those at `level` or
   * above on to `next` (the console's capture must not change what is printed).
   */
  sink(level: LogLevel, next: LogSink): LogSink;
}

/** Default capacity of the ring buffer. */
export const DEFAULT_ACTIVITY_CAPACITY = 200;

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g;
// Cognito stores phone numbers in E.164 form (`+` and digits); a UUID never has a `+`.
const PHONE = /\+\d[\d\s().-]{5,}\d/g;

/** Masks e-mail addresses and phone numbers in a text. Pure. */
export function redact(text: string): string {
  return text.replaceAll(EMAIL, '[e-mail hidden]').replaceAll(PHONE, '[phone hidden]');
}

/**
 * Reads one JSON log line of the trigger into an entry: time, trigger source,
 * username, outcome and duration, with e-mail addresses and phone numbers
 * masked. Pure.
 *
 * @returns `undefined` for a line that is not JSON or has no `outcome`
 */
export function parseLogLine(line: string): ActivityInput | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null) return undefined;
  const record = fields as Record<string, unknown>;
  const text = (name: string): string | undefined =>
    typeof record[name] === 'string' ? (record[name] as string) : undefined;
  const outcome = text('outcome');
  if (outcome === undefined) return undefined;
  const username = text('username');
  const error = text('error');
  const duration = record.durationMs;
  return {
    time: text('timestamp') ?? new Date().toISOString(),
    source: text('triggerSource') ?? text('eventName') ?? text('service') ?? 'unknown',
    ...(username === undefined ? {} : { username: redact(username) }),
    outcome,
    ...(typeof duration === 'number' ? { durationMs: duration } : {}),
    message: redact(text('message') ?? ''),
    level: text('level') ?? 'info',
    ...(error === undefined ? {} : { error: redact(error) }),
  };
}

/** Creates an empty activity log holding at most `capacity` entries. */
export function createActivityLog(capacity = DEFAULT_ACTIVITY_CAPACITY): ActivityLog {
  const entries: ActivityEntry[] = [];
  let next = 1;
  const add = (entry: ActivityInput): void => {
    entries.push({
      ...entry,
      id: next++,
      ...(entry.username === undefined ? {} : { username: redact(entry.username) }),
      ...(entry.error === undefined ? {} : { error: redact(entry.error) }),
      message: redact(entry.message),
    });
    if (entries.length > capacity) entries.splice(0, entries.length - capacity);
  };
  return {
    add,
    addLogLine: (line) => {
      const entry = parseLogLine(line);
      if (entry) add(entry);
    },
    recent: (limit = capacity) => entries.slice(-limit).reverse(),
    sink: (level, nextSink) => {
      const threshold = LOG_LEVELS.indexOf(level);
      return (line) => {
        const entry = parseLogLine(line);
        if (entry) add(entry);
        const lineLevel = LOG_LEVELS.indexOf((entry?.level ?? levelOf(line)) as LogLevel);
        if (lineLevel >= threshold && level !== 'silent') nextSink(line);
      };
    },
  };
}

function levelOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { level?: unknown };
    return typeof parsed.level === 'string' ? parsed.level : 'info';
  } catch {
    return 'info';
  }
}
