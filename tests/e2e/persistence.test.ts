import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  clientsFor,
  scanRows,
  signIn,
  signUpAndConfirm,
  startTestStack,
} from '../../harness/localStack.js';
import { useTempDir } from '../helpers/tempDir.js';

describe('Local stack: data across restarts', () => {
  const temp = useTempDir('local-stack-');

  it('keeps users, rows, pool and client after 50 concurrent sign-ups and a restart', async () => {
    const first = await startTestStack({ dataDir: temp.path });
    const firstClients = clientsFor(first);
    const emails = Array.from({ length: 50 }, (_, i) => `restart-${i}@example.com`);
    const subs = await Promise.all(
      emails.map((email) => signUpAndConfirm(first, firstClients, email)),
    );
    firstClients.destroy();
    await first.stop();

    // Every pool file is one valid JSON document.
    const cognitoDir = join(temp.path, 'cognito');
    for (const name of await readdir(cognitoDir)) {
      assert.ok(name.endsWith('.json'), `unexpected file ${name}`);
      JSON.parse(await readFile(join(cognitoDir, name), 'utf8'));
    }

    const second = await startTestStack({ dataDir: temp.path });
    const clients = clientsFor(second);
    try {
      assert.equal(second.userPoolId, first.userPoolId);
      assert.equal(second.userPoolClientId, first.userPoolClientId);
      const signedIn = await Promise.all(emails.map((email) => signIn(second, clients, email)));
      assert.equal(signedIn.filter(Boolean).length, 50);
      const rows = await scanRows(second, clients);
      assert.deepEqual(new Set(rows.map((row) => row.sub)), new Set(subs));
      const { Users = [] } = await clients.cognito.send(
        new ListUsersCommand({
          UserPoolId: second.userPoolId,
          Filter: 'cognito:user_status = "CONFIRMED"',
        }),
      );
      assert.equal(Users.length, 50);
    } finally {
      clients.destroy();
      await second.stop();
    }
  });

  it('keeps nothing on disk in memory mode', async () => {
    const stack = await startTestStack();
    const clients = clientsFor(stack);
    await signUpAndConfirm(stack, clients, 'memory@example.com');
    clients.destroy();
    await stack.stop();

    const again = await startTestStack();
    const againClients = clientsFor(again);
    try {
      assert.deepEqual(await scanRows(again, againClients), []);
    } finally {
      againClients.destroy();
      await again.stop();
    }
  });
});
