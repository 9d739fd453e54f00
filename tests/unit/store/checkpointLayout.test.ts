import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_SEGMENT_BYTES,
  CHECKPOINT_TTL_SECONDS,
  expiresAtFor,
  parseHead,
  segmentCount,
  segmentItemId,
  segmentOf,
  sha256Of,
  storedItemIds,
} from '../../../src/aws/store/checkpointLayout.js';
import { CheckpointCorruptError, CheckpointFormatError } from '../../../src/shared/errors.js';

const SHA = sha256Of(new Uint8Array([1, 2, 3]));

function head(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'c',
    format: CHECKPOINT_FORMAT,
    generation: 3,
    segments: [
      { generation: 1, index: 0, bytes: 10, sha256: SHA },
      { generation: 3, index: 0, bytes: 5, sha256: SHA },
    ],
    body: '{}',
    ...overrides,
  };
}

describe('Module: checkpointLayout', () => {
  it('cuts bytes into views of at most the segment size, none for no bytes', () => {
    const blob = Uint8Array.from({ length: 25 }, (_, i) => i);
    assert.equal(segmentCount(25, 10), 3);
    assert.equal(segmentCount(20, 10), 2);
    assert.equal(segmentCount(0, 10), 0);
    assert.deepEqual([...segmentOf(blob, 2, 10)], [20, 21, 22, 23, 24]);
    assert.equal(segmentOf(blob, 1, 10).buffer, blob.buffer);
    assert.equal(segmentCount(1_048_576), 3);
    assert.equal(segmentCount(1_050_001), 4);
    assert.equal(CHECKPOINT_SEGMENT_BYTES, 350_000);
  });

  it('names segment items after the checkpoint, the generation that wrote them and the index', () => {
    assert.equal(segmentItemId('reconcile#pool#users', 7, 0), 'reconcile#pool#users#7#0');
  });

  it('sets the TTL 7 days after the write, in epoch seconds', () => {
    assert.equal(expiresAtFor(1_700_000_000_999), 1_700_000_000 + CHECKPOINT_TTL_SECONDS);
    assert.equal(CHECKPOINT_TTL_SECONDS, 604_800);
  });

  it('reads a head, its segments in order and its lease', () => {
    const parsed = parseHead(head({ leaseOwner: 'me', leaseUntil: 5 }), 'here');
    assert.deepEqual(parsed, {
      generation: 3,
      segments: [
        { generation: 1, index: 0, bytes: 10, sha256: SHA },
        { generation: 3, index: 0, bytes: 5, sha256: SHA },
      ],
      body: '{}',
      leaseOwner: 'me',
      leaseUntil: 5,
    });
  });

  it('reads a head without a generation (a first save under way) as no checkpoint', () => {
    assert.equal(parseHead({ id: 'c', reserved: 1 }, 'here'), undefined);
  });

  it('reads the head a lease created, of either format, as an empty checkpoint', () => {
    for (const lease of [
      { id: 'c', generation: 0, reserved: 0, body: '' },
      { id: 'c', generation: 0, chunks: 0, chunkBytes: 350_000, bytes: 0, sha256: 'e3', body: '' },
    ]) {
      assert.deepEqual(parseHead(lease, 'here'), { generation: 0, segments: [], body: '' });
    }
  });

  it('reads a missing body as empty text', () => {
    assert.equal(parseHead(head({ body: undefined }), 'here')?.body, '');
  });

  it('throws a CheckpointFormatError for a format-1 head past generation 0, or a newer format', () => {
    const formatOne = {
      id: 'c',
      generation: 4,
      chunks: 1,
      chunkBytes: 350_000,
      bytes: 8,
      sha256: 'ab',
      body: '{}',
    };
    assert.throws(
      () => parseHead(formatOne, 'checkpoint "c"'),
      (error: unknown) =>
        error instanceof CheckpointFormatError &&
        error instanceof CheckpointCorruptError &&
        error.message === 'checkpoint "c": the head is of format 1, this version reads format 2',
    );
    assert.throws(() => parseHead(head({ format: 3 }), 'here'), /of format 3/);
  });

  for (const [name, overrides, pattern] of [
    ['a generation that is not a whole number', { generation: -1 }, /"generation" is not/],
    ['no segment list', { segments: undefined }, /no "segments" list/],
    [
      'a segment without a checksum',
      { segments: [{ generation: 1, index: 0, bytes: 10 }] },
      /segment 0 in the head's list is not/,
    ],
    [
      'a segment with a short checksum',
      { segments: [{ generation: 1, index: 0, bytes: 10, sha256: new Uint8Array(31) }] },
      /segment 0 in the head's list is not/,
    ],
    [
      'an empty segment',
      { segments: [{ generation: 1, index: 0, bytes: 0, sha256: SHA }] },
      /segment 0 in the head's list is not/,
    ],
    [
      'a segment larger than an item holds',
      { segments: [{ generation: 1, index: 0, bytes: 350_001, sha256: SHA }] },
      /segment 0 in the head's list is not/,
    ],
    ['a body that is not text', { body: 3 }, /"body" is not a string/],
  ] as const) {
    it(`throws a CheckpointCorruptError for ${name}`, () => {
      assert.throws(
        () => parseHead(head(overrides), 'checkpoint "c"'),
        (error: unknown) =>
          error instanceof CheckpointCorruptError &&
          !(error instanceof CheckpointFormatError) &&
          error.message.startsWith('checkpoint "c": ') &&
          pattern.test(error.message),
      );
    });
  }

  it('names the items a head points at, in either format, as far as it can be read', () => {
    assert.deepEqual(storedItemIds(head(), 'c'), ['c#1#0', 'c#3#0']);
    assert.deepEqual(storedItemIds({ generation: 4, chunks: 2 }, 'c'), ['c#4#0', 'c#4#1']);
    assert.deepEqual(storedItemIds(head({ segments: 'junk' }), 'c'), []);
    assert.deepEqual(storedItemIds({ generation: 'x' }, 'c'), []);
  });
});
