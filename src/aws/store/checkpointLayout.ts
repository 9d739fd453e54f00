/**
 * How a checkpoint is laid out in the state table (pure: no DynamoDB call).
 *
 * Format 2 (the head's `format` attribute):
 * - The head item, key `<id>`, holds the committed generation, the body, the
 *   list of the blob's **segments** (in order: each names the generation that
 *   wrote it, its index within that save, its length and its SHA-256), the
 *   lease (`leaseOwner`, `leaseUntil`) and `reserved`, the last generation
 *   number handed to a save: each save takes a fresh number first, so no two
 *   saves ever write the same segment items.
 * - Segment items, keys `<id>#<generation>#<n>` (n from 0 within the save that
 *   wrote them), hold the blob in binary slices of at most
 *   {@link CHECKPOINT_SEGMENT_BYTES} bytes. A save that appends writes only
 *   the segments of the bytes it adds and appends them to the head's list; a
 *   save that replaces writes the whole blob under its own generation.
 * - Every item carries {@link CHECKPOINT_TTL_ATTRIBUTE} so that abandoned state
 *   disappears once the table's TTL is enabled on it.
 *
 * Format 1 (no `format` attribute) kept the whole blob under each generation,
 * described by `chunks`, `chunkBytes`, `bytes` and `sha256` in the head. A
 * format-1 head with a generation above 0 is reported as
 * {@link CheckpointFormatError}; one at generation 0 (the empty checkpoint a
 * lease creates) reads as empty.
 */
import { createHash } from 'node:crypto';
import { CHECKPOINT_TTL_ATTRIBUTE } from '../../domain/stateTable.js';
import { CheckpointCorruptError, CheckpointFormatError } from '../../shared/errors.js';
import { isRecord } from '../../shared/values.js';

/**
 * How long state items live after their last write: 7 days, in seconds. A
 * segment is written once, so a run whose first segments are older than that
 * finds them gone and starts over (a 10-million-user run takes hours).
 */
export const CHECKPOINT_TTL_SECONDS = 7 * 24 * 60 * 60;

/** The stored shape this code writes (the head's `format`). */
export const CHECKPOINT_FORMAT = 2;

/**
 * Most blob bytes per segment item: with its key and TTL a segment stays well
 * under DynamoDB's 400 KB item size limit. An item's size is the sum of its
 * attribute names and values, a binary value counting its raw bytes, not its
 * base64 (verified: developer guide, "DynamoDB item sizes and formats",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html);
 * the 400 KB limit itself is from the developer guide's "Constraints" page,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html
 * (verified there; dynalite enforces its own approximation, so not shown here).
 */
export const CHECKPOINT_SEGMENT_BYTES = 350_000;

/** @deprecated The former name of {@link CHECKPOINT_SEGMENT_BYTES}. */
export const CHECKPOINT_CHUNK_BYTES = CHECKPOINT_SEGMENT_BYTES;

/** Most UTF-8 bytes of a checkpoint's body, which lives in the head item (400 KB at most, see above). */
export const MAX_CHECKPOINT_BODY_BYTES = 300_000;

/**
 * Most segments a head lists. Each takes at most 62 bytes of the head (a map
 * of four named values, a 32-byte binary SHA-256 among them, plus the list's
 * 1 byte an element, by the sizing rules above), so 1,000 take at most 62 KB
 * and the head stays under 400 KB with a full body. 1,000 full segments hold
 * 350 MB: the fingerprints of about 43 million users.
 */
export const MAX_CHECKPOINT_SEGMENTS = 1_000;

/** The head's attribute names. */
export const HEAD = {
  id: 'id',
  format: 'format',
  generation: 'generation',
  reserved: 'reserved',
  segments: 'segments',
  body: 'body',
  leaseOwner: 'leaseOwner',
  leaseUntil: 'leaseUntil',
  expiresAt: CHECKPOINT_TTL_ATTRIBUTE,
} as const;

/** The attributes of a format-1 head that format 2 no longer writes (removed when a save rewrites such a head). */
export const FORMAT_1_HEAD = {
  chunks: 'chunks',
  chunkBytes: 'chunkBytes',
  bytes: 'bytes',
  sha256: 'sha256',
} as const;

/** A segment item's blob attribute (binary). */
export const SEGMENT_DATA_ATTRIBUTE = 'data';

/** One segment of the blob, as the head lists it. */
export interface SegmentRef {
  /** The generation of the save that wrote it. */
  readonly generation: number;
  /** Its index within that save. */
  readonly index: number;
  /** Its length in bytes. */
  readonly bytes: number;
  /** The SHA-256 of its bytes (32 bytes). */
  readonly sha256: Uint8Array;
}

/** What the head says about the committed checkpoint. */
export interface CheckpointHead {
  /** The committed generation (0: the empty checkpoint a lease creates). */
  readonly generation: number;
  /** The blob's segments, in order. */
  readonly segments: readonly SegmentRef[];
  /** The body text. */
  readonly body: string;
  /** Who holds (or last held) the lease. */
  readonly leaseOwner?: string;
  /** Until when the lease is held, epoch ms. */
  readonly leaseUntil?: number;
}

