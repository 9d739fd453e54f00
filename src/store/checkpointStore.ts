import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { errorName, isTransient } from '../domain/failure.js';
import {
  CheckpointConflictError,
  CheckpointCorruptError,
  TableReadError,
  TableWriteError,
} from '../errors.js';
import { RECONCILE_MAX_ATTEMPTS, type RetryOptions, withRetry } from '../reconcile/retry.js';
import {
  blobSha256,
  CHECKPOINT_CHUNK_BYTES,
  CHUNK_DATA_ATTRIBUTE,
  type CheckpointHead,
  chunkCount,
  chunkItemId,
  chunkOf,
  expectedChunkLength,
  expiresAtFor,
  HEAD,
  MAX_CHECKPOINT_BODY_BYTES,
  parseHead,
} from './checkpointLayout.js';
import { describeFailure } from './userTable.js';

export {
  CHECKPOINT_CHUNK_BYTES,
  CHECKPOINT_TTL_ATTRIBUTE,
  CHECKPOINT_TTL_SECONDS,
  MAX_CHECKPOINT_BODY_BYTES,
} from './checkpointLayout.js';

/** Chunk items written, read or deleted at the same time. */
export const CHECKPOINT_CHUNK_CONCURRENCY = 4;

/** The state of a long run. */
export interface Checkpoint {
  /** Small state as text (JSON by convention), at most {@link MAX_CHECKPOINT_BODY_BYTES} UTF-8 bytes. */
  readonly body: string;
  /** Bulk state of any size (e.g. 80 MB), stored in chunks. */
  readonly blob: Uint8Array;
}

/** A checkpoint as loaded, with its generation and lease. */
export interface StoredCheckpoint extends Checkpoint {
  /** The generation to pass as `expectedGeneration` to the next save (0: the empty checkpoint a lease creates). */
  readonly generation: number;
  /** Who holds (or last held) the lease. @default - no lease was ever taken */
  readonly leaseOwner?: string;
  /** Until when the lease is held, epoch ms. @default - no lease was ever taken */
  readonly leaseUntil?: number;
}

