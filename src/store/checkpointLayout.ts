/**
 * How a checkpoint is laid out in the state table (pure: no DynamoDB call).
 *
 * - The head item, key `<id>`, holds the committed generation, the body, how
 *   the blob is cut (chunk count, chunk size, total bytes, SHA-256), the lease
 *   (`leaseOwner`, `leaseUntil`) and `reserved`, the last generation number
 *   handed to a save: each save takes a fresh number first, so no two saves
 *   ever write the same chunk items.
 * - Chunk items, keys `<id>#<generation>#<n>` (n from 0), hold the blob in
 *   binary slices of at most {@link CHECKPOINT_CHUNK_BYTES} bytes.
 * - Every item carries {@link CHECKPOINT_TTL_ATTRIBUTE} so that abandoned state
 *   disappears once the table's TTL is enabled on it.
 */
import { createHash } from 'node:crypto';
import { CheckpointCorruptError } from '../errors.js';

/**
 * The TTL attribute of every state item, in epoch seconds. DynamoDB compares
 * it with the current time and deletes expired items "typically within two
 * days"; until then they still show up in reads (verified: API reference,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html).
 * So a head can outlive its chunks for a while: loading then throws
 * CheckpointCorruptError, never a short blob. Enabling TTL on the table is
 * the table owner's job (dynalite does not implement TTL).
 */
export const CHECKPOINT_TTL_ATTRIBUTE = 'expiresAt';

/** How long state items live after their last write: 7 days, in seconds. */
export const CHECKPOINT_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Most blob bytes per chunk item: with its key and TTL a chunk stays well
 * under DynamoDB's 400 KB item size limit. An item's size is the sum of its
 * attribute names and values, a binary value counting its raw bytes, not its
 * base64 (verified: developer guide, "DynamoDB item sizes and formats",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html);
 * the 400 KB limit itself is from the developer guide's "Constraints" page
 * (assumed: not enforced the same way by dynalite, so not shown here).
 */
export const CHECKPOINT_CHUNK_BYTES = 350_000;

/** Most UTF-8 bytes of a checkpoint's body, which lives in the head item (400 KB at most, see above). */
export const MAX_CHECKPOINT_BODY_BYTES = 300_000;

/** The head's attribute names. */
export const HEAD = {
  id: 'id',
  generation: 'generation',
  reserved: 'reserved',
  chunks: 'chunks',
  chunkBytes: 'chunkBytes',
  bytes: 'bytes',
  sha256: 'sha256',
  body: 'body',
  leaseOwner: 'leaseOwner',
  leaseUntil: 'leaseUntil',
  expiresAt: CHECKPOINT_TTL_ATTRIBUTE,
} as const;

/** A chunk item's blob attribute (binary). */
export const CHUNK_DATA_ATTRIBUTE = 'data';

/** What the head says about the committed checkpoint. */
export interface CheckpointHead {
  /** The committed generation (0: the empty checkpoint a lease creates). */
  readonly generation: number;
  /** Number of chunk items. */
  readonly chunks: number;
  /** Bytes per chunk (the last one may be shorter). */
  readonly chunkBytes: number;
  /** Total blob bytes. */
  readonly bytes: number;
  /** Hex SHA-256 of the blob. */
  readonly sha256: string;
  /** The body text. */
  readonly body: string;
  /** Who holds (or last held) the lease. */
  readonly leaseOwner?: string;
  /** Until when the lease is held, epoch ms. */
  readonly leaseUntil?: number;
}

/** Key of chunk `n` of a generation of checkpoint `id`. */
export function chunkItemId(id: string, generation: number, n: number): string {
  return `${id}#${generation}#${n}`;
}

/** Number of chunk items a blob of `bytes` bytes takes (0 for an empty blob). */
export function chunkCount(bytes: number, chunkBytes = CHECKPOINT_CHUNK_BYTES): number {
  return Math.ceil(bytes / chunkBytes);
}

/** Chunk `n` of a blob: a view, not a copy. */
export function chunkOf(blob: Uint8Array, n: number, chunkBytes = CHECKPOINT_CHUNK_BYTES) {
  return blob.subarray(n * chunkBytes, (n + 1) * chunkBytes);
}

/** The expected length of chunk `n` of a checkpoint. */
export function expectedChunkLength(head: CheckpointHead, n: number): number {
  return Math.min(head.chunkBytes, head.bytes - n * head.chunkBytes);
}

/** Hex SHA-256 of a blob. */
export function blobSha256(blob: Uint8Array): string {
  return createHash('sha256').update(blob).digest('hex');
}

/** The TTL value (epoch seconds) of an item written at `nowMs`. */
export function expiresAtFor(nowMs: number): number {
  return Math.floor(nowMs / 1000) + CHECKPOINT_TTL_SECONDS;
}

/**
 * Reads a head item. A head without a generation (a first save under way)
 * means no checkpoint yet: `undefined`.
 *
 * @throws CheckpointCorruptError when the head's layout fields are missing or inconsistent
 */
export function parseHead(
  item: Readonly<Record<string, unknown>>,
  where: string,
): CheckpointHead | undefined {
  const generation = item[HEAD.generation];
  if (generation === undefined) return undefined;
  const chunks = item[HEAD.chunks];
  const chunkBytes = item[HEAD.chunkBytes];
  const bytes = item[HEAD.bytes];
  const sha256 = item[HEAD.sha256];
  const body = item[HEAD.body] ?? '';
  const counts = { generation, chunks, chunkBytes, bytes };
  for (const [name, value] of Object.entries(counts)) {
    if (!isCount(value)) {
      throw new CheckpointCorruptError(`${where}: the head's "${name}" is not a whole number`);
    }
  }
  if (typeof sha256 !== 'string') {
    throw new CheckpointCorruptError(`${where}: the head has no "sha256" string`);
  }
  if (typeof body !== 'string') {
    throw new CheckpointCorruptError(`${where}: the head's "body" is not a string`);
  }
  const head: CheckpointHead = {
    generation: generation as number,
    chunks: chunks as number,
    chunkBytes: chunkBytes as number,
    bytes: bytes as number,
    sha256,
    body,
    ...(typeof item[HEAD.leaseOwner] === 'string'
      ? { leaseOwner: item[HEAD.leaseOwner] as string }
      : {}),
    ...(typeof item[HEAD.leaseUntil] === 'number'
      ? { leaseUntil: item[HEAD.leaseUntil] as number }
      : {}),
  };
  if (head.chunkBytes === 0 || chunkCount(head.bytes, head.chunkBytes) !== head.chunks) {
    throw new CheckpointCorruptError(
      `${where}: the head records ${head.chunks} chunks of ${head.chunkBytes} bytes for ${head.bytes} bytes`,
    );
  }
  return head;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
