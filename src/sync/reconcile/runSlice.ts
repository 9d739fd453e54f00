/**
 * One invocation's part of a run that spans several (a slice): take the
 * run's lease, load the saved run (or discard one that cannot be rebuilt),
 * run reconcile until only the invocation's reserve is left, and save what
 * changed or forget the run. The scheduled function's handler runs one
 * slice per invocation ({@link runSlice}) and logs what it did.
 */
import { randomUUID } from 'node:crypto';
import { CheckpointCorruptError } from '../../shared/errors.js';
import { errorMessage } from '../../shared/failure.js';
import type { ReconcileReport } from './reconcile.js';
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
  options: { readonly continuation: boolean; readonly signal?: AbortSignal | undefined },
): Promise<SliceStart> {
  const { signal } = options;
  if (!(await checkpoints.acquire(lease.owner, lease.until, lease.now, signal))) {
    return { kind: 'skip', skipped: 'run held by another invocation' };
  }
  const { saved, discarded } = await loadOrDiscard(checkpoints, lease, signal);
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
    await checkpoints.clear(lease.owner, signal);
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
  signal?: AbortSignal,
): Promise<'saved' | 'cleared'> {
  if (!state) {
    await checkpoints.clear(lease.owner, signal);
    return 'cleared';
  }
  await checkpoints.save(state, saved, lease.owner, signal);
  await checkpoints.release(lease.owner, signal);
  return 'saved';
}

async function loadOrDiscard(
  checkpoints: RunCheckpoints,
  lease: SliceLease,
  signal: AbortSignal | undefined,
): Promise<{ saved: SavedRun; discarded?: string }> {
  try {
    return { saved: await checkpoints.load(signal) };
  } catch (error) {
    if (!(error instanceof CheckpointCorruptError)) throw error;
    await checkpoints.clear(lease.owner, signal);
    await checkpoints.acquire(lease.owner, lease.until, lease.now, signal);
    return { saved: await checkpoints.load(signal), discarded: errorMessage(error) };
  }
}

/**
 * How much of an invocation is kept for settling the writes under way and
 * saving the checkpoint: a quarter of the time left when it starts, from 2 s
 * to 60 s.
 */
export function sliceReserveMs(remainingAtStartMs: number): number {
  return Math.min(60_000, Math.max(2_000, Math.floor(remainingAtStartMs / 4)));
}

/**
 * When a slice stops taking new pages: once the invocation has only its
 * reserve ({@link sliceReserveMs}) left. `undefined` (never) when the time
 * left cannot be told.
 *
 * @param remainingMs - milliseconds the invocation has left now, `undefined` when unknown
 */
export function sliceStop(remainingMs: () => number | undefined): (() => boolean) | undefined {
  const remainingAtStart = remainingMs();
  if (remainingAtStart === undefined) return undefined;
  const reserve = sliceReserveMs(remainingAtStart);
  return () => (remainingMs() ?? Number.POSITIVE_INFINITY) < reserve;
}

/** Milliseconds before the end of an invocation at which a slice's checkpoint calls stop. */
export const SLICE_DEADLINE_MARGIN_MS = 300;

/**
 * The deadline of a slice's checkpoint calls: a signal that aborts
 * {@link SLICE_DEADLINE_MARGIN_MS} before the invocation's time runs out
 * (after 100 ms at least); `undefined` (no deadline) when the time left
 * cannot be told.
 *
 * @param remainingAtStartMs - milliseconds the invocation had left when the slice started
 */
export function sliceDeadline(remainingAtStartMs: number | undefined): AbortSignal | undefined {
  if (remainingAtStartMs === undefined) return undefined;
  return AbortSignal.timeout(Math.max(100, remainingAtStartMs - SLICE_DEADLINE_MARGIN_MS));
}

/** The invocation a slice runs in. */
export interface SliceInvocation {
  /** Its request id (the lease owner). @default - a random id */
  readonly owner?: string | undefined;
  /** Milliseconds it has left now, `undefined` when that cannot be told. */
  remainingMs(): number | undefined;
}

/** Options of {@link runSlice}. */
export interface RunSliceOptions {
  /**
   * Where the run is kept between invocations. Without them, the slice is
   * one whole run (stopped when the invocation's reserve is reached).
   * @default - none
   */
  readonly checkpoints?: RunCheckpoints | undefined;
  /** The invocation. */
  readonly invocation: SliceInvocation;
  /** Whether the event only continues a run in progress (`CONTINUE_EVENT`): it never starts one. */
  readonly continuation: boolean;
  /** The current time, epoch ms. */
  readonly now: number;
  /** Runs reconcile, continuing `state` (a new run when `undefined`), stopping once `shouldStop` says so. */
  readonly reconcile: (
    state: RunState | undefined,
    shouldStop: (() => boolean) | undefined,
  ) => Promise<ReconcileReport>;
  /** Called before reconcile runs when a saved run was discarded, with why. @default - nothing */
  readonly onDiscarded?: (reason: string) => void;
}

/** What a slice did. */
export type SliceOutcome =
  | {
      /** Reconcile did not run. */
      readonly kind: 'skipped';
      /** Why. */
      readonly skipped: SliceSkipReason;
    }
  | {
      /** Reconcile ran, and the run is over: it went to its end, or it was a whole run without checkpoints. */
      readonly kind: 'ended';
      /** What it reported. */
      readonly report: ReconcileReport;
    }
  | {
      /** Reconcile ran and stopped; its state is saved for the next invocation. */
      readonly kind: 'saved';
      /** What it reported. */
      readonly report: ReconcileReport;
    };

/**
 * Runs one invocation's slice of a run. With `checkpoints`: takes the run's
 * lease and loads the run in progress ({@link startSlice}), skipping when
 * another invocation holds it or a continuation finds none; runs reconcile
 * from there until the invocation's reserve is reached ({@link sliceStop});
 * then saves where it stands and releases the lease, or forgets the run
 * once it went to its end ({@link finishSlice}). Without them: one whole run.
 *
 * The checkpoint's calls retry transient failures by reconcile's policy
 * (`withTransientRetry`) until the invocation's deadline
 * ({@link sliceDeadline}): at the deadline they stop and the slice rejects
 * with the last failure, rather than being cut off by the function's timeout.
 *
 * @throws what reconcile throws, and TableReadError, TableWriteError or
 *   CheckpointConflictError when the state table cannot be used
 */
export async function runSlice(options: RunSliceOptions): Promise<SliceOutcome> {
  const { checkpoints, invocation } = options;
  if (!checkpoints) {
    return {
      kind: 'ended',
      report: await options.reconcile(undefined, sliceStop(invocation.remainingMs)),
    };
  }
  const remainingAtStart = invocation.remainingMs();
  const lease = sliceLease({ owner: invocation.owner, remainingMs: remainingAtStart }, options.now);
  const signal = sliceDeadline(remainingAtStart);
  const start = await startSlice(checkpoints, lease, {
    continuation: options.continuation,
    signal,
  });
  if (start.kind === 'skip') return { kind: 'skipped', skipped: start.skipped };
  if (start.unreadable !== undefined) options.onDiscarded?.(start.unreadable);
  const report = await options.reconcile(start.state, sliceStop(invocation.remainingMs));
  const finished = await finishSlice(checkpoints, lease, start.saved, report.state, signal);
  return { kind: finished === 'cleared' ? 'ended' : 'saved', report };
}
