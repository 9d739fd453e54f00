import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from '../../../src/sync/reconcile/fingerprints.js';
import {
  newRunState,
  parseRunState,
  type RunState,
  serializeRunState,
} from '../../../src/sync/reconcile/runState.js';

function state(): RunState {
  const fresh = newRunState({
    userPoolId: 'us-east-1_Pool1',
    tableName: 'users',
    now: new Date('2030-05-01T12:00:00.000Z'),
    sharded: true,
    scanSegments: 3,
    random: () => 0.25,
  });
  for (let i = 0; i < 100; i++) fresh.listed.add(fingerprint(`u${i}`, fresh.salt));
  return { ...fresh, counts: { ...fresh.counts, usersListed: 100, pages: 2, slices: 1 } };
}

describe('Function: newRunState', () => {
  it('starts a run: listing phase, 16 shards not started, every scan segment ahead', () => {
    const fresh = newRunState({
      userPoolId: 'p',
      tableName: 't',
      now: new Date('2030-05-01T12:00:00.000Z'),
      sharded: true,
      scanSegments: 4,
      random: () => 0.5,
    });
    assert.equal(fresh.phase, 'listing');
    assert.equal(fresh.startedAt, '2030-05-01T12:00:00.000Z');
    assert.equal(fresh.salt, 2 ** 31);
    assert.equal(fresh.listing.shards.length, 16);
    assert.ok(fresh.listing.shards.every((shard) => !shard.done && shard.token === undefined));
    assert.equal(fresh.sweep.segments.length, 4);
    assert.equal(fresh.listed.size, 0);
    assert.match(fresh.runId, /^[0-9a-f-]{36}$/);
  });
});

describe('Function: parseRunState', () => {
  it('round-trips a state through its serialised form', () => {
    const original = state();
    const saved = serializeRunState(original);
    assert.equal(saved.blob.byteLength, 800, '8 bytes per user listed');
    const back = parseRunState({ body: saved.body, blob: saved.blob });
    const { listed, ...rest } = back;
    const { listed: originalListed, ...originalRest } = original;
    assert.deepEqual(rest, originalRest);
    assert.equal(listed.size, originalListed.size);
    for (let i = 0; i < 100; i++) assert.ok(listed.has(fingerprint(`u${i}`, original.salt)));
  });

  it('refuses a damaged state, naming what is wrong', () => {
    const saved = serializeRunState(state());
    const body = JSON.parse(saved.body) as Record<string, unknown>;
    const broken = (patch: Record<string, unknown>) => ({
      body: JSON.stringify({ ...body, ...patch }),
      blob: saved.blob,
    });
    assert.throws(() => parseRunState({ body: '{', blob: saved.blob }), /not JSON/);
    assert.throws(
      () => parseRunState(broken({ format: 'other' })),
      /is not a cognito-user-sync\/reconcile-run@1 state/,
    );
    assert.throws(() => parseRunState(broken({ runId: '' })), /no valid "runId"/);
    assert.throws(
      () => parseRunState(broken({ startedAt: 'yesterday' })),
      /invalid "startedAt" \(yesterday\)/,
    );
    assert.throws(() => parseRunState(broken({ salt: -1 })), /no valid "salt"/);
    assert.throws(() => parseRunState(broken({ phase: 'done' })), /invalid "phase" \(done\)/);
    assert.throws(
      () => parseRunState(broken({ counts: { ...(body.counts as object), pages: 1.5 } })),
      /invalid count "counts.pages"/,
    );
    assert.throws(() => parseRunState(broken({ applied: undefined })), /no "applied"/);
    assert.throws(
      () => parseRunState({ body: saved.body, blob: saved.blob.subarray(1) }),
      /8-byte fingerprints/,
    );
  });
});
