/**
 * A set of 52-bit fingerprints of usernames: what a reconcile run remembers
 * of the users it has listed, at 16 bytes a user (8 once serialised), so that
 * the table's rows can be checked against the whole pool without keeping the
 * usernames. Two different usernames share a fingerprint with a probability
 * of 2^-52 per pair; the only effect is that an orphaned row may be taken for
 * a listed user's and left for a later run (whose salt differs), never that a
 * user's row is taken for an orphan.
 */
export class FingerprintSet {
  /** The fingerprints a checkpoint already holds (see {@link FingerprintSet.fromBytes}). */
  #saved: Slots;
  /** The fingerprints added since. */
  #fresh: Slots;

  /** An empty set sized for about `expected` fingerprints. */
  constructor(expected = 1024) {
    this.#saved = new Slots(0);
    this.#fresh = new Slots(expected);
  }

  /** How many distinct fingerprints the set holds. */
  get size(): number {
    return this.#saved.size + this.#fresh.size;
  }

  /** How many of them were saved already: those {@link FingerprintSet.fromBytes} read. */
  get savedSize(): number {
    return this.#saved.size;
  }

  /** Adds a fingerprint (see {@link fingerprint}); `true` when it was new. */
  add(value: number): boolean {
    if (this.#saved.has(value)) return false;
    return this.#fresh.add(value);
  }

  /** Whether the set holds a fingerprint. */
  has(value: number): boolean {
    return this.#fresh.has(value) || this.#saved.has(value);
  }

  /** The fingerprints as bytes (8 a fingerprint, little-endian doubles), for a checkpoint: the saved ones first. */
  toBytes(): Uint8Array {
    const packed = new Float64Array(this.size);
    const at = this.#saved.packInto(packed, 0);
    this.#fresh.packInto(packed, at);
    return new Uint8Array(packed.buffer);
  }

  /**
   * The fingerprints added since the set was read (all of them for a new set), as
   * bytes like {@link FingerprintSet.toBytes}: what a checkpoint that holds
   * the others needs appended.
   */
  unsavedBytes(): Uint8Array {
    const packed = new Float64Array(this.#fresh.size);
    this.#fresh.packInto(packed, 0);
    return new Uint8Array(packed.buffer);
  }

  /**
   * Rebuilds a set from {@link FingerprintSet.toBytes}; every fingerprint
   * read counts as saved.
   *
   * @throws Error when the bytes are not a whole number of valid fingerprints
   */
  static fromBytes(bytes: Uint8Array): FingerprintSet {
    if (bytes.byteLength % 8 !== 0) {
      throw new Error(
        `a fingerprint set must be a whole number of 8-byte fingerprints, got ${bytes.byteLength} bytes`,
      );
    }
    // A view when the bytes are aligned (no copy of a large checkpoint), a copy otherwise.
    const values =
      bytes.byteOffset % 8 === 0
        ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8)
        : new Float64Array(bytes.slice().buffer);
    const set = new FingerprintSet();
    const saved = new Slots(values.length);
    for (const value of values) {
      if (!Number.isInteger(value) || value < 1 || value > MAX_FINGERPRINT) {
        throw new Error(`a fingerprint set holds an invalid fingerprint (${value})`);
      }
      saved.add(value);
    }
    set.#saved = saved;
    return set;
  }
}

/** An open-addressing hash table of fingerprints (0 marks an empty slot), at most half full. */
class Slots {
  #slots: Float64Array;
  #size = 0;

  constructor(expected: number) {
    this.#slots = new Float64Array(capacityFor(expected));
  }

  get size(): number {
    return this.#size;
  }

  add(value: number): boolean {
    if ((this.#size + 1) * 2 > this.#slots.length) this.#grow();
    if (!insert(this.#slots, value)) return false;
    this.#size++;
    return true;
  }

  has(value: number): boolean {
    if (this.#size === 0) return false;
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let index = value % slots.length; ; index = (index + 1) & mask) {
      const slot = slots[index];
      if (slot === value) return true;
      if (slot === 0) return false;
    }
  }

  /** Writes the fingerprints into `target` from `at`; returns the index after the last. */
  packInto(target: Float64Array, at: number): number {
    let next = at;
    for (const slot of this.#slots) if (slot !== 0) target[next++] = slot;
    return next;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Float64Array(old.length * 2);
    for (const slot of old) if (slot !== 0) insert(this.#slots, slot);
  }
}

/** The largest fingerprint: 2^52 - 1. */
const MAX_FINGERPRINT = 2 ** 52 - 1;

/**
 * The fingerprint of a username under a salt (a 32-bit integer chosen per
 * run): an integer from 1 to 2^52 - 1, from two independently seeded 32-bit
 * FNV-1a hashes of the UTF-16 code units, each finished with a full avalanche.
 * Pure and deterministic.
 */
export function fingerprint(text: string, salt: number): number {
  let low = (0x811c9dc5 ^ salt) >>> 0;
  let high = (0x01000193 ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x5bd1e995);
  }
  low = avalanche(low ^ text.length);
  high = avalanche(high ^ Math.imul(text.length, 0x27d4eb2d)) & 0xfffff;
  const value = high * 2 ** 32 + low;
  return value === 0 ? 1 : value;
}

/** A fresh salt for {@link fingerprint}. */
export function newSalt(random: () => number = Math.random): number {
  return Math.floor(random() * 2 ** 32) >>> 0;
}

function avalanche(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function insert(slots: Float64Array, value: number): boolean {
  const mask = slots.length - 1;
  for (let index = value % slots.length; ; index = (index + 1) & mask) {
    const slot = slots[index];
    if (slot === value) return false;
    if (slot === 0) {
      slots[index] = value;
      return true;
    }
  }
}

function capacityFor(expected: number): number {
  let capacity = 16;
  while (capacity < expected * 2) capacity *= 2;
  return capacity;
}
