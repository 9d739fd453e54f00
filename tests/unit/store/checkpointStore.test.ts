import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  acquireLease,
  clearCheckpoint,
  loadCheckpoint,
  MAX_CHECKPOINT_BODY_BYTES,
  saveCheckpoint,
} from '../../../src/aws/store/checkpointStore.js';

/** A client that must never be called: bad input is refused before any request. */
const UNCALLED = {
  send: async () => {
    throw new Error('no request expected');
  },
} as unknown as Pick<DynamoDBDocumentClient, 'send'>;

const store = { tableName: 'state', id: 'reconcile#pool#users' } as const;
const checkpoint = { body: '{}', blob: new Uint8Array(3) };

describe('Function: saveCheckpoint (input checks)', () => {
  it('refuses a body over the size the head item can hold, naming both sizes', async () => {
    await assert.rejects(
      saveCheckpoint(UNCALLED, {
        ...store,
        owner: 'me',
        expectedGeneration: 0,
        checkpoint: { body: 'é'.repeat(MAX_CHECKPOINT_BODY_BYTES / 2 + 1), blob: new Uint8Array() },
      }),
      /the checkpoint body is 300002 bytes, at most 300000 fit in the head item/,
    );
  });

  it('refuses an empty owner and a generation that is not a whole number', async () => {
    await assert.rejects(
      saveCheckpoint(UNCALLED, { ...store, owner: '', expectedGeneration: 0, checkpoint }),
      /owner must be a non-empty string/,
    );
    await assert.rejects(
      saveCheckpoint(UNCALLED, { ...store, owner: 'me', expectedGeneration: 1.5, checkpoint }),
      /expectedGeneration must be a whole number >= 0 or undefined, got 1.5/,
    );
  });

  it('refuses a blob that is not bytes', async () => {
    await assert.rejects(
      saveCheckpoint(UNCALLED, {
        ...store,
        owner: 'me',
        expectedGeneration: 0,
        checkpoint: { body: '', blob: [1, 2] as unknown as Uint8Array },
      }),
      /a string body and a Uint8Array blob/,
    );
  });
});

describe('Function: acquireLease (input checks)', () => {
  it('refuses a lease that would be born expired', async () => {
    await assert.rejects(
      acquireLease(UNCALLED, { ...store, owner: 'me', now: 1000, until: 1000 }),
      /until \(1000\) must be after now \(1000\)/,
    );
    await assert.rejects(
      acquireLease(UNCALLED, { ...store, owner: 'me', now: Number.NaN, until: 1000 }),
      /must be epoch milliseconds/,
    );
  });
});

describe('Functions: loadCheckpoint, clearCheckpoint (input checks)', () => {
  it('refuses an empty table name or id', async () => {
    await assert.rejects(
      loadCheckpoint(UNCALLED, { ...store, id: '' }),
      /id must be a non-empty string/,
    );
    await assert.rejects(
      clearCheckpoint(UNCALLED, { ...store, tableName: '', owner: 'me' }),
      /tableName must be a non-empty string/,
    );
  });
});
