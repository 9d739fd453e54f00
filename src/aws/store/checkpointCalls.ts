/**
 * The DynamoDB calls every part of the checkpoint store shares: retries,
 * translated failures, the head read, conditional head updates, best-effort
 * deletes and the conflict error that says what the head holds.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { CheckpointConflictError, TableReadError, TableWriteError } from '../../shared/errors.js';
import { isConditionFailure, isTransient } from '../../shared/failure.js';
import { RECONCILE_MAX_ATTEMPTS, type RetryOptions, withRetry } from '../../shared/retry.js';
import { HEAD } from './checkpointLayout.js';
import { forEachIndex } from './forEachIndex.js';
import { describeFailure } from './userTable.js';

/** Segment items written, read or deleted at the same time. */
export const CHECKPOINT_CHUNK_CONCURRENCY = 4;

/** The client the checkpoint store calls. */
export type CheckpointClient = Pick<DynamoDBDocumentClient, 'send'>;

/** Where a checkpoint lives. */
export interface CheckpointStoreOptions {
  /** The state table (partition key `id`, a string). */
  readonly tableName: string;
  /** The checkpoint's key, e.g. `reconcile#<poolId>#<table>`; segment items are keyed `<id>#<generation>#<n>`. */
  readonly id: string;
  /** Backoff on transient errors, per call. @default - {@link RECONCILE_MAX_ATTEMPTS} attempts from 100 ms */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  /** Stops the calls (and the waits between them) when signalled. @default - never */
  readonly signal?: AbortSignal;
}

/** Reads the head item (strongly consistent), `undefined` when there is none. */
export async function readHead(
  client: CheckpointClient,
  options: CheckpointStoreOptions,
): Promise<Record<string, unknown> | undefined> {
  const answer = await reading(options, 'the head', () =>
    client.send(
      new GetCommand({
        TableName: options.tableName,
        Key: { [HEAD.id]: options.id },
        ConsistentRead: true,
      }),
      callOptions(options),
    ),
  );
  return answer.Item;
}

/** The generation the head points at now, `undefined` when it cannot be told. */
export async function committedGeneration(
  client: CheckpointClient,
  options: CheckpointStoreOptions,
): Promise<number | undefined> {
  try {
    const generation = (await readHead(client, options))?.[HEAD.generation];
    return typeof generation === 'number' ? generation : undefined;
  } catch {
    return undefined;
  }
}

/** The conflict error, saying what the head holds now when it can be read. */
export async function conflict(
  client: CheckpointClient,
  options: CheckpointStoreOptions & {
    readonly owner: string;
    readonly expectedGeneration?: number | undefined;
  },
  cause: unknown,
): Promise<CheckpointConflictError> {
  let now = 'the head could not be read back';
  try {
    const head = await readHead(client, options);
    now = head
      ? `the head is at generation ${head[HEAD.generation] ?? 'none'} with the lease ${
          typeof head[HEAD.leaseOwner] === 'string'
            ? `held by "${head[HEAD.leaseOwner]}"`
            : 'held by no one'
        }`
      : 'there is no head';
  } catch {
    // The message says the head could not be read.
  }
  const expected =
    'expectedGeneration' in options
      ? `generation ${options.expectedGeneration ?? 'none (no checkpoint yet)'} with the lease held by "${options.owner}"`
      : `the lease held by "${options.owner}"`;
  return new CheckpointConflictError(
    `${describeCheckpoint(options)}: expected ${expected}, but ${now}`,
    { cause },
  );
}

/** Deletes items by key, {@link CHECKPOINT_CHUNK_CONCURRENCY} at a time, ignoring failures (leftovers expire through the TTL). */
export async function deleteItemsQuietly(
  client: CheckpointClient,
  options: CheckpointStoreOptions,
  ids: readonly string[],
): Promise<void> {
  await forEachIndex(ids.length, CHECKPOINT_CHUNK_CONCURRENCY, (n) =>
    client
      .send(
        new DeleteCommand({ TableName: options.tableName, Key: { [HEAD.id]: ids[n] } }),
        callOptions(options),
      )
      .then(
        () => {},
        () => {},
      ),
  );
}

/** A conditional UpdateItem of the head: `false` when its condition fails. */
export async function updateHeadIf(
  client: CheckpointClient,
  options: CheckpointStoreOptions,
  what: string,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
): Promise<boolean> {
  try {
    await writing(options, what, () =>
      client.send(
        new UpdateCommand({
          TableName: options.tableName,
          Key: { [HEAD.id]: options.id },
          ...update,
        }),
        callOptions(options),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Runs a read with retries.
 *
 * @throws TableReadError naming `what` and why, once the retries are spent
 */
export async function reading<T>(
  options: CheckpointStoreOptions,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await retrying(options, work);
  } catch (error) {
    throw new TableReadError(
      `${describeCheckpoint(options)}: could not read ${what}: ${describeFailure(error)}`,
      { cause: error },
    );
  }
}

/**
 * Runs a write with retries; a failed condition is rethrown as it is.
 *
 * @throws TableWriteError naming `what` and why, once the retries are spent
 */
export async function writing<T>(
  options: CheckpointStoreOptions,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await retrying(options, work);
  } catch (error) {
    if (isConditionFailure(error)) throw error;
    throw new TableWriteError(
      `${describeCheckpoint(options)}: could not ${what}: ${describeFailure(error)}`,
      { cause: error },
    );
  }
}

function retrying<T>(options: CheckpointStoreOptions, work: () => Promise<T>): Promise<T> {
  return withRetry(work, {
    maxAttempts: RECONCILE_MAX_ATTEMPTS,
    ...options.retry,
    ...(options.signal ? { signal: options.signal } : {}),
    isRetryable: isTransient,
  });
}

/** The SDK call options: the abort signal, if any. */
export function callOptions(options: CheckpointStoreOptions): { abortSignal?: AbortSignal } {
  return options.signal ? { abortSignal: options.signal } : {};
}

export { isConditionFailure } from '../../shared/failure.js';

/** `checkpoint "<id>" in table "<table>"`, for messages. */
export function describeCheckpoint(options: CheckpointStoreOptions): string {
  return `checkpoint "${options.id}" in table "${options.tableName}"`;
}

/**
 * Checks where a checkpoint lives.
 *
 * @throws Error when the table name or the id is empty
 */
export function checkStore(options: CheckpointStoreOptions): void {
  if (typeof options.tableName !== 'string' || options.tableName === '') {
    throw new Error('checkpoint store: tableName must be a non-empty string');
  }
  if (typeof options.id !== 'string' || options.id === '') {
    throw new Error('checkpoint store: id must be a non-empty string');
  }
}

/**
 * Checks a lease owner.
 *
 * @throws Error when it is not a non-empty string
 */
export function checkOwner(owner: unknown): void {
  if (typeof owner !== 'string' || owner === '') {
    throw new Error(`checkpoint store: owner must be a non-empty string, got ${String(owner)}`);
  }
}
