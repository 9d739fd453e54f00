import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { type HangingServer, startHangingServer } from '../helpers/hangingServer.js';

const BIN = fileURLToPath(new URL('../../dist/cli/cognito-user-sync.mjs', import.meta.url));

describe('Integration: the cognito-user-sync command on SIGINT', () => {
  let dynalite: TestDynalite;
  let silentCognito: HangingServer;

  before(async () => {
    assert.ok(existsSync(BIN), `${BIN} is missing: run npm run build`);
    dynalite = await startDynalite();
    await ensureUserTable(dynalite.client, { tableName: 'users', keyAttribute: 'username' });
    silentCognito = await startHangingServer();
  });
  after(async () => {
    await silentCognito?.close();
    await dynalite?.close();
  });

  it('prints the summary so far as JSON and exits 130 while Cognito is silent', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'reconcile', '--user-pool-id', 'us-east-1_Silent1', '--table', 'users', '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: silentCognito.endpoint,
          AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // Wait until the scan is done: the run then waits on Cognito alone.
      for (let i = 0; i < 100 && !/scanning rows|still running/.test(stderr); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGINT');
      assert.equal(await exited, 130, stderr);
      const summary = JSON.parse(stdout);
      assert.equal(summary.stopReason, 'interrupted');
      assert.equal(summary.converged, false);
      assert.equal(summary.usersListed, 0);
      assert.match(stderr, /interrupted/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
