/** Trigger sources on which the handler writes the user's row if it is missing. */
export const WRITING_TRIGGER_SOURCES: readonly string[] = [
  'PostConfirmation_ConfirmSignUp',
  'PostConfirmation_ConfirmForgotPassword',
];

/**
 * What the handler does for an event:
 * - `create-if-absent`: write the row unless a row with that key exists;
 * - `skip`: write nothing.
 */
export type TriggerAction = 'create-if-absent' | 'skip';

/**
 * Decides what to do for a trigger source. Both confirmation sources only ever
 * create a missing row: a sign-up creates it, and a password reset heals a user
 * whose first write was lost, without touching a row that exists.
 */
export function decideAction(triggerSource: string): TriggerAction {
  return WRITING_TRIGGER_SOURCES.includes(triggerSource) ? 'create-if-absent' : 'skip';
}
