/**
 * A checkpoint's body and blob: loading it whole, and saving a new generation
 * that either appends segments (only the bytes added since the last save) or
 * replaces the blob. See `checkpointLayout.ts` for the items.
 */

import { Buffer } from 'node:buffer';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CheckpointCorruptError } from '../../shared/errors.js';
import {
  CHECKPOINT_CHUNK_CONCURRENCY,
  type CheckpointClient,
  type CheckpointStoreOptions,
  callOptions,
  checkOwner,
  checkStore,
  committedGeneration,
  conflict,
  deleteItemsQuietly,
  describeCheckpoint,
  isConditionFailure,
  readHead,
  reading,
  writing,
} from './checkpointCalls.js';
import {
  CHECKPOINT_FORMAT,
  expiresAtFor,
  FORMAT_1_HEAD,
  HEAD,
  MAX_CHECKPOINT_BODY_BYTES,
  MAX_CHECKPOINT_SEGMENTS,
  parseHead,
  SEGMENT_DATA_ATTRIBUTE,
  type SegmentRef,
  segmentCount,
  segmentItemId,
  segmentOf,
  sha256Of,
  storedItemIds,
  storedSegment,
} from './checkpointLayout.js';
import { forEachIndex } from './forEachIndex.js';

/** The state of a long run, saved whole (the blob replaces the stored one). */
export interface Checkpoint {
  /** Small state as text (JSON by convention), at most {@link MAX_CHECKPOINT_BODY_BYTES} UTF-8 bytes. */
  readonly body: string;
  /** Bulk state of any size (e.g. 80 MB), stored in segments. */
  readonly blob: Uint8Array;
}

/** The state of a long run, saved as what changed: a new body, and bytes to add at the end of the stored blob. */
export interface CheckpointAppend {
  /** Small state as text, replacing the stored body (at most {@link MAX_CHECKPOINT_BODY_BYTES} UTF-8 bytes). */
  readonly body: string;
  /** Bytes to add after the stored blob (may be empty: only the body changes). */
  readonly append: Uint8Array;
}

