import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndexedFields } from '../../src/indexes/analyze-fields.js';
import { Bm25Index, defaultBm25Params, type Bm25Params } from '../../src/indexes/bm25-index.js';

// `add` queues postings and moves them into their lists before anything reads the lists (a search,
// a save, an id added again). When that happens must not show: an index searched between every
// change equals one searched only at the end, in bytes, scores and document frequencies.

const vocabulary = [
  'học',
  'hoc',
  'phí',
  'phi',
  'cá',
  'cà',
  'ca',
  'lớp',
  'người',
  'đồng',
  'students',
  'the',
  '2023-2024',
  '350.000',
  'Hà',
  'Nội',
  'bao',
  'nhiêu',
];
const phrase = (max: number) =>
  fc.array(fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(' ', ' ', '. ', ', ')), { maxLength: max }).map((ws) =>
    ws
      .map(([w, sep]) => w + sep)
      .join('')
      .trim(),
  );
const fieldsArb: fc.Arbitrary<IndexedFields> = fc.record({ title: phrase(3), headings: phrase(3), text: phrase(12) });
/** Adds and removals over a small id range, so removed ids are also added again. */
const opsArb = fc.array(fc.record({ id: fc.nat(12), fields: fieldsArb, collection: fc.constantFrom('a', 'b') }), {
  minLength: 1,
  maxLength: 30,
});
const paramsArb: fc.Arbitrary<Bm25Params> = fc.record({
  ...Object.fromEntries(Object.entries(defaultBm25Params).map(([k, v]) => [k, fc.constant(v)])),
  titleWeight: fc.constantFrom(0, 1, 0.3),
  headingWeight: fc.constantFrom(0, 0.7, 1.5),
}) as fc.Arbitrary<Bm25Params>;
const probes = ['hoc', '=học', 'hoc phi', 'ca', 'student', '2023-2024', 'ha noi'];

/** Applies the ops (a live id is removed, any other added), searching after each when `probe` is set. */
function build(
  index: Bm25Index,
  ops: ReadonlyArray<{ id: number; fields: IndexedFields; collection: string }>,
  probe: boolean,
  live = new Map<number, IndexedFields>(),
) {
  const seen: unknown[] = [];
  for (const op of ops) {
    const fields = live.get(op.id);
    if (fields) {
      index.remove(op.id, fields);
      live.delete(op.id);
    } else {
      index.add(op.id, op.fields, op.collection);
      live.set(op.id, op.fields);
    }
    if (probe) seen.push(index.search('hoc phi ca', 3));
    seen.push(probes.map((t) => index.documentFrequency(t)));
  }
  return { seen, live };
}

describe('Bm25Index pending postings', () => {
  it('gives the same index however often its lists are read between changes', () => {
    fc.assert(
      fc.property(paramsArb, opsArb, opsArb, fc.boolean(), (params, before, after, reload) => {
        const probed = new Bm25Index(params);
        const quiet = new Bm25Index(params);
        const a = build(probed, before, true);
        const b = build(quiet, before, false);
        // Document frequencies count queued postings already.
        expect(b.seen).toEqual(a.seen.filter((_, i) => i % 2 === 1));
        const next = (index: Bm25Index) => (reload ? Bm25Index.deserialize(index.serialize(), params) : index);
        const probedNext = next(probed);
        const quietNext = next(quiet);
        build(probedNext, after, true, a.live);
        build(quietNext, after, false, b.live);
        expect(quietNext.serialize().equals(probedNext.serialize())).toBe(true);
        for (const query of ['hoc phi', 'cá lớp người', 'the students 2023-2024', 'Hà Nội bao nhiêu']) {
          expect(quietNext.search(query, 5)).toEqual(probedNext.search(query, 5));
          expect(quietNext.search(query, 5, new Set(['b']))).toEqual(probedNext.search(query, 5, new Set(['b'])));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same index when the pending postings are flushed in small steps during the adds (flushIfOver)', () => {
    fc.assert(
      fc.property(paramsArb, opsArb, fc.integer({ min: 1, max: 40 }), (params, ops, step) => {
        const stepped = new Bm25Index(params);
        const once = new Bm25Index(params);
        const live = new Map<number, IndexedFields>();
        for (const op of ops) {
          const fields = live.get(op.id);
          if (fields) {
            stepped.remove(op.id, fields);
            once.remove(op.id, fields);
            live.delete(op.id);
          } else {
            stepped.add(op.id, op.fields, op.collection);
            stepped.flushIfOver(step);
            once.add(op.id, op.fields, op.collection);
            live.set(op.id, op.fields);
          }
        }
        expect(stepped.serialize().equals(once.serialize())).toBe(true);
        for (const query of ['hoc phi', 'cá lớp người', 'Hà Nội bao nhiêu'])
          expect(stepped.search(query, 5)).toEqual(once.search(query, 5));
      }),
      { numRuns: 150 },
    );
  });
});
