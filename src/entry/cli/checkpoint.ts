import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { errorMessage } from '../../shared/failure.js';
import { parseRunState, type RunState, serializeRunState } from '../../sync/reconcile/runState.js';

/**
 * How long a checkpoint stays usable. Cognito does not document how long a
 * ListUsers `PaginationToken` stays valid (assumed: at least this long); a
 * token it refuses makes its shard start over anyway, so this bound only
 * keeps a run from resuming a listing that is too stale to be worth it.
 */
export const CHECKPOINT_MAX_AGE_MS = 60 * 60 * 1000;

/** What a checkpoint file holds. */
interface CheckpointFile {
  /** Format version. */
  readonly version: 2;
  /** When it was written (ISO 8601). */
  readonly savedAt: string;
  /** The run's state without its fingerprints (JSON text, see `serializeRunState`). */
  readonly state: string;
  /** The fingerprints of the users listed so far, base64. */
  readonly listed: string;
}

/** Whether a checkpoint was found and can be used, and if not, why. */
export type CheckpointRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'usable'; readonly state: RunState; readonly savedAt: string }
  | { readonly kind: 'ignored'; readonly reason: string };

/**
 * Reads a checkpoint file and decides whether this run may continue it: only
 * for the same pool and table, and only within {@link CHECKPOINT_MAX_AGE_MS}.
 */
export async function readCheckpoint(
  path: string,
  run: { readonly userPoolId: string; readonly tableName: string; readonly now: Date },
): Promise<CheckpointRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'ignored', reason: `cannot read it (${errorMessage(error)})` };
  }
  let data: Partial<CheckpointFile>;
  try {
    data = JSON.parse(text) as Partial<CheckpointFile>;
  } catch {
    return { kind: 'ignored', reason: 'it is not valid JSON' };
  }
  if (
    data?.version !== 2 ||
    typeof data.state !== 'string' ||
    typeof data.listed !== 'string' ||
    typeof data.savedAt !== 'string'
  ) {
    return { kind: 'ignored', reason: 'it is not a checkpoint of this version' };
  }
  let state: RunState;
  try {
    state = parseRunState({ body: data.state, blob: Buffer.from(data.listed, 'base64') });
  } catch (error) {
    return { kind: 'ignored', reason: errorMessage(error) };
  }
  if (state.userPoolId !== run.userPoolId || state.tableName !== run.tableName) {
    return { kind: 'ignored', reason: 'it was written for another pool or table' };
  }
  const age = run.now.getTime() - Date.parse(data.savedAt);
  if (!Number.isFinite(age) || age > CHECKPOINT_MAX_AGE_MS || age < 0) {
    return {
      kind: 'ignored',
      reason: `it is older than ${CHECKPOINT_MAX_AGE_MS / 60_000} minutes`,
    };
  }
  return { kind: 'usable', state, savedAt: data.savedAt };
}

/** Writes a run's state as a checkpoint, atomically (a temporary file renamed over the old one). */
export async function writeCheckpoint(path: string, state: RunState, now: Date): Promise<void> {
  const serialized = serializeRunState(state);
  const file: CheckpointFile = {
    version: 2,
    savedAt: now.toISOString(),
    state: serialized.body,
    listed: Buffer.from(serialized.blob).toString('base64'),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file)}\n`, 'utf8');
  await rename(temporary, path);
}

/** Removes a checkpoint (after a run that went to its end). */
export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
