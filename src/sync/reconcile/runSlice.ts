/**
 * One invocation's part of a run that spans several (a slice): take the
 * run's lease, load the saved run (or discard one that cannot be rebuilt),
 * and, once reconcile has stopped, save what changed or forget the run.
 * The scheduled function's handler calls these around `reconcile`.
 */
import { randomUUID } from 'node:crypto';
import { CheckpointCorruptError } from '../../shared/errors.js';
import { errorMessage } from '../../shared/failure.js';
import type { RunCheckpoints, SavedRun } from './runCheckpoints.js';
import { parseRunState, type RunState } from './runState.js';

/** Why an invocation did not run reconcile. */
export type SliceSkipReason = 'no run in progress' | 'run held by another invocation';

/** The lease an invocation takes on the run. */
export interface SliceLease {
  /** Who holds it: the invocation's request id. */
  readonly owner: string;
  /** Until when, epoch ms. */
  readonly until: number;
  /** When it was taken, epoch ms. */
  readonly now: number;
}

/** What an invocation starts with. */
export type SliceStart =
  | {
      /** Nothing to do. */
      readonly kind: 'skip';
      /** Why. */
      readonly skipped: SliceSkipReason;
    }
  | {
      /** Run reconcile, continuing `state` (or a new run when it is `undefined`). */
      readonly kind: 'run';
      /** The run to continue, if any. */
      readonly state: RunState | undefined;
      /** What was loaded: the base the save at the end builds on. */
      readonly saved: SavedRun;
      /** Why a saved run was discarded (corrupt, of another format, unreadable), if one was. */
      readonly unreadable?: string;
    };

/**
 * The lease of an invocation: owned by its request id (a random id without
 * one), held until its time runs out (at least 1 s; 15 minutes when the time
 * left is unknown: no context, or one that cannot tell it).
 */
export function sliceLease(
  invocation: { readonly owner?: string | undefined; readonly remainingMs: number | undefined },
  now: number,
): SliceLease {
  return {
    owner: invocation.owner ?? randomUUID(),
    now,
    until: now + Math.max(1000, invocation.remainingMs ?? 15 * 60_000),
  };
}

/**
 * Takes the run's lease and loads the run in progress. A checkpoint that
 * cannot be rebuilt (a segment missing or damaged, or of another format) is
 * deleted under the lease and a new run starts, even on a continuation
 * event; so does one whose state cannot be read. A continuation event that
 * finds no run forgets the empty checkpoint the lease created and skips.
 *
 * @throws TableReadError or TableWriteError when the state table cannot be used
 */
export async function startSlice(
  checkpoints: RunCheckpoints,
  lease: SliceLease,
  options: { readonly continuation: boolean },
): Promise<SliceStart> {
  if (!(await checkpoints.acquire(lease.owner, lease.until, lease.now))) {
    return { kind: 'skip', skipped: 'run held by another invocation' };
  }
  const { saved, discarded } = await loadOrDiscard(checkpoints, lease);
  let state: RunState | undefined;
  let unreadable = discarded;
  if (saved.state) {
    try {
      state = parseRunState(saved.state);
    } catch (error) {
      unreadable = errorMessage(error);
    }
  }
  if (!saved.state && unreadable === undefined && options.continuation) {
    await checkpoints.clear(lease.owner);
    return { kind: 'skip', skipped: 'no run in progress' };
  }
  return { kind: 'run', state, saved, ...(unreadable !== undefined ? { unreadable } : {}) };
}

/**
 * Ends an invocation's part of the run: with the state reconcile stopped at,
 * saves it over `saved` (only what changed) and releases the lease so that
 * the next invocation may go on at once; without one (the run went to its
 * end), deletes the checkpoint.
 *
 * @returns `saved` or `cleared`
 * @throws CheckpointConflictError when the lease was lost meanwhile
 * @throws TableWriteError when the state table cannot be written
 */
export async function finishSlice(
  checkpoints: RunCheckpoints,
  lease: SliceLease,
  saved: SavedRun,
  state: RunState | undefined,
): Promise<'saved' | 'cleared'> {
  if (!state) {
    await checkpoints.clear(lease.owner);
    return 'cleared';
  }
  await checkpoints.save(state, saved, lease.owner);
  await checkpoints.release(lease.owner);
  return 'saved';
}

async function loadOrDiscard(
  checkpoints: RunCheckpoints,
  lease: SliceLease,
): Promise<{ saved: SavedRun; discarded?: string }> {
  try {
    return { saved: await checkpoints.load() };
  } catch (error) {
    if (!(error instanceof CheckpointCorruptError)) throw error;
    await checkpoints.clear(lease.owner);
    await checkpoints.acquire(lease.owner, lease.until, lease.now);
    return { saved: await checkpoints.load(), discarded: errorMessage(error) };
  }
}
