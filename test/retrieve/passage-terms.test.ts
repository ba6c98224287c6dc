import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  joinFoldedTerms,
  passageTermsOf,
  passageTermsOfStored,
  splitFoldedTerms,
  TermDictionary,
} from '../../src/retrieve/passage-terms.js';

/** The plain definition the hashed dictionary replaced: a Map from term to the next id. */
class MapDictionary {
  private readonly ids = new Map<string, number>();
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) this.ids.set(term, (id = this.ids.size));
    return id;
  }
  find(term: string): number {
    return this.ids.get(term) ?? -1;
  }
}

// Folded terms: no spaces, never empty; Vietnamese letters, digits and code characters.
const term = fc.stringMatching(/^[a-z0-9đ/.\-ăâêôơư]{1,6}$/);
const passage = fc.array(term, { maxLength: 60 });

describe('TermDictionary (hashed, interning from stored strings)', () => {
  it('gives the ids of a Map assigning the next id to each new term, with find -1 for unseen terms', () => {
    fc.assert(
      fc.property(fc.array(passage, { maxLength: 8 }), fc.array(term, { maxLength: 10 }), (passages, probes) => {
        const hashed = new TermDictionary();
        const plain = new MapDictionary();
        for (const terms of passages) {
          for (const t of terms) expect(hashed.intern(t)).toBe(plain.intern(t));
        }
        for (const t of probes) expect(hashed.find(t)).toBe(plain.find(t));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps terms whose hashes collide apart, and grows past its first table', () => {
    // FNV-1a, as the dictionary hashes: find two short strings with the same 32-bit hash.
    const fnv = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return h;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const s = `t${i.toString(36)}`;
      const other = seen.get(fnv(s));
      if (other !== undefined) pair = [other, s];
      else seen.set(fnv(s), s);
    }
    const dictionary = new TermDictionary();
    const a = dictionary.intern(pair[0]);
    const b = dictionary.intern(pair[1]);
    expect(a).not.toBe(b);
    expect(dictionary.find(pair[0])).toBe(a);
    expect(dictionary.find(pair[1])).toBe(b);
    for (let i = 0; i < 5000; i++) expect(dictionary.intern(`x${i}`)).toBe(i + 2);
    expect(dictionary.intern(pair[1])).toBe(b);
    expect(dictionary.size).toBe(5002);
  });

  it('interns a stored passage exactly as its split terms (same ids, positions and grouping)', () => {
    fc.assert(
      fc.property(fc.array(passage, { maxLength: 6 }), (passages) => {
        const fromStored = new TermDictionary();
        const fromSplit = new TermDictionary();
        for (const terms of passages) {
          const stored = joinFoldedTerms(terms);
          expect(passageTermsOfStored(stored, fromStored)).toEqual(passageTermsOf(splitFoldedTerms(stored), fromSplit));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('groups positions by term: distinct ids ascending, each with its positions in order', () => {
    fc.assert(
      fc.property(passage, (terms) => {
        const dictionary = new TermDictionary();
        const got = passageTermsOf(terms, dictionary);
        // Plain definition: a Map from id to its positions.
        const byId = new Map<number, number[]>();
        terms.forEach((t, i) => {
          const id = dictionary.find(t);
          byId.set(id, [...(byId.get(id) ?? []), i]);
        });
        const ids = [...byId.keys()].sort((a, b) => a - b);
        expect([...got.distinct]).toEqual(ids);
        ids.forEach((id, k) => expect([...got.positions.subarray(got.offsets[k], got.offsets[k + 1])]).toEqual(byId.get(id)));
        expect(got.offsets[ids.length]).toBe(terms.length);
      }),
      { numRuns: 300 },
    );
  });
});
