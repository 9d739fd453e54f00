import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { newUserRow } from '../src/domain/converge.js';
import { triggeredUserState } from '../src/domain/triggerEvent.js';

/** A Post Confirmation event as the benchmarks send it. */
export interface BenchEvent {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  triggerSource: 'PostConfirmation_ConfirmSignUp';
  callerContext: { awsSdkVersion: string; clientId: string };
  request: { userAttributes: Record<string, string> };
  response: Record<string, never>;
}

/** A real-shaped sign-up event for user `id`. */
export function benchEvent(id: string): BenchEvent & PostConfirmationTriggerEvent {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_bench',
    userName: id,
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'bench-client' },
    request: {
      userAttributes: {
        sub: id,
        email: `${id}@example.com`,
        email_verified: 'true',
        'cognito:user_status': 'CONFIRMED',
        given_name: 'Bench',
      },
    },
    response: {},
  };
}

/**
 * The floor's write for user `id`: the conditional put of the very row our
 * handler writes for {@link benchEvent}, built outside any handler.
 */
export function barePutOf(id: string, tableName: string): PutCommand {
  const event = benchEvent(id);
  return new PutCommand({
    TableName: tableName,
    Item: newUserRow(
      triggeredUserState({ ...event, userAttributes: event.request.userAttributes }),
      { keyAttribute: 'username' },
      { source: event.triggerSource, now: new Date() },
    ),
    ConditionExpression: 'attribute_not_exists(#key)',
    ExpressionAttributeNames: { '#key': 'username' },
  });
}
