import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReconcileIncompleteError } from '../../../src/errors.js';
import { createScheduledReconcileHandler } from '../../../src/handler/scheduledReconcile.js';
import { createLogger } from '../../../src/logger.js';
import { readScheduledReconcileConfig } from '../../../src/reconcile/scheduledConfig.js';
import { cognitoUser, FakeCognito, FakeTable, NO_WAIT, sdkError } from '../reconcile/fakes.js';

function setup(env: NodeJS.ProcessEnv = {}) {
  const cognito = new FakeCognito([
    cognitoUser('alice', 'CONFIRMED', { given_name: 'Alice' }),
    cognitoUser('bob', 'FORCE_CHANGE_PASSWORD'),
  ]);
  const table = new FakeTable();
  const lines: string[] = [];
  const config = readScheduledReconcileConfig({
    USER_POOL_ID: 'us-east-1_Pool1',
    TABLE_NAME: 'users',
    LIST_RATE: '1000',
    ...env,
  });
  const handler = createScheduledReconcileHandler({
    config,
    cognito,
    dynamo: table.client,
    logger: createLogger({ level: config.logLevel, sink: (line) => lines.push(line) }),
    reconcileOptions: { retry: NO_WAIT },
  });
  return { cognito, table, lines, handler };
}

describe('Function: createScheduledReconcileHandler', () => {
  it('runs one reconcile, returns the counts and logs them without PII', async () => {
    // Prepare
    const { table, lines, handler } = setup();

    // Act
    const summary = await handler({ source: 'aws.events' });

    // Assess
    assert.equal(summary.created, 2);
    assert.equal(summary.converged, true);
    assert.equal(table.rows.size, 2);
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0] ?? '{}');
    assert.equal(line.message, 'reconcile done');
    assert.equal(line.created, 2);
    assert.equal(line.userPoolId, 'us-east-1_Pool1');
    for (const secret of ['alice', 'bob', 'example.com', 'Alice']) {
      assert.equal(lines[0]?.includes(secret), false, `log line mentions ${secret}`);
    }
  });

  it('logs and throws a ReconcileIncompleteError when writes fail', async () => {
    const { table, lines, handler } = setup({ CONCURRENCY: '1' });
    table.writeFailures.push(sdkError('AccessDeniedException'));
    await assert.rejects(handler(), ReconcileIncompleteError);
    const messages = lines.map((line) => JSON.parse(line).message);
    assert.deepEqual(messages, ['reconcile write failed', 'reconcile not converged']);
  });

  it('logs the counts and why, then throws, when the pool cannot be listed', async () => {
    const { cognito, lines, handler } = setup();
    cognito.failures.push(sdkError('AccessDeniedException'));
    await assert.rejects(handler(), (error: unknown) => {
      assert.ok(error instanceof ReconcileIncompleteError);
      assert.match(error.message, /stopped early \(could not list the users/);
      return true;
    });
    const line = JSON.parse(lines[0] ?? '{}');
    assert.equal(line.message, 'reconcile not converged');
    assert.match(line.stopReason, /AccessDeniedException/);
    assert.equal(line.converged, false);
  });
});
