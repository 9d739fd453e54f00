import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActivityLog } from '../../../../src/local/console/activityLog.js';
import { createReconcileRunner } from '../../../../src/local/console/reconcileRunner.js';
import { cognitoUser, FakeCognito, FakeTable } from '../../reconcile/fakes.js';

/** A Cognito fake whose ListUsers waits until `release` is called. */
class GatedCognito extends FakeCognito {
  private opened: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.opened = resolve;
  });
  release(): void {
    this.opened();
  }
  override async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    await this.gate;
    return super.send(command);
  }
}

function runner(cognito: FakeCognito, table: FakeTable) {
  const activity = createActivityLog();
  let finished = 0;
  const reconciler = createReconcileRunner({
    cognito,
    dynamo: table.client,
    userPoolId: 'us-east-1_Pool1',
    tableName: 'users',
    keyAttribute: 'username',
    activity,
    onFinished: () => {
      finished++;
    },
  });
  return { reconciler, activity, finished: () => finished };
}

describe('Function: createReconcileRunner', () => {
  it('runs the package reconcile, keeps its summary and records it in the activity log', async () => {
    const table = new FakeTable();
    const { reconciler, activity, finished } = runner(
      new FakeCognito([cognitoUser('ada'), cognitoUser('bob')]),
      table,
    );

    const started = reconciler.start({ dryRun: false, orphans: 'report', noGrace: false });
    await reconciler.settled();

    assert.equal(started.state, 'running');
    const state = reconciler.state();
    assert.equal(state.state, 'done');
    assert.equal(state.state === 'done' && state.summary.created, 2);
    assert.deepEqual([...table.rows.keys()].sort(), ['ada', 'bob']);
    assert.equal(table.rows.get('ada')?.source, 'reconcile');
    assert.equal(finished(), 1);
    const [entry] = activity.recent();
    assert.equal(entry?.source, 'reconcile');
    assert.equal(entry?.outcome, 'converged');
  });

  it('writes nothing in a dry run and says it did not converge while rows are missing', async () => {
    const table = new FakeTable();
    const { reconciler } = runner(new FakeCognito([cognitoUser('ada')]), table);
    reconciler.start({ dryRun: true, orphans: 'report', noGrace: false });
    await reconciler.settled();
    const state = reconciler.state();
    assert.equal(state.state === 'done' && state.summary.toCreate, 1);
    assert.equal(state.state === 'done' && state.summary.converged, false);
    assert.equal(table.rows.size, 0);
  });

  it('refuses a second run while one is under way, and an invalid orphan mode', async () => {
    const cognito = new GatedCognito([cognitoUser('ada')]);
    const { reconciler } = runner(cognito, new FakeTable());
    reconciler.start({ dryRun: true, orphans: 'report', noGrace: false });

    assert.throws(
      () => reconciler.start({ dryRun: true, orphans: 'report', noGrace: false }),
      /a reconcile run is under way/,
    );
    cognito.release();
    await reconciler.settled();
    assert.throws(
      () => reconciler.start({ dryRun: true, orphans: 'burn', noGrace: false }),
      /orphans must be one of report, mark, delete, got "burn"/,
    );
  });

  it('reports a failed run with its reason', async () => {
    const cognito = new FakeCognito([cognitoUser('ada')]);
    const failure = new Error('pool gone');
    failure.name = 'ResourceNotFoundException';
    cognito.failures.push(failure);
    const { reconciler, activity } = runner(cognito, new FakeTable());
    reconciler.start({ dryRun: false, orphans: 'report', noGrace: false });
    await reconciler.settled();
    const state = reconciler.state();
    assert.equal(state.state, 'failed');
    assert.match(
      state.state === 'failed' ? state.error : '',
      /ResourceNotFoundException: pool gone/,
    );
    assert.equal(activity.recent()[0]?.outcome, 'failed');
  });
});
