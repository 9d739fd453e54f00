import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointCorruptError } from '../../../src/errors.js';
import {
  blobSha256,
  CHECKPOINT_CHUNK_BYTES,
  CHECKPOINT_TTL_SECONDS,
  chunkCount,
  chunkItemId,
  chunkOf,
  expectedChunkLength,
  expiresAtFor,
  parseHead,
} from '../../../src/store/checkpointLayout.js';

const EMPTY_SHA = blobSha256(new Uint8Array(0));

function head(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'c',
    generation: 3,
    chunks: 2,
    chunkBytes: 10,
    bytes: 15,
    sha256: EMPTY_SHA,
    body: '{}',
    ...overrides,
  };
}

describe('Module: checkpointLayout', () => {
  it('cuts a blob into views of at most the chunk size, none for an empty blob', () => {
    const blob = Uint8Array.from({ length: 25 }, (_, i) => i);
    assert.equal(chunkCount(25, 10), 3);
    assert.equal(chunkCount(20, 10), 2);
    assert.equal(chunkCount(0, 10), 0);
    assert.deepEqual([...chunkOf(blob, 2, 10)], [20, 21, 22, 23, 24]);
    assert.equal(chunkOf(blob, 1, 10).buffer, blob.buffer);
    assert.equal(chunkCount(1_048_576), 3);
    assert.equal(chunkCount(1_050_001), 4);
    assert.equal(CHECKPOINT_CHUNK_BYTES, 350_000);
  });

  it('names chunk items after the checkpoint, the generation and the index', () => {
    assert.equal(chunkItemId('reconcile#pool#users', 7, 0), 'reconcile#pool#users#7#0');
  });

  it('sets the TTL 7 days after the write, in epoch seconds', () => {
    assert.equal(expiresAtFor(1_700_000_000_999), 1_700_000_000 + CHECKPOINT_TTL_SECONDS);
    assert.equal(CHECKPOINT_TTL_SECONDS, 604_800);
  });

  it('reads a head, with its lease and the length each chunk must have', () => {
    const parsed = parseHead(head({ leaseOwner: 'me', leaseUntil: 5 }), 'here');
    assert.deepEqual(parsed, {
      generation: 3,
      chunks: 2,
      chunkBytes: 10,
      bytes: 15,
      sha256: EMPTY_SHA,
      body: '{}',
      leaseOwner: 'me',
      leaseUntil: 5,
    });
    assert.ok(parsed);
    assert.equal(expectedChunkLength(parsed, 0), 10);
    assert.equal(expectedChunkLength(parsed, 1), 5);
  });

  it('reads a head without a generation (a first save under way) as no checkpoint', () => {
    assert.equal(parseHead({ id: 'c', reserved: 1 }, 'here'), undefined);
  });

  it('reads a missing body as empty text', () => {
    assert.equal(parseHead(head({ body: undefined }), 'here')?.body, '');
  });

  for (const [name, overrides, pattern] of [
    [
      'a chunk count that does not fit the byte count',
      { chunks: 1 },
      /records 1 chunks of 10 bytes for 15 bytes/,
    ],
    ['a negative byte count', { bytes: -1 }, /"bytes" is not a whole number/],
    ['a missing chunk size', { chunkBytes: undefined }, /"chunkBytes" is not a whole number/],
    ['a zero chunk size', { chunkBytes: 0, chunks: 0, bytes: 0 }, /chunks of 0 bytes/],
    ['no checksum', { sha256: undefined }, /no "sha256" string/],
    ['a body that is not text', { body: 3 }, /"body" is not a string/],
  ] as const) {
    it(`throws a CheckpointCorruptError for ${name}`, () => {
      assert.throws(
        () => parseHead(head(overrides), 'checkpoint "c"'),
        (error: unknown) =>
          error instanceof CheckpointCorruptError &&
          error.message.startsWith('checkpoint "c": ') &&
          pattern.test(error.message),
      );
    });
  }
});
