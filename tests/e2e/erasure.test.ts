import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminDeleteUserCommand,
  AdminUpdateUserAttributesCommand,
  DeleteUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  clientsFor,
  type StackClients,
  signIn,
  signUpAndConfirm,
  startTestStack,
  TEST_PASSWORD,
} from '../../harness/localStack.js';
import { markRowDeleted } from '../../src/aws/store/markRowDeleted.js';
import { type DeletedRowPolicy, expiryOf } from '../../src/domain/deletedRows.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

const WITHIN_MS = 5000;
const PHONE = '+15550100';
const RETENTION: DeletedRowPolicy = {
  retainPersonalData: false,
  retentionDays: 30,
  timeToLiveAttribute: 'expiresAt',
};

type Row = Record<string, unknown>;

/** What each test needs of a running stack. */
function harness(policy: DeletedRowPolicy) {
  const h = {
    stack: undefined as unknown as LocalStack,
    clients: undefined as unknown as StackClients,
    counter: 0,
  };
  before(async () => {
    h.stack = await startTestStack({ deletedRows: policy });
    h.clients = clientsFor(h.stack);
  });
  after(async () => {
    h.clients?.destroy();
    await h.stack?.stop();
  });
  const rowOf = async (key: string): Promise<Row | undefined> =>
    (
      await h.clients.dynamo.send(
        new GetCommand({
          TableName: h.stack.tableName,
          Key: { username: key },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const waitForRow = async (key: string, check: (row: Row | undefined) => boolean) => {
    const started = Date.now();
    for (;;) {
      const row = await rowOf(key);
      if (check(row)) return row as Row;
      if (Date.now() - started > WITHIN_MS) {
        assert.fail(`the row did not change within ${WITHIN_MS} ms: ${JSON.stringify(row)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  /** A confirmed user with a phone number and an app-owned field on their row. */
  const personWithRow = async (): Promise<{ email: string; sub: string }> => {
    const email = `erase-${++h.counter}-${Date.now()}@example.com`;
    const sub = await signUpAndConfirm(h.stack, h.clients, email);
    await h.clients.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: h.stack.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'phone_number', Value: PHONE }],
      }),
    );
    await waitForRow(sub, (row) => {
      const attributes = row?.attributes as Record<string, string> | undefined;
      return attributes?.phone_number === PHONE;
    });
    assert.equal(await signIn(h.stack, h.clients, email), true);
    await waitForRow(sub, (row) => typeof row?.lastSignInAt === 'string');
    await h.clients.dynamo.send(
      new UpdateCommand({
        TableName: h.stack.tableName,
        Key: { username: sub },
        UpdateExpression: 'SET #plan = :plan',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':plan': 'pro' },
      }),
    );
    return { email, sub };
  };
  const accessToken = async (email: string): Promise<string> => {
    const { AuthenticationResult } = await h.clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: h.stack.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: TEST_PASSWORD },
      }),
    );
    return AuthenticationResult?.AccessToken ?? assert.fail('no access token');
  };
  return { h, rowOf, waitForRow, personWithRow, accessToken };
}

/** A marked row without personal data: key, sub, lifecycle and app fields only. */
function assertErased(row: Row, sub: string, expiry: 'with-expiry' | 'without-expiry'): void {
  for (const field of ['email', 'emailVerified', 'attributes', 'lastSignInAt']) {
    assert.equal(row[field], undefined, `${field} is erased`);
  }
  assert.doesNotMatch(JSON.stringify(row), /@example\.com|\+1555/);
  assert.equal(row.sub, sub);
  assert.equal(row.plan, 'pro');
  assert.equal(typeof row.createdAt, 'string');
  assert.equal(row.updatedAt, row.deletedAt);
  if (expiry === 'with-expiry') {
    assert.equal(row.expiresAt, expiryOf(new Date(String(row.deletedAt)), 30));
  } else {
    assert.equal(row.expiresAt, undefined);
  }
}

describe('Local stack: a deleted user’s personal data leaves the table (30-day retention)', () => {
  const { h, waitForRow, personWithRow, accessToken } = harness(RETENTION);

  it('a user who deletes themselves (DeleteUser) leaves a row without personal data, expiring in 30 days', async () => {
    const { email, sub } = await personWithRow();
    const token = await accessToken(email);
    await h.clients.cognito.send(new DeleteUserCommand({ AccessToken: token }));

    const row = await waitForRow(sub, (r) => typeof r?.deletedAt === 'string');
    assertErased(row, sub, 'with-expiry');
  });

  it('an admin deletion (AdminDeleteUser) leaves a row without personal data, expiring in 30 days', async () => {
    const { sub } = await personWithRow();
    await h.clients.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: h.stack.userPoolId, Username: sub }),
    );

    const row = await waitForRow(sub, (r) => typeof r?.deletedAt === 'string');
    assertErased(row, sub, 'with-expiry');
  });

  it('an orphan marked by the console’s reconcile loses its personal data and gets the expiry', async () => {
    const key = 'a0a0a0a0-0000-4000-8000-000000000001';
    await h.clients.dynamo.send(
      new PutCommand({
        TableName: h.stack.tableName,
        Item: {
          username: key,
          sub: key,
          email: 'orphan@example.com',
          emailVerified: true,
          attributes: { sub: key, email: 'orphan@example.com', phone_number: PHONE },
          lastSignInAt: '2026-01-02T00:00:00.000Z',
          createdAt: '2026-01-01T00:00:00.000Z',
          source: 'PostConfirmation_ConfirmSignUp',
          plan: 'pro',
        },
      }),
    );
    const api = new URL('api/reconcile', h.stack.consoleUrl);
    const started = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dryRun: false, orphans: 'mark', noGrace: true }),
    });
    assert.equal(started.status, 202);

    const row = await waitForRow(key, (r) => typeof r?.deletedAt === 'string');
    assertErased(row, key, 'with-expiry');
  });

  it('a restore after marking writes the personal data again and removes the expiry', async () => {
    const { email, sub } = await personWithRow();
    // The same user in the pool with a marked row: as after a mistaken deletion
    // undone by an import under the same sub (cognito-local cannot import a sub).
    const policy = RETENTION;
    await markRowDeleted(
      { client: h.clients.dynamo, tableName: h.stack.tableName, keyAttribute: 'username' },
      sub,
      { deletedAt: new Date(), sub: { equals: sub }, policy },
    );
    assertErased(await waitForRow(sub, (r) => r?.deletedAt !== undefined), sub, 'with-expiry');

    // Any change signal converges the user: the marked row is restored.
    await h.clients.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: h.stack.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'given_name', Value: 'Back' }],
      }),
    );
    const row = await waitForRow(sub, (r) => r?.deletedAt === undefined);
    assert.equal(row.expiresAt, undefined);
    assert.equal(row.email, email);
    assert.equal((row.attributes as Record<string, string>).phone_number, PHONE);
    assert.equal((row.attributes as Record<string, string>).given_name, 'Back');
    assert.equal(row.plan, 'pro');
  });

  it('a sign-in restores a marked row the same way (Post Authentication)', async () => {
    const { email, sub } = await personWithRow();
    await markRowDeleted(
      { client: h.clients.dynamo, tableName: h.stack.tableName, keyAttribute: 'username' },
      sub,
      { deletedAt: new Date(), sub: { equals: sub }, policy: RETENTION },
    );
    assert.equal(
      typeof (await waitForRow(sub, (r) => r?.deletedAt !== undefined)).expiresAt,
      'number',
    );
    assert.equal(await signIn(h.stack, h.clients, email), true);

    const row = await waitForRow(sub, (r) => r?.deletedAt === undefined);
    assert.equal(row.expiresAt, undefined);
    assert.equal(row.email, email);
    assert.equal(typeof row.lastSignInAt, 'string');
  });
});

describe('Local stack: the legal hold keeps a deleted user’s personal data', () => {
  const { h, waitForRow, personWithRow } = harness({
    retainPersonalData: true,
    retentionDays: undefined,
    timeToLiveAttribute: undefined,
  });

  it('an admin deletion marks the row and keeps every field, with no expiry', async () => {
    const { email, sub } = await personWithRow();
    await h.clients.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: h.stack.userPoolId, Username: sub }),
    );

    const row = await waitForRow(sub, (r) => typeof r?.deletedAt === 'string');
    assert.equal(row.email, email);
    assert.equal((row.attributes as Record<string, string>).phone_number, PHONE);
    assert.equal(typeof row.lastSignInAt, 'string');
    assert.equal(row.plan, 'pro');
    assert.equal(row.expiresAt, undefined);
  });
});
