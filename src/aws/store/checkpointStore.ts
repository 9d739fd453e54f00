/**
 * The checkpoint of a long run in the state table: its segments
 * (`checkpointSegments.ts`), its lease (`checkpointLease.ts`) and its
 * deletion (`checkpointClear.ts`), laid out as `checkpointLayout.ts` says.
 */
export {
  CHECKPOINT_CHUNK_CONCURRENCY,
  type CheckpointStoreOptions,
} from './checkpointCalls.js';
export { type ClearCheckpointOptions, clearCheckpoint } from './checkpointClear.js';
export {
  CHECKPOINT_CHUNK_BYTES,
  CHECKPOINT_FORMAT,
  CHECKPOINT_SEGMENT_BYTES,
  CHECKPOINT_TTL_SECONDS,
  MAX_CHECKPOINT_BODY_BYTES,
  MAX_CHECKPOINT_SEGMENTS,
} from './checkpointLayout.js';
export {
  type AcquireLeaseOptions,
  acquireLease,
  type ReleaseLeaseOptions,
  releaseLease,
} from './checkpointLease.js';
export {
  type Checkpoint,
  type CheckpointAppend,
  loadCheckpoint,
  type SaveCheckpointOptions,
  type StoredCheckpoint,
  saveCheckpoint,
} from './checkpointSegments.js';
