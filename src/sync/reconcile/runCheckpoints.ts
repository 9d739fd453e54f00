import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { segmentCount } from '../../aws/store/checkpointLayout.js';
import {
  acquireLease,
  type Checkpoint,
  type CheckpointAppend,
  clearCheckpoint,
  loadCheckpoint,
  MAX_CHECKPOINT_SEGMENTS,
  releaseLease,
  saveCheckpoint,
} from '../../aws/store/checkpointStore.js';
import { type RunState, type SerializedRunState, serializeRunStateBody } from './runState.js';

/** A saved run and the generation to save its successor over. */
export interface SavedRun {
  /** The run's state as saved; `undefined` when no run is in progress. */
  readonly state: SerializedRunState | undefined;
  /** The checkpoint's generation (see `saveCheckpoint`). */
  readonly generation: number | undefined;
  /** How many segment items the saved fingerprints take. @default 0 */
  readonly segments?: number;
}

/**
 * Where the scheduled reconcile keeps the run it is in the middle of. Each
 * call takes an optional `signal`: once it aborts (the invocation's
 * deadline), the call and its retries stop and it rejects.
 */
export interface RunCheckpoints {
  /** Takes (or renews) the run's lease until `until`; `false` when another invocation holds it. */
  acquire(owner: string, until: number, now: number, signal?: AbortSignal): Promise<boolean>;
  /** The run in progress, if any. */
  load(signal?: AbortSignal): Promise<SavedRun>;
  /**
   * Saves the run's state over `saved` (what {@link RunCheckpoints.load}
   * returned); returns the new generation. Only what changed since is
   * written when `state` continues `saved`.
   */
  save(state: RunState, saved: SavedRun, owner: string, signal?: AbortSignal): Promise<number>;
  /** Ends the lease at once, so that the next invocation can continue without waiting. */
  release(owner: string, signal?: AbortSignal): Promise<void>;
  /** Forgets the run (it went to its end). */
  clear(owner: string, signal?: AbortSignal): Promise<void>;
}

/** Options of {@link createRunCheckpoints}. */
export interface RunCheckpointsOptions {
  /** The state table (partition key `id`, a string). */
  readonly tableName: string;
  /** The pool whose run is saved. */
  readonly userPoolId: string;
  /** The table the run fills. */
  readonly userTableName: string;
}

/**
 * What a save of `state` over `saved` writes: only the body and the
 * fingerprints added since (appended as new segments) when the stored
 * fingerprints are exactly those the state read back, else everything. So a
 * state that does not continue the stored one (a new run over an unreadable
 * state, say) replaces it, and the segments are compacted into a whole save
 * once they pass their {@link segmentBudget}. Pure.
 */
export function checkpointFor(state: RunState, saved: SavedRun): Checkpoint | CheckpointAppend {
  const body = serializeRunStateBody(state);
  const storedBytes = saved.state?.blob.byteLength ?? 0;
  const continues =
    state.listed.savedSize * 8 === storedBytes &&
    (saved.state !== undefined || (saved.segments ?? 0) === 0);
  if (continues) {
    const append = state.listed.unsavedBytes();
    const segments = (saved.segments ?? 0) + segmentCount(append.byteLength);
    if (segments <= segmentBudget(storedBytes + append.byteLength)) return { body, append };
  }
  return { body, blob: state.listed.toBytes() };
}

/**
 * Most segments a checkpoint of `bytes` bytes may take before a save writes it
 * whole again: twice the fewest it could take, plus 8, and never more than
 * {@link MAX_CHECKPOINT_SEGMENTS}. Each save that adds fingerprints adds a
 * segment, often a short one; this keeps the items a load reads close to the
 * fewest (a pool listed in many short invocations would otherwise leave one
 * small segment per invocation), at the price of a whole save now and then,
 * which costs little exactly when segments are short.
 */
export function segmentBudget(bytes: number): number {
  return Math.min(MAX_CHECKPOINT_SEGMENTS, 2 * segmentCount(bytes) + 8);
}

/**
 * The run checkpoints of one pool and table in the state table: one item
 * `reconcile#<pool>#<table>` (plus segments of the listed users'
 * fingerprints, each save adding those listed since the one before), leased
 * to one invocation at a time.
 */
export function createRunCheckpoints(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: RunCheckpointsOptions,
): RunCheckpoints {
  const id = `reconcile#${options.userPoolId}#${options.userTableName}`;
  const at = (signal: AbortSignal | undefined) => ({
    tableName: options.tableName,
    id,
    ...(signal ? { signal } : {}),
  });
  return {
    acquire: (owner, until, now, signal) =>
      acquireLease(client, { ...at(signal), owner, until, now }),
    load: async (signal) => {
      const saved = await loadCheckpoint(client, at(signal));
      if (!saved) return { state: undefined, generation: undefined, segments: 0 };
      return {
        state: saved.body === '' ? undefined : { body: saved.body, blob: saved.blob },
        generation: saved.generation,
        segments: saved.segments,
      };
    },
    save: (state, saved, owner, signal) =>
      saveCheckpoint(client, {
        ...at(signal),
        checkpoint: checkpointFor(state, saved),
        expectedGeneration: saved.generation,
        owner,
      }),
    release: async (owner, signal) => {
      await releaseLease(client, { ...at(signal), owner });
    },
    clear: (owner, signal) => clearCheckpoint(client, { ...at(signal), owner }),
  };
}
