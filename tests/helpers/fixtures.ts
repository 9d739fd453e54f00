import { readFileSync } from 'node:fs';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';

/** A Post Confirmation event as the tests tweak it. */
export interface TestEvent {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  triggerSource: string;
  request: { userAttributes: Record<string, string>; clientMetadata?: Record<string, string> };
  response: Record<string, never>;
}

const signUp = readFileSync(
  new URL('../fixtures/postConfirmationSignUp.json', import.meta.url),
  'utf8',
);

/**
 * A fresh copy of a real-shaped `PostConfirmation_ConfirmSignUp` event, tweaked
 * by `patch`, typed as the handler takes it. A patch may break the shape on
 * purpose: the handler's run-time checks are what such a test exercises.
 */
export function signUpEvent(
  patch: (event: TestEvent) => void = () => {},
): PostConfirmationTriggerEvent {
  const event = JSON.parse(signUp) as TestEvent;
  patch(event);
  return event as unknown as PostConfirmationTriggerEvent;
}

/** A sign-up event for a given username/sub. */
export function signUpEventFor(
  userName: string,
  email = `${userName}@example.com`,
): PostConfirmationTriggerEvent {
  return signUpEvent((event) => {
    event.userName = userName;
    event.request.userAttributes.sub = userName;
    event.request.userAttributes.email = email;
    event.request.userAttributes['cognito:email_alias'] = email;
  });
}

/** A fake Lambda context with the given remaining time. */
export function fakeContext(remainingMs = 10_000): { getRemainingTimeInMillis(): number } {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}

/**
 * The row the default mapping writes for {@link signUpEvent}'s user (key
 * `username`, every attribute but `cognito:*`), written out literally.
 */
export function expectedSignUpRow(createdAt = '2026-11-28T10:00:00.000Z'): Record<string, unknown> {
  const sub = '5b6c2f1e-8a4d-4c1b-9e7f-0a1b2c3d4e5f';
  return {
    username: sub,
    sub,
    email: 'jane.doe@example.com',
    emailVerified: true,
    userPoolId: 'eu-west-1_AbCdEfGhI',
    source: 'PostConfirmation_ConfirmSignUp',
    createdAt,
    updatedAt: createdAt,
    enabled: true,
    status: 'CONFIRMED',
    attributes: {
      sub,
      email: 'jane.doe@example.com',
      email_verified: 'true',
      given_name: 'Jane',
      'custom:plan': 'pro',
    },
  };
}
