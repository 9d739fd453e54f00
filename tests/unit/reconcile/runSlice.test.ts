import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointFormatError, TableReadError } from '../../../src/shared/errors.js';
import type { ReconcileReport } from '../../../src/sync/reconcile/reconcile.js';
import type { RunCheckpoints, SavedRun } from '../../../src/sync/reconcile/runCheckpoints.js';
import {
  finishSlice,
  runSlice,
  sliceDeadline,
  sliceLease,
  sliceStop,
  startSlice,
} from '../../../src/sync/reconcile/runSlice.js';
import {
  newRunState,
  type RunState,
  serializeRunState,
} from '../../../src/sync/reconcile/runState.js';

/** Checkpoints that record the calls made and answer from a script. */
function recording(answers: { acquire?: boolean[]; load?: (() => SavedRun)[] }) {
  const calls: string[] = [];
  const checkpoints: RunCheckpoints = {
    acquire: async (owner) => {
      calls.push(`acquire ${owner}`);
      return answers.acquire?.shift() ?? true;
    },
    load: async () => {
      calls.push('load');
      const next = answers.load?.shift();
      return next ? next() : { state: undefined, generation: 0, segments: 0 };
    },
    save: async (_state, saved, owner) => {
      calls.push(`save over ${saved.generation} ${owner}`);
      return (saved.generation ?? 0) + 1;
    },
    release: async (owner) => {
      calls.push(`release ${owner}`);
    },
    clear: async (owner) => {
      calls.push(`clear ${owner}`);
    },
  };
  return { checkpoints, calls };
}

const LEASE = { owner: 'inv-1', now: 1000, until: 61_000 } as const;

function runState(): RunState {
  return newRunState({
    userPoolId: 'us-east-1_Pool1',
    tableName: 'users',
    now: new Date('2030-01-01T00:00:00.000Z'),
    sharded: false,
    scanSegments: 1,
  });
}

describe('Function: sliceLease', () => {
  it('is owned by the request id and held until the invocation runs out (at least 1 s)', () => {
    assert.deepEqual(sliceLease({ owner: 'req-1', remainingMs: 30_000 }, 5000), {
      owner: 'req-1',
      now: 5000,
      until: 35_000,
    });
    assert.equal(sliceLease({ owner: 'req-2', remainingMs: 10 }, 5000).until, 6000);
    const bare = sliceLease({ remainingMs: undefined }, 0);
    assert.match(bare.owner, /^[0-9a-f-]{36}$/);
    assert.equal(bare.until, 15 * 60_000);
  });
});

describe('Function: startSlice', () => {
  it('skips without loading when another invocation holds the run', async () => {
    const { checkpoints, calls } = recording({ acquire: [false] });
    const start = await startSlice(checkpoints, LEASE, { continuation: false });
    assert.deepEqual(start, { kind: 'skip', skipped: 'run held by another invocation' });
    assert.deepEqual(calls, ['acquire inv-1']);
  });

  it('continues the saved run, with what was loaded as the base of the next save', async () => {
    const state = runState();
    const saved = { state: serializeRunState(state), generation: 4, segments: 2 };
    const { checkpoints } = recording({ load: [() => saved] });
    const start = await startSlice(checkpoints, LEASE, { continuation: true });
    assert.equal(start.kind, 'run');
    assert.ok(start.kind === 'run');
    assert.equal(start.state?.runId, state.runId);
    assert.equal(start.saved, saved);
    assert.equal(start.unreadable, undefined);
  });

  it('forgets the empty checkpoint and skips on a continuation event that finds no run', async () => {
    const { checkpoints, calls } = recording({});
    const start = await startSlice(checkpoints, LEASE, { continuation: true });
    assert.deepEqual(start, { kind: 'skip', skipped: 'no run in progress' });
    assert.deepEqual(calls, ['acquire inv-1', 'load', 'clear inv-1']);
  });

  it('deletes a checkpoint of another format under the lease and starts a new run, even on a continuation event', async () => {
    const { checkpoints, calls } = recording({
      load: [
        () => {
          throw new CheckpointFormatError('the head is of format 1, this version reads format 2');
        },
      ],
    });
    const start = await startSlice(checkpoints, LEASE, { continuation: true });
    assert.ok(start.kind === 'run');
    assert.equal(start.state, undefined, 'a new run');
    assert.match(start.unreadable ?? '', /format 1/);
    assert.deepEqual(calls, ['acquire inv-1', 'load', 'clear inv-1', 'acquire inv-1', 'load']);
  });

  it('passes on a state table that cannot be read, deleting nothing', async () => {
    const { checkpoints, calls } = recording({
      load: [
        () => {
          throw new TableReadError('could not read the head: AccessDeniedException');
        },
      ],
    });
    await assert.rejects(startSlice(checkpoints, LEASE, { continuation: false }), TableReadError);
    assert.deepEqual(calls, ['acquire inv-1', 'load']);
  });
});

describe('Function: finishSlice', () => {
  it('saves over what was loaded and releases the lease when the run goes on', async () => {
    const { checkpoints, calls } = recording({});
    const saved = { state: undefined, generation: 7, segments: 0 };
    assert.equal(await finishSlice(checkpoints, LEASE, saved, runState()), 'saved');
    assert.deepEqual(calls, ['save over 7 inv-1', 'release inv-1']);
  });

  it('deletes the checkpoint when the run went to its end', async () => {
    const { checkpoints, calls } = recording({});
    const saved = { state: undefined, generation: 7, segments: 0 };
    assert.equal(await finishSlice(checkpoints, LEASE, saved, undefined), 'cleared');
    assert.deepEqual(calls, ['clear inv-1']);
  });
});

