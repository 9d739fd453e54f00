import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  clientsFor,
  isPortFree,
  scanRows,
  signIn,
  signUpAndConfirm,
  spawnStack,
} from '../../harness/localStack.js';
import type { StackFacts } from '../../src/local/stackFile.js';
import { useTempDir } from '../helpers/tempDir.js';

const address = (facts: StackFacts) => ({ ...facts });

describe('Local stack: the npm start process', () => {
  const temp = useTempDir('local-stack-process-');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops on ${signal}, frees every port and removes its stack file`, async () => {
      const dataDir = join(temp.path, signal);
      const stack = await spawnStack(dataDir);

      stack.child.kill(signal);

      assert.equal(await stack.exited, 0);
      for (const port of stack.ports) assert.equal(await isPortFree(port), true, `port ${port}`);
      await assert.rejects(access(join(dataDir, 'stack.json')));
    });
  }

  it('fails with a message naming a port in use', async () => {
    const holder = await spawnStack(join(temp.path, 'holder'), ['--in-memory']);
    try {
      const dynamodbPort = String(holder.ports[1]);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/local/main.ts', '--in-memory', '--dynamodb-port', dynamodbPort],
        { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const code = await new Promise((resolve) => child.once('exit', resolve));

      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`DynamoDB port ${dynamodbPort} .* already in use`));
      assert.match(stderr, /--dynamodb-port/);
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exited;
    }
  });

  it('starts again with its data readable after SIGKILL mid-traffic', async () => {
    const dataDir = join(temp.path, 'killed');
    const first = await spawnStack(dataDir);
    const firstAddress = address(first.facts);
    const firstClients = clientsFor(firstAddress);
    const confirmed = Array.from({ length: 10 }, (_, i) => `before-kill-${i}@example.com`);
    await Promise.all(
      confirmed.map((email) => signUpAndConfirm(firstAddress, firstClients, email)),
    );
    // Traffic in flight when the process dies: its outcome does not matter.
    const inFlight = Array.from({ length: 30 }, (_, i) =>
      signUpAndConfirm(firstAddress, firstClients, `during-kill-${i}@example.com`).catch(() => {}),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    await Promise.all(inFlight);
    firstClients.destroy();
    await rm(join(dataDir, 'stack.json'), { force: true });

    const second = await spawnStack(dataDir);
    const secondAddress = address(second.facts);
    const clients = clientsFor(secondAddress);
    try {
      assert.equal(second.facts.userPoolId, first.facts.userPoolId);
      const signedIn = await Promise.all(
        confirmed.map((email) => signIn(secondAddress, clients, email)),
      );
      assert.equal(signedIn.filter(Boolean).length, confirmed.length);
      const { Users = [] } = await clients.cognito.send(
        new ListUsersCommand({ UserPoolId: second.facts.userPoolId }),
      );
      assert.ok(Users.length >= confirmed.length);
      const rows = await scanRows(secondAddress, clients);
      assert.ok(rows.length >= confirmed.length);
      const after = await signUpAndConfirm(secondAddress, clients, 'after-kill@example.com');
      assert.ok((await scanRows(secondAddress, clients)).some((row) => row.sub === after));
    } finally {
      clients.destroy();
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    }
  });
});
