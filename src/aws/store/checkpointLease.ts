/**
 * The lease on a checkpoint's head: one owner at a time may save or clear it.
 * No clock is compared on a save: a lease of ours that expired is still ours
 * until someone else takes it.
 */
import {
  type CheckpointClient,
  type CheckpointStoreOptions,
  checkOwner,
  checkStore,
  updateHeadIf,
} from './checkpointCalls.js';
import { expiresAtFor, HEAD } from './checkpointLayout.js';

/** Options of {@link acquireLease}. */
export interface AcquireLeaseOptions extends CheckpointStoreOptions {
  /** Who takes the lease. */
  readonly owner: string;
  /** Until when, epoch ms (after `now`). */
  readonly until: number;
  /** The current time, epoch ms: a lease whose `leaseUntil` is before it has expired. */
  readonly now: number;
}

/** Options of {@link releaseLease}. */
export interface ReleaseLeaseOptions extends CheckpointStoreOptions {
  /** Who releases: only the holder's release has an effect. */
  readonly owner: string;
}

/**
 * Takes or renews the lease on the checkpoint's head, creating the head
 * (generation 0, an empty checkpoint) when there is none. It succeeds when
 * nobody holds the lease, when the lease expired (`leaseUntil < now`), or
 * when `owner` already holds it; the head's TTL is pushed back either way.
 * The checkpoint itself (generation, segments, body) is left as it is.
 *
 * @returns `true` when `owner` now holds the lease until `until`, `false` when someone else holds it
 * @throws Error when `owner` is empty or `until` is not after `now`
 * @throws TableWriteError when the state table cannot be written, saying why
 */
export async function acquireLease(
  client: CheckpointClient,
  options: AcquireLeaseOptions,
): Promise<boolean> {
  checkStore(options);
  checkOwner(options.owner);
  if (!Number.isFinite(options.now) || !Number.isFinite(options.until)) {
    throw new Error(
      `acquireLease: now and until must be epoch milliseconds, got ${options.now} and ${options.until}`,
    );
  }
  if (options.until <= options.now) {
    throw new Error(
      `acquireLease: until (${options.until}) must be after now (${options.now}), or the lease is born expired`,
    );
  }
  return updateHeadIf(client, options, 'take the lease', {
    UpdateExpression: [
      'SET #owner = :owner, #until = :until, #ttl = :ttl',
      '#generation = if_not_exists(#generation, :zero)',
      '#reserved = if_not_exists(#reserved, :zero)',
      '#body = if_not_exists(#body, :body)',
    ].join(', '),
    ConditionExpression: 'attribute_not_exists(#owner) OR #owner = :owner OR #until < :now',
    ExpressionAttributeNames: {
      '#owner': HEAD.leaseOwner,
      '#until': HEAD.leaseUntil,
      '#ttl': HEAD.expiresAt,
      '#generation': HEAD.generation,
      '#reserved': HEAD.reserved,
      '#body': HEAD.body,
    },
    ExpressionAttributeValues: {
      ':owner': options.owner,
      ':until': options.until,
      ':now': options.now,
      ':ttl': expiresAtFor(options.now),
      ':zero': 0,
      ':body': '',
    },
  });
}

/**
 * Ends `owner`'s lease at once (its `leaseUntil` set to 0), so that the next
 * invocation may take it without waiting for it to expire. The owner stays
 * recorded; a lease held by someone else is left alone.
 *
 * @returns whether the lease was ours and is now released
 * @throws TableWriteError when the state table cannot be written, saying why
 */
export async function releaseLease(
  client: CheckpointClient,
  options: ReleaseLeaseOptions,
): Promise<boolean> {
  checkStore(options);
  checkOwner(options.owner);
  return updateHeadIf(client, options, 'release the lease', {
    UpdateExpression: 'SET #until = :released',
    ConditionExpression: '#owner = :owner',
    ExpressionAttributeNames: { '#owner': HEAD.leaseOwner, '#until': HEAD.leaseUntil },
    ExpressionAttributeValues: { ':owner': options.owner, ':released': 0 },
  });
}
