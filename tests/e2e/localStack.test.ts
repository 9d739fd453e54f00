import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  adminConfirmSignUp,
  clientsFor,
  confirmSignUp,
  type StackClients,
  scanRows,
  signIn,
  signUp,
  signUpAndConfirm,
  startTestStack,
  TEST_PASSWORD,
} from '../../harness/localStack.js';
import { runDemo } from '../../src/local/runDemo.js';
import { stackFacts, writeStackFile } from '../../src/local/stackFile.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

// cognito-local answers success even when the trigger failed, so every test
// checks the table, never only the API's answer.
describe('Local stack: Cognito to DynamoDB', () => {
  let stack: LocalStack;
  let clients: StackClients;
  let counter = 0;
  const newEmail = (): string => `user-${++counter}-${Date.now()}@example.com`;
  const rowOf = async (sub: string) =>
    (
      await clients.dynamo.send(
        new GetCommand({ TableName: stack.tableName, Key: { username: sub } }),
      )
    ).Item;

  before(async () => {
    stack = await startTestStack();
    clients = clientsFor(stack);
  });

  after(async () => {
    clients.destroy();
    await stack.stop();
  });

  it('writes exactly one row with the sub and e-mail on SignUp then ConfirmSignUp', async () => {
    const email = newEmail();
    const sub = await signUpAndConfirm(stack, clients, email);

    const rows = (await scanRows(stack, clients)).filter((row) => row.sub === sub);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.username, sub);
    assert.equal(rows[0]?.email, email);
    assert.equal(rows[0]?.source, 'PostConfirmation_ConfirmSignUp');
    assert.equal(rows[0]?.userPoolId, stack.userPoolId);
  });

  it('writes nothing before the sign-up is confirmed', async () => {
    const sub = await signUp(stack, clients, newEmail());

    assert.equal(await rowOf(sub), undefined);
  });

  it('writes the row on AdminConfirmSignUp', async () => {
    const email = newEmail();
    const sub = await signUp(stack, clients, email);

    await adminConfirmSignUp(stack, clients, email);

    const row = await rowOf(sub);
    assert.equal(row?.sub, sub);
    assert.equal(row?.email, email);
  });

  it('leaves an edited row as edited on ForgotPassword then ConfirmForgotPassword', async () => {
    const email = newEmail();
    const sub = await signUpAndConfirm(stack, clients, email);
    const edited = { ...(await rowOf(sub)), nickname: 'edited', email: 'changed@example.com' };
    await clients.dynamo.send(new PutCommand({ TableName: stack.tableName, Item: edited }));

    await clients.cognito.send(
      new ForgotPasswordCommand({ ClientId: stack.userPoolClientId, Username: email }),
    );
    await clients.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: stack.userPoolClientId,
        Username: email,
        ConfirmationCode: stack.confirmationCode,
        Password: `${TEST_PASSWORD}2`,
      }),
    );

    assert.deepEqual(await rowOf(sub), edited);
  });

  it('writes the missing row on ConfirmForgotPassword when the first write was lost', async () => {
    const email = newEmail();
    const sub = await signUpAndConfirm(stack, clients, email);
    await clients.dynamo.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { username: sub } }),
    );

    await clients.cognito.send(
      new ForgotPasswordCommand({ ClientId: stack.userPoolClientId, Username: email }),
    );
    await clients.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: stack.userPoolClientId,
        Username: email,
        ConfirmationCode: stack.confirmationCode,
        Password: `${TEST_PASSWORD}2`,
      }),
    );

    const row = await rowOf(sub);
    assert.equal(row?.source, 'PostConfirmation_ConfirmForgotPassword');
  });

  it('writes 50 rows for 50 users signing up and confirming concurrently', async () => {
    const emails = Array.from({ length: 50 }, () => newEmail());

    const subs = await Promise.all(emails.map((email) => signUpAndConfirm(stack, clients, email)));

    const rows = await scanRows(stack, clients);
    const wanted = new Set(subs);
    const found = rows.filter((row) => wanted.has(row.sub as string));
    assert.equal(found.length, 50);
    assert.equal(new Set(found.map((row) => row.username)).size, 50);
  });

  it('lets a confirmed user sign in with USER_PASSWORD_AUTH', async () => {
    const email = newEmail();
    await signUpAndConfirm(stack, clients, email);

    assert.equal(await signIn(stack, clients, email), true);
  });

  it('rejects a wrong confirmation code and writes no row', async () => {
    const email = newEmail();
    const sub = await signUp(stack, clients, email);

    await assert.rejects(
      clients.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: stack.userPoolClientId,
          Username: email,
          ConfirmationCode: stack.confirmationCode === '000000' ? '111111' : '000000',
        }),
      ),
      { name: 'CodeMismatchException' },
    );
    assert.equal(await rowOf(sub), undefined);
    await confirmSignUp(stack, clients, email);
    assert.equal((await rowOf(sub))?.sub, sub);
  });

  it('runs the demo: a new user, confirmed, signed in, with a row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stack-file-'));
    try {
      const stackFile = join(dir, 'stack.json');
      await writeStackFile(stackFile, stackFacts(stack, 'username'));
      let narration = '';

      const result = await runDemo({ stackFile, out: (text) => (narration += text) });

      assert.equal((await rowOf(result.userSub))?.email, result.email);
      assert.match(narration, /Signed in: got tokens/);
      assert.match(narration, new RegExp(result.userSub));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
