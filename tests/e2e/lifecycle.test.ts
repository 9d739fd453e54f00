import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  clientsFor,
  type StackClients,
  signIn,
  signUp,
  signUpAndConfirm,
  startTestStack,
  TEST_PASSWORD,
} from '../../harness/localStack.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

/** The bound: a change reaches the table within 2 seconds. */
const WITHIN_MS = 2000;

// Each test makes one Cognito call and then polls the row until it shows the
// change, failing if it does not within 2 s: the promise of the feature.
describe('Local stack: lifecycle (sign-ins and change signals reach the table)', () => {
  let stack: LocalStack;
  let clients: StackClients;
  let counter = 0;
  const newEmail = (): string => `life-${++counter}-${Date.now()}@example.com`;
  const rowOf = async (username: string) =>
    (
      await clients.dynamo.send(
        new GetCommand({ TableName: stack.tableName, Key: { username }, ConsistentRead: true }),
      )
    ).Item;
  const waitForRow = async (
    username: string,
    check: (row: Record<string, unknown> | undefined) => boolean,
  ): Promise<Record<string, unknown> | undefined> => {
    const started = Date.now();
    for (;;) {
      const row = await rowOf(username);
      if (check(row)) return row;
      if (Date.now() - started > WITHIN_MS) {
        assert.fail(`the row did not change within ${WITHIN_MS} ms: ${JSON.stringify(row)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  /** Gives the row an app-owned field, which no path may touch. */
  const addAppField = (username: string) =>
    clients.dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { username },
        UpdateExpression: 'SET #plan = :plan',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':plan': 'pro' },
      }),
    );
  const accessToken = async (email: string): Promise<string> => {
    const { AuthenticationResult } = await clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
      }),
    );
    return AuthenticationResult?.AccessToken ?? assert.fail('no access token');
  };
  const confirmedUser = async (): Promise<{ email: string; sub: string }> => {
    const email = newEmail();
    const sub = await signUpAndConfirm(stack, clients, email);
    await waitForRow(sub, (row) => row !== undefined);
    await addAppField(sub);
    return { email, sub };
  };

  before(async () => {
    stack = await startTestStack();
    clients = clientsFor(stack);
  });
  after(async () => {
    clients.destroy();
    await stack.stop();
  });

  it('sets lastSignInAt on a sign-in, keeping app-owned fields', async () => {
    const { email, sub } = await confirmedUser();
    assert.equal((await rowOf(sub))?.lastSignInAt, undefined);
    assert.equal(await signIn(stack, clients, email), true);
    const row = await waitForRow(sub, (r) => typeof r?.lastSignInAt === 'string');
    assert.equal(row?.plan, 'pro');
    assert.equal(row?.enabled, true);
    assert.equal(row?.status, 'CONFIRMED');
  });

  it('creates the missing row of a user at sign-in (a lost first write heals)', async () => {
    const email = newEmail();
    const sub = await signUpAndConfirm(stack, clients, email);
    await waitForRow(sub, (row) => row !== undefined);
    await clients.dynamo.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { username: sub } }),
    );
    assert.equal(await signIn(stack, clients, email), true);
    const row = await waitForRow(sub, (r) => r !== undefined);
    assert.equal(row?.source, 'PostAuthentication_Authentication');
    assert.equal(row?.sub, sub);
    assert.equal(typeof row?.lastSignInAt, 'string');
  });

  it('admin-update-user-attributes changes the row within 2 s', async () => {
    const { sub } = await confirmedUser();
    await clients.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: stack.userPoolId,
        Username: sub,
        UserAttributes: [{ Name: 'given_name', Value: 'Ada' }],
      }),
    );
    const row = await waitForRow(
      sub,
      (r) => (r?.attributes as Record<string, string> | undefined)?.given_name === 'Ada',
    );
    assert.equal(row?.plan, 'pro');
    assert.equal(typeof row?.userLastModifiedAt, 'string');
  });

  it('an admin call naming the user by the e-mail address it changes reaches the row', async () => {
    const { email, sub } = await confirmedUser();
    const changed = newEmail();
    await clients.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: stack.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: changed }],
      }),
    );
    const row = await waitForRow(sub, (r) => r?.email === changed);
    assert.equal(row?.deletedAt, undefined);
    assert.equal(row?.plan, 'pro');
    // Named by the new address, the next call reaches the row as well.
    await clients.cognito.send(
      new AdminDisableUserCommand({ UserPoolId: stack.userPoolId, Username: changed }),
    );
    await waitForRow(sub, (r) => r?.enabled === false);
  });

  it('a user who updates their own attributes with their access token changes the row', async () => {
    const { email, sub } = await confirmedUser();
    const token = await accessToken(email);
    await clients.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: 'family_name', Value: 'Lovelace' }],
      }),
    );
    const row = await waitForRow(
      sub,
      (r) => (r?.attributes as Record<string, string> | undefined)?.family_name === 'Lovelace',
    );
    assert.equal(row?.plan, 'pro');
  });

  it('verify-user-attribute sets emailVerified within 2 s', async () => {
    const { email, sub } = await confirmedUser();
    const token = await accessToken(email);
    await clients.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }),
    );
    await clients.cognito.send(
      new VerifyUserAttributeCommand({
        AccessToken: token,
        AttributeName: 'email',
        Code: stack.confirmationCode,
      }),
    );
    const row = await waitForRow(sub, (r) => r?.emailVerified === true);
    assert.equal(row?.plan, 'pro');
  });

  it('admin-disable-user sets enabled false, admin-enable-user sets it back', async () => {
    const { sub } = await confirmedUser();
    await clients.cognito.send(
      new AdminDisableUserCommand({ UserPoolId: stack.userPoolId, Username: sub }),
    );
    await waitForRow(sub, (r) => r?.enabled === false);
    await clients.cognito.send(
      new AdminEnableUserCommand({ UserPoolId: stack.userPoolId, Username: sub }),
    );
    const row = await waitForRow(sub, (r) => r?.enabled === true);
    assert.equal(row?.plan, 'pro');
  });

  /** Cognito's answer to a disabled user's sign-in. */
  const isUserDisabled = (error: unknown): boolean =>
    error instanceof Error &&
    error.name === 'NotAuthorizedException' &&
    error.message === 'User is disabled.';

  it('refuses every sign-in of a disabled user as Cognito does, and the row stays disabled', async () => {
    const { email, sub } = await confirmedUser();
    const { AuthenticationResult } = await clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
      }),
    );
    const refreshToken = AuthenticationResult?.RefreshToken ?? assert.fail('no refresh token');
    const signedIn = await waitForRow(sub, (r) => typeof r?.lastSignInAt === 'string');
    await clients.cognito.send(
      new AdminDisableUserCommand({ UserPoolId: stack.userPoolId, Username: sub }),
    );
    await waitForRow(sub, (r) => r?.enabled === false);
    await assert.rejects(
      clients.cognito.send(
        new InitiateAuthCommand({
          ClientId: stack.userPoolClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
        }),
      ),
      isUserDisabled,
    );
    await assert.rejects(
      clients.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: stack.userPoolId,
          ClientId: stack.userPoolClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
        }),
      ),
      isUserDisabled,
    );
    await assert.rejects(
      clients.cognito.send(
        new InitiateAuthCommand({
          ClientId: stack.userPoolClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      ),
      isUserDisabled,
    );
    const row = await rowOf(sub);
    assert.equal(row?.enabled, false, 'no sign-in refresh re-enabled the row');
    assert.equal(row?.lastSignInAt, signedIn?.lastSignInAt, 'no sign-in was recorded');
  });

  it('refuses the new-password challenge of a user disabled after the first step', async () => {
    const email = newEmail();
    await clients.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.userPoolId,
        Username: email,
        TemporaryPassword: TEST_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
      }),
    );
    const { ChallengeName, Session } = await clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
      }),
    );
    assert.equal(ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await clients.cognito.send(
      new AdminDisableUserCommand({ UserPoolId: stack.userPoolId, Username: email }),
    );
    await assert.rejects(
      clients.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: stack.userPoolClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: `${TEST_PASSWORD}2` },
        }),
      ),
      isUserDisabled,
    );
  });

  it('admin-delete-user marks the row deleted within 2 s, keeping it', async () => {
    const { sub } = await confirmedUser();
    await clients.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: stack.userPoolId, Username: sub }),
    );
    const row = await waitForRow(sub, (r) => typeof r?.deletedAt === 'string');
    assert.equal(row?.plan, 'pro');
    assert.equal(row?.sub, sub);
  });

  it('a user who deletes themselves (DeleteUser with their token) gets the row marked', async () => {
    const { email, sub } = await confirmedUser();
    const token = await accessToken(email);
    await clients.cognito.send(new DeleteUserCommand({ AccessToken: token }));
    const row = await waitForRow(sub, (r) => typeof r?.deletedAt === 'string');
    assert.equal(row?.plan, 'pro');
  });

  it('admin-confirm-sign-up and admin-create-user give the user a row', async () => {
    const email = newEmail();
    const sub = await signUp(stack, clients, email);
    await clients.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: stack.userPoolId, Username: email }),
    );
    const confirmed = await waitForRow(sub, (r) => r?.status === 'CONFIRMED');
    assert.equal(confirmed?.enabled, true);

    const created = newEmail();
    const { User } = await clients.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.userPoolId,
        Username: created,
        UserAttributes: [{ Name: 'email', Value: created }],
        MessageAction: 'SUPPRESS',
      }),
    );
    const username = User?.Username ?? assert.fail('AdminCreateUser returned no username');
    const row = await waitForRow(username, (r) => r !== undefined);
    assert.equal(row?.source, 'converge');
    assert.equal(row?.status, 'FORCE_CHANGE_PASSWORD');
  });
});
