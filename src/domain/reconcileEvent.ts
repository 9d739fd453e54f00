/**
 * The event of the scheduled reconcile's continuation schedule: continue a
 * run in progress, never start one. Any other event starts a run when none is
 * in progress.
 */
export const CONTINUE_EVENT = { action: 'continue' } as const;

/** Whether an event is {@link CONTINUE_EVENT}. Pure. */
export function isContinueEvent(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as { action?: unknown }).action === CONTINUE_EVENT.action
  );
}
