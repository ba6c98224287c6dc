/**
 * A hash map from a pair of non-negative ints to a non-negative int, in flat typed arrays (open
 * addressing, linear probing, never deletes). BM25's `add` finds a bigram's posting list from its
 * two syllables' list ids here: through the term Map it built a string per bigram occurrence and
 * hashed and compared it against a table of about a million terms at 100k chunks.
 */
export class PairTable {
  private keys = new Int32Array(2 * 1024).fill(-1);
  private values = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const { keys } = this;
    const mask = this.values.length - 1;
    for (let slot = hash(a, b) & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 1;
      if (keys[at] === -1) return -1;
      if (keys[at] === a && keys[at + 1] === b) return this.values[slot]!;
    }
  }

  /** Stores `value` for (a, b), replacing any value stored before. */
  set(a: number, b: number, value: number): void {
    if (a < 0 || b < 0 || value < 0) throw new RangeError('PairTable holds non-negative ints only');
    if (2 * (this.count + 1) > this.values.length) this.grow();
    const { keys } = this;
    const mask = this.values.length - 1;
    for (let slot = hash(a, b) & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 1;
      if (keys[at] === -1) {
        keys[at] = a;
        keys[at + 1] = b;
        this.values[slot] = value;
        this.count++;
        return;
      }
      if (keys[at] === a && keys[at + 1] === b) {
        this.values[slot] = value;
        return;
      }
    }
  }

  /** Doubles the table, at half full (probe runs stay short). */
  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.values = new Int32Array(values.length * 2);
    this.count = 0;
    for (let slot = 0; slot < values.length; slot++) {
      if (keys[slot << 1] !== -1) this.set(keys[slot << 1]!, keys[(slot << 1) + 1]!, values[slot]!);
    }
  }
}

/** Mixes both ints (multiplicative hashing; the high bits folded down for the mask). */
function hash(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}
