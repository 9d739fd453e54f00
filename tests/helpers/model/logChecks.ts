// The log rules of the model-based test: no personal data, no invocation past its deadline.
import { DEFAULT_DEADLINE_MS } from '../../../src/shared/deadline.js';

/** Deadlines of the functions, by the start of their log messages. */
const DEADLINES: readonly [prefix: string, ms: number][] = [
  // The triggers' own deadline, plus the abort grace and a scheduling margin.
  ['post confirmation', DEFAULT_DEADLINE_MS + 500],
  ['post authentication', DEFAULT_DEADLINE_MS + 500],
  // The change-signal function's Lambda timeout (CHANGE_SIGNAL_TIMEOUT in src/cdk/lifecycle.ts).
  ['change signal', 30_000],
];

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/;
const PHONE = /\+\d[\d\s().-]{5,}\d/;

/** Log lines with an e-mail address or phone number, and invocations past their deadline. */
export function checkLogs(lines: readonly string[], outputs: readonly string[]): string[] {
  const problems: string[] = [];
  for (const text of [...lines, ...outputs.flatMap((output) => output.split('\n'))]) {
    if (EMAIL.test(text) || PHONE.test(text)) problems.push(`personal data in a log line: ${text}`);
  }
  for (const line of lines) {
    let record: { message?: unknown; durationMs?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      problems.push(`a log line that is not JSON: ${line}`);
      continue;
    }
    if (typeof record.durationMs !== 'number') continue;
    const message = String(record.message);
    const deadline = DEADLINES.find(([prefix]) => message.startsWith(prefix))?.[1];
    if (deadline === undefined) problems.push(`a log line of an unknown function: ${line}`);
    else if (record.durationMs > deadline) {
      problems.push(
        `an invocation ran ${record.durationMs} ms, past its ${deadline} ms deadline: ${line}`,
      );
    }
  }
  return problems;
}