describe('Function: sliceStop', () => {
  it('stops once only the reserve of the time left at the start is left', () => {
    let remaining = 40_000;
    const shouldStop = sliceStop(() => remaining);
    assert.ok(shouldStop);
    assert.equal(shouldStop(), false);
    remaining = 10_000;
    assert.equal(shouldStop(), false);
    remaining = 9_999;
    assert.equal(shouldStop(), true);
  });

  it('never stops when the time left cannot be told', () => {
    assert.equal(
      sliceStop(() => undefined),
      undefined,
    );
  });
});

describe('Function: runSlice', () => {
  /** A reconcile that records what it was given and reports `state` (undefined: the run ended). */
  function fakeReconcile(state: RunState | undefined, events: string[]) {
    const given: { state: RunState | undefined; stops: boolean }[] = [];
    const reconcile = async (from: RunState | undefined, shouldStop?: () => boolean) => {
      events.push('reconcile');
      given.push({ state: from, stops: shouldStop?.() ?? false });
      return { state } as unknown as ReconcileReport;
    };
    return { reconcile, given };
  }
  const invocation = (remaining: number | undefined) => ({
    owner: 'inv-1',
    remainingMs: () => remaining,
  });

  it('without checkpoints, runs one whole run that ends, stopped at the reserve', async () => {
    const events: string[] = [];
    const { reconcile, given } = fakeReconcile(runState(), events);
    const outcome = await runSlice({
      invocation: invocation(1_000),
      continuation: false,
      now: 1000,
      reconcile,
    });
    assert.equal(outcome.kind, 'ended');
    assert.deepEqual(given, [{ state: undefined, stops: true }]);
  });

  it('takes the lease, continues the saved run, then saves it and releases the lease', async () => {
    const inProgress = runState();
    const saved = serializeRunState(inProgress);
    const { checkpoints, calls } = recording({
      load: [() => ({ state: saved, generation: 3, segments: 0 })],
    });
    const { reconcile, given } = fakeReconcile(runState(), calls);
    const outcome = await runSlice({
      checkpoints,
      invocation: invocation(60_000),
      continuation: true,
      now: 1000,
      reconcile,
    });
    assert.equal(outcome.kind, 'saved');
    assert.equal(given[0]?.state?.runId, inProgress.runId);
    assert.equal(given[0]?.stops, false);
    assert.deepEqual(calls, [
      'acquire inv-1',
      'load',
      'reconcile',
      'save over 3 inv-1',
      'release inv-1',
    ]);
  });

  it('forgets the run once it went to its end', async () => {
    const { checkpoints, calls } = recording({});
    const { reconcile } = fakeReconcile(undefined, calls);
    const outcome = await runSlice({
      checkpoints,
      invocation: invocation(undefined),
      continuation: false,
      now: 1000,
      reconcile,
    });
    assert.equal(outcome.kind, 'ended');
    assert.deepEqual(calls, ['acquire inv-1', 'load', 'reconcile', 'clear inv-1']);
  });

  it('skips without running reconcile while another invocation holds the run', async () => {
    const { checkpoints, calls } = recording({ acquire: [false] });
    const { reconcile } = fakeReconcile(undefined, calls);
    const outcome = await runSlice({
      checkpoints,
      invocation: invocation(60_000),
      continuation: false,
      now: 1000,
      reconcile,
    });
    assert.deepEqual(outcome, { kind: 'skipped', skipped: 'run held by another invocation' });
    assert.deepEqual(calls, ['acquire inv-1']);
  });

  it('says why a saved run was discarded before reconcile starts a new one', async () => {
    const { checkpoints, calls } = recording({
      load: [() => ({ state: { body: '{', blob: new Uint8Array() }, generation: 1 })],
    });
    const { reconcile, given } = fakeReconcile(undefined, calls);
    await runSlice({
      checkpoints,
      invocation: invocation(60_000),
      continuation: true,
      now: 1000,
      reconcile,
      onDiscarded: (reason) => calls.push(`discarded: ${reason.length > 0}`),
    });
    assert.deepEqual(given, [{ state: undefined, stops: false }]);
    assert.deepEqual(calls.slice(0, 4), ['acquire inv-1', 'load', 'discarded: true', 'reconcile']);
  });
});

describe('Function: runSlice, at the invocation deadline', () => {
  it('gives the checkpoint calls a deadline just before the invocation ends, and rejects at it', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const { checkpoints } = recording({});
    const hanging: RunCheckpoints = {
      ...checkpoints,
      acquire: async (owner, until, now, signal) => {
        seen.push(signal);
        return checkpoints.acquire(owner, until, now);
      },
      load: async (signal) => {
        seen.push(signal);
        return checkpoints.load();
      },
      // A save that never answers unless aborted.
      save: (_state, _saved, _owner, signal) =>
        new Promise((_, reject) => {
          seen.push(signal);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    };
    // The deadline's timer does not hold the process (unref'd): this one does, meanwhile.
    const keepAlive = setTimeout(() => {}, 5000);
    const started = Date.now();
    await assert.rejects(
      runSlice({
        checkpoints: hanging,
        invocation: { owner: 'inv-1', remainingMs: () => 500 },
        continuation: false,
        now: 1000,
        reconcile: async () => ({ state: runState() }) as unknown as ReconcileReport,
      }),
      { name: 'TimeoutError' },
    );
    clearTimeout(keepAlive);
    const took = Date.now() - started;
    assert.ok(took >= 150 && took < 1500, `${took} ms`);
    assert.equal(seen.length, 3);
    assert.ok(seen.every((signal) => signal !== undefined && signal === seen[0]));
  });

  it('sets no deadline when the time left cannot be told', () => {
    assert.equal(sliceDeadline(undefined), undefined);
    const signal = sliceDeadline(10);
    assert.ok(signal);
    assert.equal(signal.aborted, false);
  });
});
