import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { errorMessage } from '../domain/failure.js';

/**
 * How long a checkpoint stays usable. Cognito does not document how long a
 * ListUsers `PaginationToken` stays valid (assumed: at least this long); a
 * token it refuses makes the listing start over anyway, so this bound only
 * keeps a run from resuming a listing that is too stale to be worth it.
 */
export const CHECKPOINT_MAX_AGE_MS = 60 * 60 * 1000;

/** What a checkpoint file holds. */
export interface Checkpoint {
  /** Format version. */
  readonly version: 1;
  /** The pool of the run that wrote it: a checkpoint is only used for the same pool… */
  readonly userPoolId: string;
  /** …and the same table. */
  readonly tableName: string;
  /** The token of the first ListUsers page not yet listed. */
  readonly paginationToken: string;
  /** When it was written (ISO 8601). */
  readonly savedAt: string;
}

/** Whether a checkpoint was found and can be used, and if not, why. */
export type CheckpointRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'usable'; readonly checkpoint: Checkpoint }
  | { readonly kind: 'ignored'; readonly reason: string };

/**
 * Reads a checkpoint file and decides whether this run may resume from it:
 * only for the same pool and table, and only within {@link CHECKPOINT_MAX_AGE_MS}.
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
  let data: Partial<Checkpoint>;
  try {
    data = JSON.parse(text) as Partial<Checkpoint>;
  } catch {
    return { kind: 'ignored', reason: 'it is not valid JSON' };
  }
  if (data?.version !== 1 || typeof data.paginationToken !== 'string' || !data.savedAt) {
    return { kind: 'ignored', reason: 'it is not a checkpoint of this version' };
  }
  if (data.userPoolId !== run.userPoolId || data.tableName !== run.tableName) {
    return { kind: 'ignored', reason: 'it was written for another pool or table' };
  }
  const age = run.now.getTime() - Date.parse(data.savedAt);
  if (!Number.isFinite(age) || age > CHECKPOINT_MAX_AGE_MS || age < 0) {
    return {
      kind: 'ignored',
      reason: `it is older than ${CHECKPOINT_MAX_AGE_MS / 60_000} minutes`,
    };
  }
  return { kind: 'usable', checkpoint: data as Checkpoint };
}

/** Writes a checkpoint atomically (a temporary file renamed over the old one). */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint)}\n`, 'utf8');
  await rename(temporary, path);
}

/** Removes a checkpoint (after a run that listed the whole pool). */
export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
