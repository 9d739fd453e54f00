/** Outcomes of a failed invocation. */
const FAILED_OUTCOMES: readonly string[] = ['failed', 'rejected'];

/**
 * Outcomes that wrote nothing for a reason worth a look: the row under the
 * username belongs to another user (`username-reused`), or it kept changing
 * under the write (`conflict`).
 */
const WARNING_OUTCOMES: readonly string[] = ['username-reused', 'conflict'];

/** `good`, `warn` or `bad`: the colour of an activity line, from its level and outcome. Pure. */
export function outcomeTone(entry: { readonly level: string; readonly outcome: string }): string {
  if (entry.level === 'error' || FAILED_OUTCOMES.includes(entry.outcome)) return 'bad';
  if (entry.level === 'warn' || WARNING_OUTCOMES.includes(entry.outcome)) return 'warn';
  return 'good';
}