/** A checkpoint as loaded, with its generation and lease. */
export interface StoredCheckpoint extends Checkpoint {
  /** The generation to pass as `expectedGeneration` to the next save (0: the empty checkpoint a lease creates). */
  readonly generation: number;
  /** How many segment items the blob takes (an appending save adds to them, see {@link MAX_CHECKPOINT_SEGMENTS}). */
  readonly segments: number;
  /** Who holds (or last held) the lease. @default - no lease was ever taken */
  readonly leaseOwner?: string;
  /** Until when the lease is held, epoch ms. @default - no lease was ever taken */
  readonly leaseUntil?: number;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions extends CheckpointStoreOptions {
  /** What to save: a whole blob ({@link Checkpoint}) or what to add to the stored one ({@link CheckpointAppend}). */
  readonly checkpoint: Checkpoint | CheckpointAppend;
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

/**
 * Reads the current checkpoint (strongly consistent reads), or `undefined`
 * when there is none. Each segment is checked against the head: present, of
 * the length and the SHA-256 the head records.
 *
 * @throws CheckpointFormatError when the head is of another format (e.g. saved by an earlier version)
 * @throws CheckpointCorruptError when a segment is missing or does not match the head
 * @throws TableReadError when the state table cannot be read, saying why
 */
export async function loadCheckpoint(
  client: CheckpointClient,
  options: CheckpointStoreOptions,
): Promise<StoredCheckpoint | undefined> {
  checkStore(options);
  const where = describeCheckpoint(options);
  const item = await readHead(client, options);
  if (item === undefined) return undefined;
  const head = parseHead(item, where);
  if (head === undefined) return undefined;
  const { segments } = head;
  const offsets: number[] = [];
  let bytes = 0;
  for (const segment of segments) {
    offsets.push(bytes);
    bytes += segment.bytes;
  }
  const blob = new Uint8Array(bytes);
  await forEachIndex(segments.length, CHECKPOINT_CHUNK_CONCURRENCY, async (n) => {
    const segment = segments[n] as SegmentRef;
    const key = segmentItemId(options.id, segment.generation, segment.index);
    const what = `segment ${n} of ${segments.length} (item "${key}")`;
    const read = await reading(options, what, () =>
      client.send(
        new GetCommand({
          TableName: options.tableName,
          Key: { [HEAD.id]: key },
          ConsistentRead: true,
          ProjectionExpression: '#data',
          ExpressionAttributeNames: { '#data': SEGMENT_DATA_ATTRIBUTE },
        }),
        callOptions(options),
      ),
    );
    const data = read.Item?.[SEGMENT_DATA_ATTRIBUTE];
    if (!(data instanceof Uint8Array)) {
      throw new CheckpointCorruptError(`${where}: ${what} is missing`);
    }
    if (data.byteLength !== segment.bytes) {
      throw new CheckpointCorruptError(
        `${where}: ${what} has ${data.byteLength} bytes, expected ${segment.bytes}`,
      );
    }
    if (Buffer.compare(sha256Of(data), segment.sha256) !== 0) {
      throw new CheckpointCorruptError(
        `${where}: ${what} does not match the SHA-256 its head records`,
      );
    }
    blob.set(data, offsets[n] as number);
  });
  return {
    body: head.body,
    blob,
    generation: head.generation,
    segments: segments.length,
    ...(head.leaseOwner !== undefined ? { leaseOwner: head.leaseOwner } : {}),
    ...(head.leaseUntil !== undefined ? { leaseUntil: head.leaseUntil } : {}),
  };
}

/**
 * Saves a new generation of the checkpoint:
 * 1. takes a fresh generation number from the head's `reserved` counter, on
 *    the condition below (so a stale or foreign save fails before writing
 *    anything big, and no two saves ever share segment items);
 * 2. writes the new bytes' segments ({@link CHECKPOINT_CHUNK_CONCURRENCY} at
 *    a time), each with its SHA-256: for a {@link CheckpointAppend} only the
 *    bytes it adds, for a {@link Checkpoint} the whole blob;
 * 3. points the head at them (appended to the segments it lists, or instead
 *    of them), on the condition that the head is still at
 *    `expectedGeneration` and its lease held by `owner`;
 * 4. after a replacing save, deletes the segments the head listed before
 *    (best effort: leftovers expire through the TTL).
 * An appending save leaves the segment count to its caller: keep the stored
 * count ({@link StoredCheckpoint.segments}) plus the new ones within
 * {@link MAX_CHECKPOINT_SEGMENTS}, or save whole (a head over 400 KB is
 * refused by DynamoDB, and the save fails with the previous checkpoint kept).
 * Until step 3 succeeds the previous checkpoint stays whole and current: a
 * crash anywhere leaves it loadable, and a segment written by a save that
 * never reached its head is named by no head.
 *
 * @returns the new generation (numbers grow, with gaps after failed saves)
 * @throws Error when the options are invalid (a body over {@link MAX_CHECKPOINT_BODY_BYTES} bytes, more than {@link MAX_CHECKPOINT_SEGMENTS} new segments, no owner…)
 * @throws CheckpointConflictError when the head moved to another generation or another owner holds the lease
 * @throws TableWriteError when the state table cannot be written, saying why
 */
export async function saveCheckpoint(
  client: CheckpointClient,
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
  const appending = typeof checkpoint === 'object' && checkpoint !== null && 'append' in checkpoint;
  const bytes = appending ? checkpoint.append : (checkpoint as Partial<Checkpoint>)?.blob;
  if (typeof checkpoint?.body !== 'string' || !(bytes instanceof Uint8Array)) {
    throw new Error(
      'saveCheckpoint: checkpoint must have a string body and a Uint8Array blob (or append)',
    );
  }
  const bodyBytes = Buffer.byteLength(checkpoint.body, 'utf8');
  if (bodyBytes > MAX_CHECKPOINT_BODY_BYTES) {
    throw new Error(
      `saveCheckpoint: the checkpoint body is ${bodyBytes} bytes, at most ${MAX_CHECKPOINT_BODY_BYTES} fit in the head item; move bulk state to the blob`,
    );
  }
  const count = segmentCount(bytes.byteLength);
  if (count > MAX_CHECKPOINT_SEGMENTS) {
    throw new Error(
      `saveCheckpoint: ${bytes.byteLength} bytes take ${count} segments, at most ${MAX_CHECKPOINT_SEGMENTS} fit in the head item`,
    );
  }
  const expiresAt = expiresAtFor(options.now ?? Date.now());
  const condition = saveCondition(expectedGeneration, options.owner, appending);

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

  // 2. The segments, under keys no other save uses.
  const written: SegmentRef[] = Array.from({ length: count }, (_, n) => {
    const data = segmentOf(bytes, n);
    return { generation, index: n, bytes: data.byteLength, sha256: sha256Of(data) };
  });
  const ours = written.map((segment) => segmentItemId(options.id, generation, segment.index));
  try {
    await forEachIndex(count, CHECKPOINT_CHUNK_CONCURRENCY, (n) =>
      writing(options, `write segment ${n} of ${count}`, () =>
        client.send(
          new PutCommand({
            TableName: options.tableName,
            Item: {
              [HEAD.id]: ours[n],
              [SEGMENT_DATA_ATTRIBUTE]: segmentOf(bytes, n),
              [HEAD.expiresAt]: expiresAt,
            },
          }),
          callOptions(options),
        ),
      ),
    );
  } catch (error) {
    await deleteItemsQuietly(client, options, ours);
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
          UpdateExpression: [
            `SET #generation = :generation, #format = :format, #segments = ${
              appending ? 'list_append(if_not_exists(#segments, :none), :segments)' : ':segments'
            }, #body = :body, #ttl = :ttl`,
            // A format-1 head at generation 0 (the lease's) becomes format 2.
            'REMOVE #chunks, #chunkBytes, #bytes, #sha256',
          ].join(' '),
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: {
            ...condition.names,
            '#format': HEAD.format,
            '#segments': HEAD.segments,
            '#body': HEAD.body,
            '#chunks': FORMAT_1_HEAD.chunks,
            '#chunkBytes': FORMAT_1_HEAD.chunkBytes,
            '#bytes': FORMAT_1_HEAD.bytes,
            '#sha256': FORMAT_1_HEAD.sha256,
          },
          ExpressionAttributeValues: {
            ...condition.values,
            ':generation': generation,
            ':format': CHECKPOINT_FORMAT,
            ':segments': written.map(storedSegment),
            ...(appending ? { ':none': [] } : {}),
            ':body': checkpoint.body,
            ':ttl': expiresAt,
          },
          ReturnValues: appending ? 'NONE' : 'ALL_OLD',
        }),
        callOptions(options),
      );
      return answer.Attributes;
    });
  } catch (error) {
    // The head may point at our generation all the same (a retried write whose
    // first attempt landed): that number is ours alone, so this is a success.
    if ((await committedGeneration(client, options)) === generation) return generation;
    // A failed condition is final: our segments are garbage. Any other failure
    // may still land, so they are left to the TTL.
    if (!isConditionFailure(error)) throw error;
    await deleteItemsQuietly(client, options, ours);
    throw await conflict(client, options, error);
  }

  // 4. What a replacing save no longer needs.
  if (previous) {
    const keep = new Set(ours);
    const old = storedItemIds(previous, options.id).filter((id) => !keep.has(id));
    await deleteItemsQuietly(client, options, old);
  }
  return generation;
}

function saveCondition(
  expectedGeneration: number | undefined,
  owner: string,
  appending: boolean,
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
  // Segments are appended only to a format-2 head (or the empty one a lease
  // creates): appended to a format-1 head they would hide its blob.
  const formatTwo = appending && expectedGeneration > 0;
  return {
    expression: `#generation = :expected AND #owner = :owner${formatTwo ? ' AND #format = :format' : ''}`,
    names: {
      '#generation': HEAD.generation,
      '#owner': HEAD.leaseOwner,
      '#ttl': HEAD.expiresAt,
      ...(formatTwo ? { '#format': HEAD.format } : {}),
    },
    values: {
      ':expected': expectedGeneration,
      ':owner': owner,
      ...(formatTwo ? { ':format': CHECKPOINT_FORMAT } : {}),
    },
  };
}