/** Where a checkpoint lives. */
export interface CheckpointStoreOptions {
  /** The state table (partition key `id`, a string). */
  readonly tableName: string;
  /** The checkpoint's key, e.g. `reconcile#<poolId>#<table>`; chunk items are keyed `<id>#<generation>#<n>`. */
  readonly id: string;
  /** Backoff on transient errors, per call. @default - {@link RECONCILE_MAX_ATTEMPTS} attempts from 100 ms */
  readonly retry?: Omit<RetryOptions, 'isRetryable'>;
  /** Stops the calls (and the waits between them) when signalled. @default - never */
  readonly signal?: AbortSignal;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions extends CheckpointStoreOptions {
  /** What to save. */
  readonly checkpoint: Checkpoint;
  /** The generation the head must still be at (from {@link loadCheckpoint}); `undefined`: no checkpoint yet (and no lease held by another owner). */
  readonly expectedGeneration: number | undefined;
  /**
   * Who saves: the head's lease must name this owner. A lease of ours that
   * expired is still ours until someone else takes it (no clock is compared).
   */
  readonly owner: string;
  /** The current time, epoch ms, for the items' TTL. @default Date.now() */
  readonly now?: number;
}

/** Options of {@link acquireLease}. */
export interface AcquireLeaseOptions extends CheckpointStoreOptions {
  /** Who takes the lease. */
  readonly owner: string;
  /** Until when, epoch ms (after `now`). */
  readonly until: number;
  /** The current time, epoch ms: a lease whose `leaseUntil` is before it has expired. */
  readonly now: number;
}

/** Options of {@link clearCheckpoint}. */
export interface ClearCheckpointOptions extends CheckpointStoreOptions {
  /** Who clears: the head's lease must be held by this owner. */
  readonly owner: string;
}

/**
 * Reads the current checkpoint (strongly consistent reads), or `undefined`
 * when there is none. The blob is checked against the head: chunk count,
 * each chunk's length, total length and SHA-256.
 *
 * @throws CheckpointCorruptError when a chunk is missing or does not match the head
 * @throws TableReadError when the state table cannot be read, saying why
 */
export async function loadCheckpoint(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: CheckpointStoreOptions,
): Promise<StoredCheckpoint | undefined> {
  checkStore(options);
  const where = describeCheckpoint(options);
  const item = await readHead(client, options);
  if (item === undefined) return undefined;
  const head = parseHead(item, where);
  if (head === undefined) return undefined;
  const blob = new Uint8Array(head.bytes);
  await forEachIndex(head.chunks, CHECKPOINT_CHUNK_CONCURRENCY, async (n) => {
    const key = chunkItemId(options.id, head.generation, n);
    const answer = await reading(options, `chunk ${n} of ${head.chunks}`, () =>
      client.send(
        new GetCommand({
          TableName: options.tableName,
          Key: { [HEAD.id]: key },
          ConsistentRead: true,
          ProjectionExpression: '#data',
          ExpressionAttributeNames: { '#data': CHUNK_DATA_ATTRIBUTE },
        }),
        callOptions(options),
      ),
    );
    const data = answer.Item?.[CHUNK_DATA_ATTRIBUTE];
    if (!(data instanceof Uint8Array)) {
      throw new CheckpointCorruptError(
        `${where}: chunk ${n} of ${head.chunks} of generation ${head.generation} is missing`,
      );
    }
    const expected = expectedChunkLength(head, n);
    if (data.byteLength !== expected) {
      throw new CheckpointCorruptError(
        `${where}: chunk ${n} of ${head.chunks} of generation ${head.generation} has ${data.byteLength} bytes, expected ${expected}`,
      );
    }
    blob.set(data, n * head.chunkBytes);
  });
  if (blobSha256(blob) !== head.sha256) {
    throw new CheckpointCorruptError(
      `${where}: the blob of generation ${head.generation} does not match the SHA-256 its head records`,
    );
  }
  return {
    body: head.body,
    blob,
    generation: head.generation,
    ...(head.leaseOwner !== undefined ? { leaseOwner: head.leaseOwner } : {}),
    ...(head.leaseUntil !== undefined ? { leaseUntil: head.leaseUntil } : {}),
  };
}

/**
 * Saves a new generation of the checkpoint:
 * 1. takes a fresh generation number from the head's `reserved` counter, on
 *    the condition below (so a stale or foreign save fails before writing
 *    anything big, and no two saves ever share chunk items);
 * 2. writes the blob's chunks ({@link CHECKPOINT_CHUNK_CONCURRENCY} at a time);
 * 3. points the head at them, on the condition that the head is still at
 *    `expectedGeneration` and its lease held by `owner`;
 * 4. deletes the previous generation's chunks (best effort: leftovers expire
 *    through the TTL).
 * Until step 3 succeeds the previous checkpoint stays whole and current: a
 * crash anywhere leaves it loadable.
 *
 * @returns the new generation (numbers grow, with gaps after failed saves)
 * @throws Error when the options are invalid (a body over {@link MAX_CHECKPOINT_BODY_BYTES} bytes, no owner…)
 * @throws CheckpointConflictError when the head moved to another generation or another owner holds the lease
 * @throws TableWriteError when the state table cannot be written, saying why
 */
export async function saveCheckpoint(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: SaveCheckpointOptions,
): Promise<number> {
  checkStore(options);
  checkOwner(options.owner);
  const { checkpoint, expectedGeneration } = options;
  if (
    expectedGeneration !== undefined &&
    !(Number.isSafeInteger(expectedGeneration) && expectedGeneration >= 0)
  ) {
    throw new Error(
      `saveCheckpoint: expectedGeneration must be a whole number >= 0 or undefined, got ${expectedGeneration}`,
    );
  }
  if (typeof checkpoint?.body !== 'string' || !(checkpoint.blob instanceof Uint8Array)) {
    throw new Error('saveCheckpoint: checkpoint must have a string body and a Uint8Array blob');
  }
  const bodyBytes = Buffer.byteLength(checkpoint.body, 'utf8');
  if (bodyBytes > MAX_CHECKPOINT_BODY_BYTES) {
    throw new Error(
      `saveCheckpoint: the checkpoint body is ${bodyBytes} bytes, at most ${MAX_CHECKPOINT_BODY_BYTES} fit in the head item; move bulk state to the blob`,
    );
  }
  const where = describeCheckpoint(options);
  const expiresAt = expiresAtFor(options.now ?? Date.now());
  const condition = saveCondition(expectedGeneration, options.owner);
  const sha256 = blobSha256(checkpoint.blob);

  // 1. A generation number of our own.
  const generation = await writing(options, 'reserve a generation', async () => {
    const answer = await client.send(
      new UpdateCommand({
        TableName: options.tableName,
        Key: { [HEAD.id]: options.id },
        UpdateExpression: 'SET #reserved = if_not_exists(#reserved, :zero) + :one, #ttl = :ttl',
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: { ...condition.names, '#reserved': HEAD.reserved },
        ExpressionAttributeValues: {
          ...condition.values,
          ':zero': 0,
          ':one': 1,
          ':ttl': expiresAt,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
      callOptions(options),
    );
    const reserved = answer.Attributes?.[HEAD.reserved];
    if (typeof reserved !== 'number') {
      throw new Error(`the head's "${HEAD.reserved}" counter came back as ${typeof reserved}`);
    }
    return reserved;
  }).catch(async (error: unknown) => {
    throw isConditionFailure(error) ? await conflict(client, options, error) : error;
  });

  // 2. The chunks, under keys no other save uses.
  const chunks = chunkCount(checkpoint.blob.byteLength);
  try {
    await forEachIndex(chunks, CHECKPOINT_CHUNK_CONCURRENCY, (n) =>
      writing(options, `write chunk ${n} of ${chunks}`, () =>
        client.send(
          new PutCommand({
            TableName: options.tableName,
            Item: {
              [HEAD.id]: chunkItemId(options.id, generation, n),
              [CHUNK_DATA_ATTRIBUTE]: chunkOf(checkpoint.blob, n),
              [HEAD.expiresAt]: expiresAt,
            },
          }),
          callOptions(options),
        ),
      ),
    );
  } catch (error) {
    await deleteChunks(client, options, generation, chunks);
    throw error;
  }

  // 3. The head, pointing at them.
  let previous: Record<string, unknown> | undefined;
  try {
    previous = await writing(options, 'write the head', async () => {
      const answer = await client.send(
        new UpdateCommand({
          TableName: options.tableName,
          Key: { [HEAD.id]: options.id },
          UpdateExpression:
            'SET #generation = :generation, #chunks = :chunks, #chunkBytes = :chunkBytes, #bytes = :bytes, #sha256 = :sha256, #body = :body, #ttl = :ttl',
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: {
            ...condition.names,
            '#chunks': HEAD.chunks,
            '#chunkBytes': HEAD.chunkBytes,
            '#bytes': HEAD.bytes,
            '#sha256': HEAD.sha256,
            '#body': HEAD.body,
          },
          ExpressionAttributeValues: {
            ...condition.values,
            ':generation': generation,
            ':chunks': chunks,
            ':chunkBytes': CHECKPOINT_CHUNK_BYTES,
            ':bytes': checkpoint.blob.byteLength,
            ':sha256': sha256,
            ':body': checkpoint.body,
            ':ttl': expiresAt,
          },
          ReturnValues: 'ALL_OLD',
        }),
        callOptions(options),
      );
      return answer.Attributes;
    });
  } catch (error) {
    // The head may point at our generation all the same (a retried write whose
    // first attempt landed): that number is ours alone, so this is a success.
    if ((await committedGeneration(client, options)) === generation) return generation;
    // A failed condition is final: our chunks are garbage. Any other failure
    // may still land, so they are left to the TTL.
    if (!isConditionFailure(error)) throw error;
    await deleteChunks(client, options, generation, chunks);
    throw await conflict(client, options, error);
  }

  // 4. The previous generation's chunks.
  const old = previous ? safeParseHead(previous, where) : undefined;
  if (old && old.generation !== generation) {
    await deleteChunks(client, options, old.generation, old.chunks);
  }
  return generation;
}

/**
 * Takes or renews the lease on the checkpoint's head, creating the head
 * (generation 0, an empty checkpoint) when there is none. It succeeds when
 * nobody holds the lease, when the lease expired (`leaseUntil < now`), or
 * when `owner` already holds it; the items' TTL is pushed back either way.
 *
 * @returns `true` when `owner` now holds the lease until `until`, `false` when someone else holds it
 * @throws Error when `owner` is empty or `until` is not after `now`
 * @throws TableWriteError when the state table cannot be written, saying why
 */
export async function acquireLease(
  client: Pick<DynamoDBDocumentClient, 'send'>,
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
      '#chunks = if_not_exists(#chunks, :zero)',
      '#chunkBytes = if_not_exists(#chunkBytes, :chunkBytes)',
      '#bytes = if_not_exists(#bytes, :zero)',
      '#sha256 = if_not_exists(#sha256, :sha256)',
      '#body = if_not_exists(#body, :body)',
    ].join(', '),
    ConditionExpression: 'attribute_not_exists(#owner) OR #owner = :owner OR #until < :now',
    ExpressionAttributeNames: {
      '#owner': HEAD.leaseOwner,
      '#until': HEAD.leaseUntil,
      '#ttl': HEAD.expiresAt,
      '#generation': HEAD.generation,
      '#reserved': HEAD.reserved,
      '#chunks': HEAD.chunks,
      '#chunkBytes': HEAD.chunkBytes,
      '#bytes': HEAD.bytes,
      '#sha256': HEAD.sha256,
      '#body': HEAD.body,
    },
    ExpressionAttributeValues: {
      ':owner': options.owner,
      ':until': options.until,
      ':now': options.now,
      ':ttl': expiresAtFor(options.now),
      ':zero': 0,
      ':chunkBytes': CHECKPOINT_CHUNK_BYTES,
      ':sha256': blobSha256(new Uint8Array(0)),
      ':body': '',
    },
  });
}

/** Options of {@link releaseLease}. */
export interface ReleaseLeaseOptions extends CheckpointStoreOptions {
  /** Who releases: only the holder's release has an effect. */
  readonly owner: string;
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
  client: Pick<DynamoDBDocumentClient, 'send'>,
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

/**
 * Deletes the checkpoint: its head, on the condition that `owner` holds the
 * lease (a checkpoint already gone is fine), then the chunks of its
 * generation (best effort: leftovers expire through the TTL).
 *
 * @throws CheckpointConflictError when another owner holds the lease, or none does
 * @throws TableWriteError when the state table cannot be written, saying why
 */
export async function clearCheckpoint(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ClearCheckpointOptions,
): Promise<void> {
  checkStore(options);
  checkOwner(options.owner);
  let previous: Record<string, unknown> | undefined;
  try {
    previous = await writing(options, 'delete the head', async () => {
      const answer = await client.send(
        new DeleteCommand({
          TableName: options.tableName,
          Key: { [HEAD.id]: options.id },
          ConditionExpression: 'attribute_not_exists(#id) OR #owner = :owner',
          ExpressionAttributeNames: { '#id': HEAD.id, '#owner': HEAD.leaseOwner },
          ExpressionAttributeValues: { ':owner': options.owner },
          ReturnValues: 'ALL_OLD',
        }),
        callOptions(options),
      );
      return answer.Attributes;
    });
  } catch (error) {
    throw isConditionFailure(error) ? await conflict(client, options, error) : error;
  }
  const old = previous ? safeParseHead(previous, describeCheckpoint(options)) : undefined;
  if (old) await deleteChunks(client, options, old.generation, old.chunks);
}

function saveCondition(
  expectedGeneration: number | undefined,
  owner: string,
): {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  if (expectedGeneration === undefined) {
    return {
      expression:
        'attribute_not_exists(#generation) AND (attribute_not_exists(#owner) OR #owner = :owner)',
      names: { '#generation': HEAD.generation, '#owner': HEAD.leaseOwner, '#ttl': HEAD.expiresAt },
      values: { ':owner': owner },
    };
  }
  return {
    expression: '#generation = :expected AND #owner = :owner',
    names: { '#generation': HEAD.generation, '#owner': HEAD.leaseOwner, '#ttl': HEAD.expiresAt },
    values: { ':expected': expectedGeneration, ':owner': owner },
  };
}

async function readHead(
  client: Pick<DynamoDBDocumentClient, 'send'>,
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

async function committedGeneration(
  client: Pick<DynamoDBDocumentClient, 'send'>,
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
async function conflict(
  client: Pick<DynamoDBDocumentClient, 'send'>,
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

async function deleteChunks(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: CheckpointStoreOptions,
  generation: number,
  chunks: number,
): Promise<void> {
  await forEachIndex(chunks, CHECKPOINT_CHUNK_CONCURRENCY, (n) =>
    client
      .send(
        new DeleteCommand({
          TableName: options.tableName,
          Key: { [HEAD.id]: chunkItemId(options.id, generation, n) },
        }),
        callOptions(options),
      )
      .then(
        () => {},
        () => {},
      ),
  );
}

function safeParseHead(item: Record<string, unknown>, where: string): CheckpointHead | undefined {
  try {
    return parseHead(item, where);
  } catch {
    return undefined;
  }
}

async function reading<T>(
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

async function writing<T>(
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

function callOptions(options: CheckpointStoreOptions): { abortSignal?: AbortSignal } {
  return options.signal ? { abortSignal: options.signal } : {};
}

function isConditionFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

function describeCheckpoint(options: CheckpointStoreOptions): string {
  return `checkpoint "${options.id}" in table "${options.tableName}"`;
}

function checkStore(options: CheckpointStoreOptions): void {
  if (typeof options.tableName !== 'string' || options.tableName === '') {
    throw new Error('checkpoint store: tableName must be a non-empty string');
  }
  if (typeof options.id !== 'string' || options.id === '') {
    throw new Error('checkpoint store: id must be a non-empty string');
  }
}

function checkOwner(owner: unknown): void {
  if (typeof owner !== 'string' || owner === '') {
    throw new Error(`checkpoint store: owner must be a non-empty string, got ${String(owner)}`);
  }
}

/** Runs `work(0..count-1)` with at most `concurrency` in flight; the first failure stops new work and is rethrown once the rest settle. */
async function forEachIndex(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < count) {
      const index = next++;
      try {
        await work(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure) throw failure.error;
}

/** A conditional UpdateItem of the head: `false` when its condition fails. */
async function updateHeadIf(
  client: Pick<DynamoDBDocumentClient, 'send'>,
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