/** Key of segment `n` written by the save of `generation` of checkpoint `id`. */
export function segmentItemId(id: string, generation: number, n: number): string {
  return `${id}#${generation}#${n}`;
}

/** Number of segment items `bytes` bytes take (0 for none). */
export function segmentCount(bytes: number, segmentBytes = CHECKPOINT_SEGMENT_BYTES): number {
  return Math.ceil(bytes / segmentBytes);
}

/** Segment `n` of some bytes: a view, not a copy. */
export function segmentOf(
  bytes: Uint8Array,
  n: number,
  segmentBytes = CHECKPOINT_SEGMENT_BYTES,
): Uint8Array {
  return bytes.subarray(n * segmentBytes, (n + 1) * segmentBytes);
}

/** SHA-256 of some bytes (32 bytes). */
export function sha256Of(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** Hex SHA-256 of a blob. */
export function blobSha256(blob: Uint8Array): string {
  return createHash('sha256').update(blob).digest('hex');
}

/** The TTL value (epoch seconds) of an item written at `nowMs`. */
export function expiresAtFor(nowMs: number): number {
  return Math.floor(nowMs / 1000) + CHECKPOINT_TTL_SECONDS;
}

/** A segment as stored in the head's list. */
export function storedSegment(segment: SegmentRef): Record<string, unknown> {
  return {
    generation: segment.generation,
    index: segment.index,
    bytes: segment.bytes,
    sha256: segment.sha256,
  };
}

/**
 * Reads a head item. A head without a generation (a first save under way)
 * means no checkpoint yet: `undefined`.
 *
 * @throws CheckpointFormatError when the head is of another format (format 1 at a generation above 0, or a newer one)
 * @throws CheckpointCorruptError when the head's fields are missing or inconsistent
 */
export function parseHead(
  item: Readonly<Record<string, unknown>>,
  where: string,
): CheckpointHead | undefined {
  const generation = item[HEAD.generation];
  if (generation === undefined) return undefined;
  if (!isCount(generation)) {
    throw new CheckpointCorruptError(`${where}: the head's "generation" is not a whole number`);
  }
  const format = item[HEAD.format];
  if (format !== CHECKPOINT_FORMAT && !(format === undefined && generation === 0)) {
    throw new CheckpointFormatError(
      `${where}: the head is of format ${format === undefined ? 1 : String(format)}, this version reads format ${CHECKPOINT_FORMAT}`,
    );
  }
  const body = item[HEAD.body] ?? '';
  if (typeof body !== 'string') {
    throw new CheckpointCorruptError(`${where}: the head's "body" is not a string`);
  }
  const listed = item[HEAD.segments] ?? (generation === 0 ? [] : undefined);
  if (!Array.isArray(listed)) {
    throw new CheckpointCorruptError(`${where}: the head has no "segments" list`);
  }
  const segments = listed.map((value, position) => parseSegment(value, position, where));
  return {
    generation,
    segments,
    body,
    ...(typeof item[HEAD.leaseOwner] === 'string'
      ? { leaseOwner: item[HEAD.leaseOwner] as string }
      : {}),
    ...(typeof item[HEAD.leaseUntil] === 'number'
      ? { leaseUntil: item[HEAD.leaseUntil] as number }
      : {}),
  };
}

/**
 * The keys of the segment (or, in format 1, chunk) items a head item points
 * at, read as far as it can be: never throws, `[]` when nothing can be read.
 * For deleting a checkpoint whatever its format.
 */
export function storedItemIds(item: Readonly<Record<string, unknown>>, id: string): string[] {
  const generation = item[HEAD.generation];
  if (!isCount(generation)) return [];
  const segments = item[HEAD.segments];
  if (item[HEAD.format] !== undefined) {
    if (!Array.isArray(segments)) return [];
    return segments.flatMap((value) =>
      isRecord(value) && isCount(value.generation) && isCount(value.index)
        ? [segmentItemId(id, value.generation, value.index)]
        : [],
    );
  }
  const chunks = item[FORMAT_1_HEAD.chunks];
  if (!isCount(chunks)) return [];
  return Array.from({ length: chunks }, (_, n) => segmentItemId(id, generation, n));
}

function parseSegment(value: unknown, position: number, where: string): SegmentRef {
  if (
    isRecord(value) &&
    isCount(value.generation) &&
    isCount(value.index) &&
    isCount(value.bytes) &&
    value.bytes > 0 &&
    value.bytes <= CHECKPOINT_SEGMENT_BYTES &&
    value.sha256 instanceof Uint8Array &&
    value.sha256.byteLength === 32
  ) {
    return {
      generation: value.generation,
      index: value.index,
      bytes: value.bytes,
      sha256: value.sha256,
    };
  }
  throw new CheckpointCorruptError(
    `${where}: segment ${position} in the head's list is not a {generation, index, bytes, sha256} entry`,
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
