import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ReconcileOptions, reconcile } from '../../src/sync/reconcile/reconcile.js';
import { OLD, type ReconcileWorld, startReconcileWorld } from './reconcileFixtures.js';

const FAST_RETRY = { sleep: async () => {} };

describe('Integration: reconcile against the local stack', () => {
  let world: ReconcileWorld;
  let users: string[];

  before(async () => {
    world = await startReconcileWorld();
    users = await world.createUsers(135, 'admin-made');
  });
  after(async () => {
    await world?.close();
  });

  const run = (options: Partial<ReconcileOptions> & { config?: ReconcileOptions['config'] } = {}) =>
    reconcile({
      cognito: world.cognito,
      dynamo: world.dynamo,
      retry: FAST_RETRY,
      ...options,
      config: options.config ?? world.config(),
    });

  it('restores the rows of users made with AdminCreateUser, over several ListUsers pages', async () => {
    // Prepare
    let pages = 0;

    // Act
    const report = await run({ progress: { listing: (_, count) => (pages = count) } });

    // Assess
    assert.equal(pages, 3);
    assert.equal(report.summary.usersListed, 135);
    assert.equal(report.summary.created, 135);
    assert.equal(report.summary.converged, true);
    const rows = await world.rows();
    assert.equal(rows.size, 135);
    const row = rows.get(users[0] as string);
    assert.equal(row?.source, 'reconcile');
    assert.equal(row?.userPoolId, world.stack.userPoolId);
    assert.equal(row?.sub, users[0]);
    assert.equal(row?.email, 'admin-made-0@example.com');
    assert.equal((row?.attributes as Record<string, string> | undefined)?.given_name, 'Given 0');
  });

  it('changes nothing on a second run', async () => {
    const before = await world.rows();
    const report = await run();
    assert.equal(report.summary.toCreate, 0);
    assert.equal(report.summary.created, 0);
    assert.equal(report.summary.inSync, 135);
    assert.deepEqual(await world.rows(), before);
  });

  it('restores rows deleted by hand', async () => {
    const removed = users.slice(10, 15);
    for (const key of removed) await world.deleteRow(key);
    const report = await run();
    assert.equal(report.summary.created, 5);
    for (const key of removed) assert.equal((await world.row(key))?.source, 'reconcile');
  });

  it('writes nothing in a dry run', async () => {
    await world.deleteRow(users[20] as string);
    await world.putRow({ username: 'dry-run-orphan', createdAt: OLD });
    const before = await world.rows();
    const report = await run({ config: world.config({ dryRun: true, orphans: 'delete' }) });
    assert.equal(report.summary.toCreate, 1);
    assert.equal(report.summary.toDelete, 1);
    assert.equal(report.summary.converged, false);
    assert.deepEqual(await world.rows(), before);
    await world.deleteRow('dry-run-orphan');
    await run();
  });

  it('does not overwrite a row written between planning and writing', async () => {
    const key = users[30] as string;
    await world.deleteRow(key);
    const creates: string[] = [];
    const report = await run({
      beforeCreate: async (row) => {
        creates.push(String(row.username));
        await world.putRow({
          username: key,
          source: 'PostConfirmation_ConfirmSignUp',
          marker: 'trigger',
        });
      },
    });
    assert.deepEqual(creates, [key], 'the row was planned for creation');
    assert.equal(report.summary.created, 0);
    assert.equal(report.summary.alreadyPresent, 1);
    assert.equal(report.summary.converged, true);
    assert.deepEqual(await world.row(key), {
      username: key,
      source: 'PostConfirmation_ConfirmSignUp',
      marker: 'trigger',
    });
  });

  it('reports, marks, then deletes the row of a user deleted from the pool', async () => {
    // Prepare: a user removed from the pool leaves its row behind
    const [gone] = await world.createUsers(1, 'leaver');
    await run();
    await world.deleteUser(gone as string);
    const grace = { orphanGraceMs: 0 };

    // Act + Assess: report leaves the row as it is
    const reported = await run({ ...grace, config: world.config({ orphans: 'report' }) });
    assert.equal(reported.summary.orphans, 1);
    assert.equal(reported.summary.orphansReported, 1);
    assert.deepEqual(reported.plan.reported, [gone]);
    assert.equal((await world.row(gone as string))?.deletedAt, undefined);

    // mark sets deletedAt once
    const marked = await run({ ...grace, config: world.config({ orphans: 'mark' }) });
    assert.equal(marked.summary.marked, 1);
    const deletedAt = (await world.row(gone as string))?.deletedAt;
    assert.match(String(deletedAt), /^\d{4}-\d{2}-\d{2}T/);
    const again = await run({ ...grace, config: world.config({ orphans: 'mark' }) });
    assert.equal(again.summary.toMark, 0);
    assert.equal(again.summary.orphansAlreadyMarked, 1);
    assert.equal((await world.row(gone as string))?.deletedAt, deletedAt);

    // delete removes it
    const deleted = await run({ ...grace, config: world.config({ orphans: 'delete' }) });
    assert.equal(deleted.summary.deleted, 1);
    assert.equal(await world.row(gone as string), undefined);
    const settled = await run({ ...grace, config: world.config({ orphans: 'delete' }) });
    assert.equal(settled.summary.orphans, 0);
  });

  it('leaves a fresh orphan alone during the grace period', async () => {
    await world.putRow({ username: 'fresh-orphan', createdAt: new Date().toISOString() });
    const report = await run({ config: world.config({ orphans: 'delete' }) });
    assert.equal(report.summary.orphansTooRecent, 1);
    assert.equal(report.summary.deleted, 0);
    assert.notEqual(await world.row('fresh-orphan'), undefined);
    await world.deleteRow('fresh-orphan');
  });

  it('updates the managed fields of rows that differ only with --update, keeping app-owned fields', async () => {
    const key = users[40] as string;
    await world.dynamo.send(
      new UpdateCommand({
        TableName: world.stack.tableName,
        Key: { username: key },
        UpdateExpression: 'SET #plan = :plan',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':plan': 'pro' },
      }),
    );
    await world.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: world.stack.userPoolId,
        Username: key,
        UserAttributes: [{ Name: 'given_name', Value: 'Renamed' }],
      }),
    );

    const without = await run();
    assert.equal(without.summary.update, false);
    assert.equal(without.summary.updated, 0);
    const given = (row: Record<string, unknown> | undefined) =>
      (row?.attributes as Record<string, string> | undefined)?.given_name;
    assert.equal(given(await world.row(key)), 'Given 40');

    const dry = await run({ config: world.config({ update: true, dryRun: true }) });
    assert.ok(dry.summary.toUpdate >= 1);
    assert.equal(dry.summary.updated, 0);
    assert.equal(given(await world.row(key)), 'Given 40');

    const updated = await run({ config: world.config({ update: true }) });
    assert.equal(updated.summary.updated, updated.summary.toUpdate);
    assert.ok(updated.summary.updated >= 1);
    const row = await world.row(key);
    assert.equal(given(row), 'Renamed');
    assert.equal(row?.plan, 'pro');
    assert.equal(row?.enabled, true);
    assert.equal(typeof row?.userLastModifiedAt, 'string');

    const again = await run({ config: world.config({ update: true }) });
    assert.equal(again.summary.toUpdate, 0);
    assert.equal(again.summary.converged, true);
  });
});
