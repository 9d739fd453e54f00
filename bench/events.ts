import type { PostConfirmationTriggerEvent } from 'aws-lambda';

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
