import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import {
  clientsFor,
  type StackClients,
  signUpAndConfirm,
  startTestStack,
  TEST_PASSWORD,
} from '../../../../harness/localStack.js';
import { createActivityLog } from '../../../../src/local/console/activityLog.js';
import { startConsole } from '../../../../src/local/console/startConsole.js';
import { LOCAL_CREDENTIALS, type LocalStack } from '../../../../src/local/startLocalStack.js';
import { forEachConcurrent } from '../../../helpers/forEachConcurrent.js';

interface PairsAnswer {
  total: number;
  offset: number;
  limit: number;
  counts: Record<string, number>;
  items: {
    key: string;
    status: string;
    user?: { email?: string; enabled?: boolean };
    row?: Record<string, unknown>;
  }[];
}

describe('Console JSON API on the local stack', () => {
  let stack: LocalStack;
  let clients: StackClients;

  before(async () => {
    // Without change signals, so that users made with AdminCreateUser stay without a row.
    stack = await startTestStack({ changeSignals: false });
    clients = clientsFor(stack);
  });

  after(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  const get = async <T>(path: string): Promise<[number, T]> => {
    const response = await fetch(new URL(`api${path}`, stack.consoleUrl));
    return [response.status, (await response.json()) as T];
  };
  const post = async <T>(path: string, body: unknown): Promise<[number, T]> => {
    const response = await fetch(new URL(`api${path}`, stack.consoleUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return [response.status, (await response.json()) as T];
  };
  const statusOf = async (email: string): Promise<string | undefined> => {
    const [, page] = await get<PairsAnswer>(`/pairs?search=${encodeURIComponent(email)}`);
    return page.items.find((pair) => pair.user?.email === email)?.status;
  };
  /** Changes made around the console show once a background read has seen them. */
  const pairOf = async (email: string) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const [, page] = await get<PairsAnswer & { items: { row?: Record<string, unknown> }[] }>(
        `/pairs?search=${encodeURIComponent(email)}`,
      );
      const pair = page.items.find((item) => item.user?.email === email);
      if (pair) return pair;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${email} never appeared`);
  };
  const waitForReconcile = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const [, state] = await get<Record<string, unknown>>('/reconcile');
      if (state.state !== 'running') return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('pages the pairs: every user exactly once across pages, more than one ListUsers page', async () => {
    const emails = Array.from(
      { length: 125 },
      (_, i) => `paged${String(i).padStart(3, '0')}@example.com`,
    );
    await forEachConcurrent(emails, 8, async (email) => {
      await clients.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.userPoolId,
          Username: email,
          UserAttributes: [{ Name: 'email', Value: email }],
          MessageAction: 'SUPPRESS',
        }),
      );
    });

    const pages: PairsAnswer[] = [];
    for (const offset of [0, 50, 100]) {
      const [status, page] = await get<PairsAnswer>(`/pairs?offset=${offset}&limit=50`);
      assert.equal(status, 200);
      pages.push(page);
    }

    assert.deepEqual(
      pages.map((page) => page.items.length),
      [50, 50, 25],
    );
    assert.equal(pages[0]?.total, 125);
    assert.equal(pages[0]?.counts['row-missing'], 125, 'created by an admin: no trigger, no row');
    const seen = pages.flatMap((page) => page.items.map((pair) => pair.user?.email));
    assert.deepEqual([...seen].sort(), emails);
  });

  it('filters by status and by text, and refuses an unknown status naming the choices', async () => {
    const [, filtered] = await get<PairsAnswer>('/pairs?status=row-missing&search=paged00');
    assert.equal(filtered.total, 10);
    const [, none] = await get<PairsAnswer>('/pairs?status=in-sync&search=paged');
    assert.equal(none.total, 0);
    const [status, answer] = await get<{ error: string }>('/pairs?status=lost');
    assert.equal(status, 400);
    assert.match(answer.error, /"status" must be one of row-missing, .*in-sync/);
  });

  it('signs up through the API and pairs the user with the row the trigger wrote', async () => {
    const [status, answer] = await post<{ message: string }>('/users/sign-up', {
      email: 'ada@example.com',
      password: TEST_PASSWORD,
    });
    assert.equal(status, 200);
    assert.match(answer.message, /Signed up and confirmed ada@example\.com with code 123456/);
    assert.equal(await statusOf('ada@example.com'), 'in-sync');
  });

  it('answers errors in plain words, naming the bad field', async () => {
    const [exists, existsAnswer] = await post<{ error: string }>('/users/sign-up', {
      email: 'ada@example.com',
      password: TEST_PASSWORD,
    });
    assert.equal(exists, 422);
    assert.match(existsAnswer.error, /A user with this e-mail address already exists/);

    const [missing, missingAnswer] = await post<{ error: string }>('/users/sign-up', {
      email: 'bob@example.com',
    });
    assert.equal(missing, 400);
    assert.equal(missingAnswer.error, 'Invalid input: "password" is required.');

    const [badRow, badRowAnswer] = await post<{ error: string }>('/rows/put', {
      row: { sub: 'x' },
    });
    assert.equal(badRow, 400);
    assert.match(badRowAnswer.error, /the row needs a non-empty string "username"/);

    const response = await fetch(new URL('api/users/delete', stack.consoleUrl), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'username=ada@example.com',
    });
    assert.equal(response.status, 415);
    const [unknown] = await get('/nothing-here');
    assert.equal(unknown, 404);
  });

  it('signs in with USER_PASSWORD_AUTH and refuses a wrong password', async () => {
    const [status, answer] = await post<{ message: string }>('/users/sign-in', {
      username: 'ada@example.com',
      password: TEST_PASSWORD,
    });
    assert.equal(status, 200);
    assert.match(answer.message, /tokens issued/);
    const [wrong, wrongAnswer] = await post<{ error: string }>('/users/sign-in', {
      username: 'ada@example.com',
      password: 'not-the-password',
    });
    assert.equal(wrong, 422);
    assert.match(wrongAnswer.error, /password/i);
  });

  it('changes, disables and enables a user, and deletes it leaving an orphaned row', async () => {
    const email = 'cy@example.com';
    await signUpAndConfirm(stack, clients, email);
    await pairOf(email);
    const [, changed] = await post<{ message: string }>('/users/attribute', {
      username: email,
      name: 'name',
      value: 'Cy',
    });
    assert.match(changed.message, /Set name of cy@example\.com/);
    assert.equal(await statusOf(email), 'attributes-differ');

    await post('/users/disable', { username: email });
    let [, page] = await get<PairsAnswer & { items: { user?: { enabled: boolean } }[] }>(
      `/pairs?search=${email}`,
    );
    assert.equal(page.items[0]?.user?.enabled, false);
    await post('/users/enable', { username: email });
    [, page] = await get(`/pairs?search=${email}`);
    assert.equal(page.items[0]?.user?.enabled, true);

    const [, pair] = await get<PairsAnswer>(`/pairs?search=${email}`);
    const key = pair.items[0]?.key as string;
    await post('/users/delete', { username: email });
    const [, orphan] = await get<PairsAnswer>(`/pairs?search=${key}`);
    assert.equal(orphan.items[0]?.status, 'orphaned-row');
    assert.equal(orphan.items[0]?.user, undefined);
  });

  it('updates a row whose attributes differ when reconcile runs with update', async () => {
    const email = 'eve@example.com';
    await signUpAndConfirm(stack, clients, email);
    await pairOf(email);
    await post('/users/attribute', { username: email, name: 'name', value: 'Eve' });
    assert.equal(await statusOf(email), 'attributes-differ');

    const [started] = await post('/reconcile', { dryRun: false, update: true });
    assert.equal(started, 202);
    const done = await waitForReconcile();
    assert.equal(done.state, 'done');
    assert.ok(((done.summary as Record<string, number>).updated ?? 0) >= 1);
    assert.equal(await statusOf(email), 'in-sync');
  });

  it('deletes and rewrites a row directly, and reconcile recreates a lost row', async () => {
    const email = 'dee@example.com';
    const sub = await signUpAndConfirm(stack, clients, email);
    const row = (await pairOf(email)).row as Record<string, unknown>;
    assert.equal(row.username, sub);

    await post('/rows/delete', { key: sub });
    assert.equal(await statusOf(email), 'row-missing');
    await post('/rows/put', { row });
    assert.equal(await statusOf(email), 'in-sync');

    await clients.dynamo.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { username: sub } }),
    );
    const [started] = await post('/reconcile', { dryRun: false, orphans: 'report' });
    assert.equal(started, 202);
    const done = await waitForReconcile();
    assert.equal(done.state, 'done');
    const summary = done.summary as Record<string, number>;
    assert.ok(
      (summary.created ?? 0) >= 1,
      'the lost row (and the admin-created users) are created',
    );
    assert.equal(await statusOf(email), 'in-sync');

    const [, activity] = await get<{ entries: { source: string; outcome: string }[] }>('/activity');
    assert.equal(activity.entries[0]?.source, 'reconcile');
    assert.ok(activity.entries.some((entry) => entry.source === 'PostConfirmation_ConfirmSignUp'));
    assert.doesNotMatch(JSON.stringify(activity), /@example\.com/);
  });

  it('refuses an invalid orphan mode with the reconcile settings message', async () => {
    const [status, answer] = await post<{ error: string }>('/reconcile', { orphans: 'burn' });
    assert.equal(status, 409);
    assert.match(answer.error, /orphans must be one of report, mark, delete, got "burn"/);
  });

  it('serves the page, a clear message when it is not built, and nothing outside its folder', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'console-assets-'));
    const running = await startConsole({
      overview: {
        region: stack.region,
        userPoolId: stack.userPoolId,
        userPoolClientId: stack.userPoolClientId,
        tableName: stack.tableName,
        keyAttribute: 'username',
        confirmationCode: stack.confirmationCode,
        cognitoEndpoint: stack.cognitoEndpoint,
        dynamodbEndpoint: stack.dynamodbEndpoint,
      },
      credentials: LOCAL_CREDENTIALS,
      activity: createActivityLog(),
      host: '127.0.0.1',
      port: 0,
      assetsDir: empty,
    });
    try {
      const page = await fetch(running.url);
      assert.equal(page.status, 503);
      assert.match(await page.text(), /npm run build:console/);
      const outside = await fetch(new URL('%2e%2e/%2e%2e/package.json', running.url));
      assert.equal(outside.status, 404);
    } finally {
      await running.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
