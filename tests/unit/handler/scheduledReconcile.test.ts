import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readScheduledReconcileConfig } from '../../../src/domain/scheduledConfig.js';
import { CheckpointCorruptError, ReconcileIncompleteError } from '../../../src/shared/errors.js';
import { createLogger } from '../../../src/shared/logger.js';
import {
  createScheduledReconcileHandler,
  sliceReserveMs,
} from '../../../src/sync/handler/scheduledReconcile.js';
import type { ReconcileSummary } from '../../../src/sync/reconcile/reconcile.js';
import type { RunCheckpoints, SavedRun } from '../../../src/sync/reconcile/runCheckpoints.js';
import {
  type RunState,
  type SerializedRunState,
  serializeRunState,
} from '../../../src/sync/reconcile/runState.js';
import { cognitoUser, FakeCognito, FakeTable, NO_WAIT, sdkError } from '../reconcile/fakes.js';

/** The state table, in memory, with the same lease rules. */
class MemoryCheckpoints implements RunCheckpoints {
  saved: SerializedRunState | undefined;
  generation: number | undefined;
  lease: { owner: string; until: number } | undefined;
  saves = 0;
  async acquire(owner: string, until: number, now: number) {
    if (this.lease && this.lease.owner !== owner && this.lease.until >= now) return false;
    this.lease = { owner, until };
    return true;
  }
  async load(): Promise<SavedRun> {
    return { state: this.saved, generation: this.generation };
  }
  async save(state: RunState, over: SavedRun, owner: string) {
    assert.equal(this.lease?.owner, owner, 'saved without the lease');
    assert.equal(over.generation, this.generation, 'saved over another generation');
    this.saves++;
    const serialized = serializeRunState(state);
    this.saved = { body: serialized.body, blob: new Uint8Array(serialized.blob) };
    this.generation = (this.generation ?? 0) + 1;
    return this.generation;
  }
  async release(owner: string) {
    if (this.lease?.owner === owner) this.lease = { owner, until: 0 };
  }
  async clear(owner: string) {
    assert.equal(this.lease?.owner, owner, 'cleared without the lease');
    this.saved = undefined;
    this.generation = undefined;
    this.lease = undefined;
  }
}

