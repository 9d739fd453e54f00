// Your own Post Confirmation trigger: your code, with the row written first.
// withUserSync reads the table and the row mapping from the variables the
// construct sets on this function (TABLE_NAME, KEY_ATTRIBUTE, ROW_MAPPING…),
// writes the confirmed user's row within its deadline, then runs your code.
// A row that cannot be written is logged and counted, and your code still
// runs (reconcile writes the row later).
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { withUserSync } from 'cognito-user-sync';

/**
 * What the app does on confirmation besides the row: here, one log line a
 * welcome-mail job could pick up (by `sub`, never the e-mail address).
 */
async function welcome(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> {
  console.log(
    JSON.stringify({
      message: 'welcome queued',
      sub: event.request.userAttributes.sub,
      triggerSource: event.triggerSource,
    }),
  );
  return event;
}

/** The function's handler (`handler` of the bundle NodejsFunction builds). */
export const handler = withUserSync(welcome);
