import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FingerprintSet, fingerprint, newSalt } from '../../../src/sync/reconcile/fingerprints.js';

describe('Function: fingerprint', () => {
  it('gives an integer from 1 to 2^52 - 1, the same for the same text and salt', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (text, salt) => {
        const value = fingerprint(text, salt);
        assert.ok(Number.isInteger(value) && value >= 1 && value < 2 ** 52, String(value));
        assert.equal(fingerprint(text, salt), value);
      }),
    );
  });

  it('differs between salts and between close usernames', () => {
    assert.notEqual(fingerprint('alice', 1), fingerprint('alice', 2));
    assert.notEqual(fingerprint('user-1', 7), fingerprint('user-2', 7));
    assert.notEqual(fingerprint('ab', 7), fingerprint('ba', 7));
    assert.notEqual(fingerprint('', 7), fingerprint('\u0000', 7));
  });

  it('has no collision among 200,000 UUID-like usernames', () => {
    const values = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      values.add(fingerprint(`${i.toString(16).padStart(8, '0')}-7d3e-4b1a-9c2f-0123456789ab`, 42));
    }
    assert.equal(values.size, 200_000);
  });

  it('spreads its low bits evenly (the set indexes slots by them)', () => {
    const buckets = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) {
      const bucket = fingerprint(`user${i}`, 3) % 64;
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    for (const count of buckets) assert.ok(count > 800 && count < 1200, `bucket of ${count}`);
  });
});

describe('Function: newSalt', () => {
  it('gives a 32-bit unsigned integer', () => {
    assert.equal(
      newSalt(() => 0),
      0,
    );
    assert.equal(
      newSalt(() => 0.999999999999),
      2 ** 32 - 1,
    );
    assert.equal(
      newSalt(() => 0.5),
      2 ** 31,
    );
  });
});

describe('Class: FingerprintSet', () => {
  it('holds exactly what was added, across growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2 ** 52 - 1 }), { maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 2 ** 52 - 1 }), { maxLength: 100 }),
        (added, probes) => {
          const set = new FingerprintSet(4);
          for (const value of added) set.add(value);
          const expected = new Set(added);
          assert.equal(set.size, expected.size);
          for (const value of [...added, ...probes])
            assert.equal(set.has(value), expected.has(value));
        },
      ),
    );
  });

  it('says whether an added fingerprint was new', () => {
    const set = new FingerprintSet();
    assert.equal(set.add(5), true);
    assert.equal(set.add(5), false);
    assert.equal(set.size, 1);
  });

  it('round-trips through bytes, 8 per fingerprint', () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 5000; i++) set.add(fingerprint(`u${i}`, 9));
    const bytes = set.toBytes();
    assert.equal(bytes.byteLength, 5000 * 8);
    const back = FingerprintSet.fromBytes(bytes);
    assert.equal(back.size, 5000);
    for (let i = 0; i < 5000; i++) assert.ok(back.has(fingerprint(`u${i}`, 9)));
    assert.equal(back.has(fingerprint('other', 9)), false);
    // Bytes at an odd offset of a larger buffer (as a DynamoDB binary may come).
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    assert.equal(FingerprintSet.fromBytes(shifted.subarray(3)).size, 5000);
  });

  it('refuses bytes that are not fingerprints, saying why', () => {
    assert.throws(
      () => FingerprintSet.fromBytes(new Uint8Array(7)),
      /whole number of 8-byte fingerprints, got 7 bytes/,
    );
    assert.throws(() => FingerprintSet.fromBytes(new Uint8Array(8)), /invalid fingerprint \(0\)/);
    const bad = new Uint8Array(new Float64Array([1.5]).buffer);
    assert.throws(() => FingerprintSet.fromBytes(bad), /invalid fingerprint \(1.5\)/);
  });

  it('keeps apart the fingerprints read back and those added since, which are all a save appends', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 52 - 1 }), { maxLength: 500 }),
        fc.array(fc.integer({ min: 1, max: 2 ** 52 - 1 }), { maxLength: 500 }),
        (stored, added) => {
          const set = FingerprintSet.fromBytes(new Uint8Array(new Float64Array(stored).buffer));
          assert.equal(set.savedSize, stored.length);
          assert.equal(set.unsavedBytes().byteLength, 0, 'nothing new right after reading');
          for (const value of added) set.add(value);
          const storedSet = new Set(stored);
          const fresh = new Set(added.filter((value) => !storedSet.has(value)));
          const unsaved = new Float64Array(set.unsavedBytes().buffer);
          assert.deepEqual(new Set(unsaved), fresh, 'exactly the new ones');
          assert.equal(unsaved.length, fresh.size, 'each once');
          assert.equal(set.size, stored.length + fresh.size);
          // What was stored plus what a save appends reads back as the whole set.
          const appended = Buffer.concat([
            new Uint8Array(new Float64Array(stored).buffer),
            set.unsavedBytes(),
          ]);
          const back = FingerprintSet.fromBytes(new Uint8Array(appended));
          assert.equal(back.size, set.size);
          for (const value of [...stored, ...added]) assert.ok(back.has(value));
        },
      ),
    );
  });

  it('counts every fingerprint of a new set as unsaved', () => {
    const set = new FingerprintSet();
    set.add(3);
    set.add(4);
    assert.equal(set.savedSize, 0);
    assert.equal(set.unsavedBytes().byteLength, 16);
  });
});
