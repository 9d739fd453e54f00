import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  acquireLease,
  clearCheckpoint,
  loadCheckpoint,
  releaseLease,
  saveCheckpoint,
} from '../store/checkpointStore.js';
import type { SerializedRunState } from './runState.js';

/** A saved run and the generation to save its successor over. */
export interface SavedRun {
  /** The run's state as saved; `undefined` when no run is in progress. */
  readonly state: SerializedRunState | undefined;
  /** The checkpoint's generation (see `saveCheckpoint`). */
  readonly generation: number | undefined;
}

/** Where the scheduled reconcile keeps the run it is in the middle of. */
export interface RunCheckpoints {
  /** Takes (or renews) the run's lease until `until`; `false` when another invocation holds it. */
  acquire(owner: string, until: number, now: number): Promise<boolean>;
  /** The run in progress, if any. */
  load(): Promise<SavedRun>;
  /** Saves the run's state over `generation`; returns the new generation. */
  save(state: SerializedRunState, generation: number | undefined, owner: string): Promise<number>;
  /** Ends the lease at once, so that the next invocation can continue without waiting. */
  release(owner: string): Promise<void>;
  /** Forgets the run (it went to its end). */
  clear(owner: string): Promise<void>;
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
 * The run checkpoints of one pool and table in the state table: one item
 * `reconcile#<pool>#<table>` (plus chunks of the listed users'
 * fingerprints), leased to one invocation at a time.
 */
export function createRunCheckpoints(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: RunCheckpointsOptions,
): RunCheckpoints {
  const store = {
    tableName: options.tableName,
    id: `reconcile#${options.userPoolId}#${options.userTableName}`,
  };
  return {
    acquire: (owner, until, now) => acquireLease(client, { ...store, owner, until, now }),
    load: async () => {
      const saved = await loadCheckpoint(client, store);
      if (!saved) return { state: undefined, generation: undefined };
      return {
        state: saved.body === '' ? undefined : { body: saved.body, blob: saved.blob },
        generation: saved.generation,
      };
    },
    save: (state, generation, owner) =>
      saveCheckpoint(client, {
        ...store,
        checkpoint: state,
        expectedGeneration: generation,
        owner,
      }),
    release: async (owner) => {
      await releaseLease(client, { ...store, owner });
    },
    clear: (owner) => clearCheckpoint(client, { ...store, owner }),
  };
}