function setup(
  env: NodeJS.ProcessEnv = {},
  options: {
    users?: ConstructorParameters<typeof FakeCognito>[0];
    checkpoints?: MemoryCheckpoints;
  } = {},
) {
  const cognito = new FakeCognito(
    options.users ?? [
      cognitoUser('alice', 'CONFIRMED', { given_name: 'Alice' }),
      cognitoUser('bob', 'FORCE_CHANGE_PASSWORD'),
    ],
  );
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
    ...(options.checkpoints ? { checkpoints: options.checkpoints } : {}),
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
    const summary = (await handler({ source: 'aws.events' })) as ReconcileSummary;

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

  describe('with a state table: a run continues across invocations', () => {
    function resumable(users: number) {
      const checkpoints = new MemoryCheckpoints();
      const made = setup(
        { STATE_TABLE_NAME: 'state' },
        { users: Array.from({ length: users }, (_, i) => cognitoUser(`u${i}`)), checkpoints },
      );
      return { ...made, checkpoints };
    }

    /** A Lambda context whose clock runs `msPerCall` per ListUsers call made. */
    function budget(cognito: FakeCognito, totalMs: number, msPerCall: number, id: string) {
      const start = cognito.calls.length;
      return {
        awsRequestId: id,
        getRemainingTimeInMillis: () => totalMs - (cognito.calls.length - start) * msPerCall,
      };
    }

    it('a pool too big for one invocation is reconciled over several, each saving where it stands', async () => {
      const { cognito, table, checkpoints, lines, handler } = resumable(2000);
      const results = [];
      // 10 s per invocation, 1 s per ListUsers call: the reserve (2.5 s) leaves ~8 calls each.
      results.push(await handler({ source: 'aws.events' }, budget(cognito, 10_000, 1000, 'i0')));
      for (let i = 1; i < 20 && checkpoints.saved; i++) {
        results.push(await handler({ action: 'continue' }, budget(cognito, 10_000, 1000, `i${i}`)));
      }
      assert.equal(checkpoints.saved, undefined, 'the run went to its end and was forgotten');
      assert.ok(results.length >= 3, `${results.length} invocations`);
      const last = results.at(-1) as ReconcileSummary;
      assert.equal(last.complete, true);
      assert.equal(last.converged, true);
      assert.equal(last.created, 2000);
      assert.equal(last.slices, results.length);
      assert.equal(table.rows.size, 2000);
      assert.equal(checkpoints.saves, results.length - 1);
      const messages = lines.map((line) => JSON.parse(line).message);
      assert.deepEqual(messages, [
        ...Array.from(
          { length: results.length - 1 },
          () => 'reconcile continues in the next invocation',
        ),
        'reconcile done',
      ]);
      // The listing goes over the 16 sub shards: one page per 60 users of each, at least one.
      const perShard = new Map<string, number>();
      for (const user of cognito.users) {
        const digit = user.Attributes?.find((a) => a.Name === 'sub')?.Value?.[0] ?? '';
        perShard.set(digit, (perShard.get(digit) ?? 0) + 1);
      }
      const pages = [...'0123456789abcdef'].reduce(
        (sum, digit) => sum + Math.max(1, Math.ceil((perShard.get(digit) ?? 0) / 60)),
        0,
      );
      assert.equal(cognito.calls.length, pages, 'every page listed once');
    });

    it('a continuation with no run in progress does nothing; a scheduled event starts one', async () => {
      const { cognito, table, checkpoints, handler } = resumable(5);
      assert.deepEqual(await handler({ action: 'continue' }, budget(cognito, 10_000, 0, 'a')), {
        skipped: 'no run in progress',
      });
      assert.equal(cognito.calls.length, 0);
      assert.equal(checkpoints.lease, undefined, 'the lease is given back');
      const summary = (await handler({}, budget(cognito, 10_000, 0, 'b'))) as ReconcileSummary;
      assert.equal(summary.created, 5);
      assert.equal(table.rows.size, 5);
    });

    it('skips while another invocation holds the run', async () => {
      const { cognito, checkpoints, handler } = resumable(5);
      checkpoints.lease = { owner: 'other', until: Date.now() + 60_000 };
      assert.deepEqual(await handler({}, budget(cognito, 10_000, 0, 'mine')), {
        skipped: 'run held by another invocation',
      });
      assert.equal(cognito.calls.length, 0);
    });

    it('starts a new run when the saved one is unreadable, and says so', async () => {
      const { cognito, table, checkpoints, lines, handler } = resumable(5);
      checkpoints.saved = { body: '{"format":"other"}', blob: new Uint8Array() };
      checkpoints.generation = 3;
      const summary = (await handler(
        { action: 'continue' },
        budget(cognito, 10_000, 0, 'x'),
      )) as ReconcileSummary;
      assert.equal(summary.created, 5);
      assert.equal(table.rows.size, 5);
      assert.match(lines[0] ?? '', /saved reconcile run unreadable: starting a new run/);
    });

    it('deletes a checkpoint that cannot be rebuilt and starts a new run, even on a continuation', async () => {
      const { cognito, table, checkpoints, lines, handler } = resumable(5);
      checkpoints.saved = { body: 'whatever', blob: new Uint8Array(8) };
      checkpoints.generation = 4;
      let failures = 1;
      const load = checkpoints.load.bind(checkpoints);
      checkpoints.load = async () => {
        if (failures-- > 0) throw new CheckpointCorruptError('chunk 2 of 3 is missing');
        return load();
      };
      const summary = (await handler(
        { action: 'continue' },
        budget(cognito, 10_000, 0, 'x'),
      )) as ReconcileSummary;
      assert.equal(summary.created, 5);
      assert.equal(table.rows.size, 5);
      assert.equal(checkpoints.saved, undefined, 'the run ended and left nothing');
      assert.match(lines[0] ?? '', /saved reconcile run unreadable: starting a new run/);
      assert.match(lines[0] ?? '', /chunk 2 of 3 is missing/);
    });

    it('saves the state and throws when a read fails after its retries, and the next invocation finishes the run', async () => {
      const { cognito, table, checkpoints, handler } = resumable(200);
      let calls = 0;
      const original = cognito.send.bind(cognito);
      cognito.send = async (command) => {
        calls++;
        if (calls === 3) throw sdkError('AccessDeniedException', 'denied');
        return original(command);
      };
      await assert.rejects(handler({}, budget(cognito, 60_000, 0, 'a')), ReconcileIncompleteError);
      assert.ok(checkpoints.saved, 'the state was saved');
      const summary = (await handler(
        { action: 'continue' },
        budget(cognito, 60_000, 0, 'b'),
      )) as ReconcileSummary;
      assert.equal(summary.converged, true);
      assert.equal(table.rows.size, 200);
      assert.equal(checkpoints.saved, undefined);
    });
  });

  describe('Function: sliceReserveMs', () => {
    it('keeps a quarter of the invocation, from 2 s to 60 s', () => {
      assert.equal(sliceReserveMs(10_000), 2_500);
      assert.equal(sliceReserveMs(4_000), 2_000);
      assert.equal(sliceReserveMs(900_000), 60_000);
    });
  });
});
