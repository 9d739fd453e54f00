import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CHECKPOINT_SEGMENTS } from '../../../src/aws/store/checkpointStore.js';
import { FingerprintSet } from '../../../src/sync/reconcile/fingerprints.js';
import {
  checkpointFor,
  createRunCheckpoints,
  type SavedRun,
  segmentBudget,
} from '../../../src/sync/reconcile/runCheckpoints.js';
import {
  newRunState,
  type RunState,
  serializeRunState,
} from '../../../src/sync/reconcile/runState.js';

function newRun(): RunState {
  return newRunState({
    userPoolId: 'us-east-1_Pool1',
    tableName: 'users',
    now: new Date('2030-05-01T12:00:00.000Z'),
    sharded: true,
    scanSegments: 2,
    random: () => 0.5,
  });
}

/** A run saved with `count` fingerprints, read back, then `more` added: what an invocation holds. */
function continued(
  count: number,
  more: number,
  segments = 1,
): { state: RunState; saved: SavedRun } {
  const first = newRun();
  for (let i = 1; i <= count; i++) first.listed.add(i);
  const stored = serializeRunState(first);
  const state: RunState = { ...first, listed: FingerprintSet.fromBytes(stored.blob) };
  for (let i = 1; i <= more; i++) state.listed.add(count + i);
  return { state, saved: { state: stored, generation: 3, segments } };
}

describe('Function: checkpointFor', () => {
  it('appends only the fingerprints listed since the state was loaded', () => {
    const { state, saved } = continued(1000, 10);
    const checkpoint = checkpointFor(state, saved);
    assert.ok('append' in checkpoint);
    assert.equal(checkpoint.append.byteLength, 80);
    assert.deepEqual(
      [...new Float64Array(checkpoint.append.buffer)].sort((a, b) => a - b),
      Array.from({ length: 10 }, (_, i) => 1001 + i),
    );
    assert.equal(JSON.parse(checkpoint.body).runId, state.runId);
  });

  it('appends everything a first save of a new run holds', () => {
    const state = newRun();
    state.listed.add(7);
    const checkpoint = checkpointFor(state, { state: undefined, generation: 0, segments: 0 });
    assert.ok('append' in checkpoint);
    assert.equal(checkpoint.append.byteLength, 8);
  });

  it('saves whole a new run that replaces a stored one (its state could not be read)', () => {
    const { saved } = continued(1000, 0);
    const state = newRun();
    state.listed.add(5);
    const checkpoint = checkpointFor(state, saved);
    assert.ok('blob' in checkpoint, 'the old run’s fingerprints must not stay');
    assert.equal(checkpoint.blob.byteLength, 8);
  });

  it('saves whole once the segments pass twice the fewest the fingerprints need, plus 8', () => {
    // 808 bytes need 1 segment: up to 10 may be listed.
    const { state, saved } = continued(100, 1, 10);
    const checkpoint = checkpointFor(state, saved);
    assert.ok('blob' in checkpoint, 'an 11th segment compacts');
    assert.equal(checkpoint.blob.byteLength, 101 * 8);
    const room = checkpointFor(state, { ...saved, segments: 9 });
    assert.ok('append' in room);
  });

  it('budgets segments by the bytes, never past the head item’s limit', () => {
    assert.equal(segmentBudget(0), 8);
    assert.equal(segmentBudget(8), 10);
    assert.equal(segmentBudget(80_000_000), 2 * 229 + 8);
    assert.equal(segmentBudget(350_000 * 1000), MAX_CHECKPOINT_SEGMENTS);
  });
});

describe('Function: createRunCheckpoints, under a deadline', () => {
  const throttled = () =>
    Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });

  it('hands the signal to every call, and stops retrying once it aborts', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const client = {
      send: async (_command: unknown, options?: { abortSignal?: AbortSignal }) => {
        signals.push(options?.abortSignal);
        throw throttled();
      },
    };
    const checkpoints = createRunCheckpoints(client as never, {
      tableName: 'state',
      userPoolId: 'us-east-1_Pool1',
      userTableName: 'users',
    });
    const deadline = new AbortController();
    setTimeout(() => deadline.abort(), 150);
    const started = Date.now();
    await assert.rejects(checkpoints.acquire('inv-1', 60_000, 1000, deadline.signal), {
      name: 'TableWriteError',
      message: /take the lease.*ThrottlingException/,
    });
    // Without the deadline, 12 attempts with backoff up to 5 s each.
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    assert.ok(signals.length >= 1 && signals.length < 12, `${signals.length} calls`);
    assert.ok(signals.every((signal) => signal === deadline.signal));
  });
});
