import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFields, analyzeQuery, exactPrefix, tokenizeFields, type IndexedFields } from '../../src/indexes/analyze-fields.js';
import { Bm25Index, defaultBm25Params, type Bm25Hit, type Bm25Params } from '../../src/indexes/bm25-index.js';
import { Bm25Shard } from '../../src/indexes/bm25-shard.js';

interface Doc {
  fields: IndexedFields;
  collection: string;
}

/**
 * A deliberately naive BM25: recomputes every document's terms, N, df and avgdl from the live
 * documents (of `collections`, when given) for each query, and scores every document against
 * every query term.
 */
function bruteForce(docs: ReadonlyMap<number, Doc>, query: string, params: Bm25Params, collections?: ReadonlySet<string>) {
  const analyzed = [...docs]
    .filter(([, doc]) => !collections || collections.has(doc.collection))
    .map(([id, doc]) => ({ id, doc, ...analyzeFields(doc.fields, params.titleWeight, params.headingWeight) }));
  const n = analyzed.length;
  const avgdl = analyzed.reduce((sum, d) => sum + d.length, 0) / n || 1;
  const idfs = new Map<string, number>(); // counted once per term and query, not per document
  const idf = (term: string) => {
    let value = idfs.get(term);
    if (value === undefined) {
      const df = analyzed.filter((d) => d.terms.has(term)).length;
      idfs.set(term, (value = Math.log(1 + (n - df + 0.5) / (df + 0.5))));
    }
    return value;
  };
  const queryTerms = analyzeQuery(query, params.questionWordWeight).terms;
  const scores = new Map<number, number>();
  for (const d of analyzed) {
    let score = 0;
    let matched = false;
    for (const [term, qtf] of queryTerms) {
      const tf = d.terms.get(term);
      if (tf === undefined) continue;
      const kind = term.startsWith(exactPrefix) ? params.exactWeight : term.includes(' ') ? params.bigramWeight : 1;
      if (kind <= 0) continue;
      matched = true;
      const norm = tf + params.k1 * (1 - params.b + (params.b * d.length) / avgdl);
      score += (kind * qtf * idf(term) * tf * (params.k1 + 1)) / norm;
    }
    if (matched) scores.set(d.id, score);
  }
  return scores;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));

/** The index's top k agrees with the oracle: same scores, and nothing better was left out. */
function expectAgreement(hits: Bm25Hit[], oracle: Map<number, number>, k: number): void {
  expect(hits).toHaveLength(Math.min(k, oracle.size));
  for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
  for (const hit of hits) {
    const expected = oracle.get(hit.id);
    expect(expected, `document ${hit.id} should not match`).toBeDefined();
    if (!close(hit.score, expected!)) expect(hit.score).toBeCloseTo(expected!, 4);
  }
  if (hits.length === 0) return;
  const cutoff = hits[hits.length - 1]!.score;
  const returned = new Set(hits.map((h) => h.id));
  for (const [id, score] of oracle) {
    // Anything clearly better than the last hit must have been returned (ties may go either way).
    if (score > cutoff + 1e-4 * Math.max(1, cutoff)) expect(returned.has(id), `document ${id} (${score}) missing`).toBe(true);
  }
}

const vocabulary = [
  'học',
  'hoc',
  'phí',
  'phi',
  'tháng',
  'thang',
  'giá',
  'gia',
  'cá',
  'cà',
  'cả',
  'ca',
  'lớp',
  'lop',
  'toán',
  'toan',
  'hòa',
  'hoà',
  'người',
  'nguoi',
  'đồng',
  'students',
  'student',
  'running',
  'fees',
  'the',
  'math',
  'class',
  '2023-2024',
  '350.000',
  '3759/BGDĐT-GDTX',
  'Hà',
  'Nội',
  'bao',
  'nhiêu',
  'gì',
  'how',
];
const word = fc.constantFrom(...vocabulary);
const phrase = (max: number) =>
  fc.array(fc.tuple(word, fc.constantFrom(' ', ' ', ' ', '. ', ', ')), { maxLength: max }).map((ws) =>
    ws
      .map(([w, sep]) => w + sep)
      .join('')
      .trim(),
  );
const fieldsArb: fc.Arbitrary<IndexedFields> = fc.record({ title: phrase(3), headings: phrase(3), text: phrase(12) });
const paramsArb: fc.Arbitrary<Bm25Params> = fc.record({
  k1: fc.constantFrom(0.5, 0.9, 1.2, 2),
  b: fc.constantFrom(0, 0.4, 0.75, 1),
  titleWeight: fc.constantFrom(0, 1, 2),
  headingWeight: fc.constantFrom(0, 0.5, 1.5),
  bigramWeight: fc.constantFrom(0, 0.5, 1),
  exactWeight: fc.constantFrom(0, 0.3, 1),
  questionWordWeight: fc.constantFrom(1, 0.3),
});
/** Adds and removals over a small id range, so removed ids are also added again. */
const opsArb = fc.array(fc.record({ id: fc.nat(15), fields: fieldsArb, collection: fc.constantFrom('a', 'b', 'c') }), {
  minLength: 1,
  maxLength: 25,
});

function build(
  params: Bm25Params,
  ops: Array<{ id: number; fields: IndexedFields; collection: string }>,
  start?: { index: Bm25Index; docs: Map<number, Doc> },
) {
  const index = start?.index ?? new Bm25Index(params);
  const docs = start?.docs ?? new Map<number, Doc>();
  for (const op of ops) {
    const existing = docs.get(op.id);
    if (existing) {
      index.remove(op.id, existing.fields);
      docs.delete(op.id);
    } else {
      index.add(op.id, op.fields, op.collection);
      docs.set(op.id, { fields: op.fields, collection: op.collection });
    }
  }
  return { index, docs };
}

describe('Bm25Index', () => {
  it('ranks exactly like a brute-force BM25 scorer, through adds, removals and re-adds', () => {
    fc.assert(
      fc.property(paramsArb, opsArb, phrase(4), fc.integer({ min: 1, max: 6 }), (params, ops, query, k) => {
        const { index, docs } = build(params, ops);
        expect(index.size).toBe(docs.size);
        expectAgreement(index.search(query, k), bruteForce(docs, query, params), k);
      }),
      { numRuns: 150 },
    );
  });

  it('counts every term analyzeFields gives a document, and the same whether or not its tokens come with it', () => {
    // `add` walks the tokens itself (bigrams found by their syllables' lists, not their strings):
    // its document frequencies must be those of analyzeFields, term by term.
    fc.assert(
      fc.property(paramsArb, opsArb, (params, ops) => {
        const { index, docs } = build(params, ops);
        const analyzed = [...docs.values()].map((d) => analyzeFields(d.fields, params.titleWeight, params.headingWeight).terms);
        const terms = new Set(analyzed.flatMap((t) => [...t.keys()]));
        for (const term of terms) expect(index.documentFrequency(term), term).toBe(analyzed.filter((t) => t.has(term)).length);
        const pretokenized = new Bm25Index(params);
        for (const [id, d] of docs) pretokenized.add(id, { ...d.fields, tokens: tokenizeFields(d.fields) }, d.collection);
        const fresh = new Bm25Index(params);
        for (const [id, d] of docs) fresh.add(id, d.fields, d.collection);
        expect(pretokenized.serialize().equals(fresh.serialize())).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('scores a search of some collections with their statistics alone, as an index of only them would', () => {
    fc.assert(
      fc.property(paramsArb, opsArb, phrase(3), fc.subarray(['a', 'b', 'c']), (params, ops, query, wanted) => {
        const { index, docs } = build(params, ops);
        const collections = new Set(wanted);
        const hits = index.search(query, 5, collections);
        expectAgreement(hits, bruteForce(docs, query, params, collections), 5);
        for (const hit of hits) expect(collections.has(docs.get(hit.id)!.collection)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('searches identically after serialize and deserialize', () => {
    fc.assert(
      fc.property(paramsArb, opsArb, fc.array(phrase(4), { minLength: 1, maxLength: 4 }), (params, ops, queries) => {
        const { index } = build(params, ops);
        const copy = Bm25Index.deserialize(index.serialize(), params);
        expect(copy.size).toBe(index.size);
        for (const query of queries) {
          expect(copy.search(query, 10)).toEqual(index.search(query, 10));
          expect(copy.search(query, 10, new Set(['b']))).toEqual(index.search(query, 10, new Set(['b'])));
        }
        for (const term of ['hoc', '=học', 'hoc phi', 'student', '2023-2024', 'ca']) {
          expect(copy.documentFrequency(term)).toBe(index.documentFrequency(term));
          expect(copy.idf(term)).toBe(index.idf(term));
        }
        // The copy serializes to the same bytes: tombstones are not carried over.
        expect(copy.serialize().equals(index.serialize())).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps adding and removing after a load as if it had never been saved', () => {
    fc.assert(
      fc.property(paramsArb, opsArb, opsArb, phrase(4), fc.integer({ min: 1, max: 6 }), (params, before, after, query, k) => {
        const { index, docs } = build(params, before);
        const loaded = build(params, after, { index: Bm25Index.deserialize(index.serialize(), params), docs });
        expect(loaded.index.size).toBe(loaded.docs.size);
        expectAgreement(loaded.index.search(query, k), bruteForce(loaded.docs, query, params), k);
        expectAgreement(loaded.index.search(query, k, new Set(['a'])), bruteForce(loaded.docs, query, params, new Set(['a'])), k);
      }),
      { numRuns: 100 },
    );
  });

  it('returns the exhaustive top k when pruning stops scanning the common terms', () => {
    // Zipf-like text: a few syllables in nearly every document, many rare ones; small k makes the
    // k-th score high early, so the lists of the common syllables are probed, not scanned.
    const common = ['học', 'và', 'của', 'các', 'là'];
    const rare = Array.from({ length: 60 }, (_, i) => `từ${i}`);
    const textArb = fc
      .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...rare) }), {
        minLength: 3,
        maxLength: 30,
      })
      .map((w) => w.join(' '));
    const corpusArb = fc.array(fc.record({ text: textArb, collection: fc.constantFrom('a', 'b') }), { minLength: 50, maxLength: 250 });
    const queryArb = fc
      .tuple(fc.subarray(common, { minLength: 1 }), fc.subarray(rare, { minLength: 1, maxLength: 3 }))
      .map(([c, r]) => [...r, ...c].join(' '));
    fc.assert(
      fc.property(corpusArb, queryArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), (corpus, query, k, reload) => {
        const ops = corpus.map((d, id) => ({ id, fields: { title: '', headings: '', text: d.text }, collection: d.collection }));
        const built = build(defaultBm25Params, ops);
        const index = reload ? Bm25Index.deserialize(built.index.serialize(), defaultBm25Params) : built.index;
        expectAgreement(index.search(query, k), bruteForce(built.docs, query, defaultBm25Params), k);
        expectAgreement(index.search(query, k, new Set(['b'])), bruteForce(built.docs, query, defaultBm25Params, new Set(['b'])), k);
      }),
      { numRuns: 60 },
    );
  });

  it('returns the exhaustive top k over thousands of documents (k-th score from a sampled floor, radix-sorted candidates)', () => {
    // Large enough that the k-th score is found through its sampled floor and the candidates pass
    // the radix sort's threshold (the small corpora above take the plain paths).
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const common = ['học', 'và', 'của', 'các', 'là', 'viên', 'lớp'];
    const rare = Array.from({ length: 400 }, (_, i) => `từ${i}`);
    const docs = new Map<number, Doc>();
    const index = new Bm25Index(defaultBm25Params);
    for (let id = 0; id < 6000; id++) {
      const words = Array.from({ length: 5 + Math.floor(next() * 25) }, () =>
        next() < 0.7 ? common[Math.floor(next() * common.length)]! : rare[Math.floor(next() * rare.length)]!,
      );
      const fields = { title: '', headings: '', text: words.join(' ') };
      const collection = next() < 0.5 ? 'a' : 'b';
      index.add(id, fields, collection);
      docs.set(id, { fields, collection });
    }
    for (let q = 0; q < 12; q++) {
      const query = [...common.slice(0, 2 + (q % 5)), rare[q * 7]!, rare[q * 13]!].join(' ');
      const oracle = bruteForce(docs, query, defaultBm25Params);
      for (const k of [3, 50]) expectAgreement(index.search(query, k), oracle, k);
    }
  });

  it('ranks the document with the same diacritics first, and matches all when the query has none', () => {
    const index = new Bm25Index();
    index.add(0, { title: '', headings: '', text: 'con cá' }, 'x');
    index.add(1, { title: '', headings: '', text: 'quả cà' }, 'x');
    index.add(2, { title: '', headings: '', text: 'tất cả' }, 'x');
    const marked = index.search('cá', 10);
    expect(marked.map((h) => h.id)).toEqual([0, 1, 2]);
    expect(marked[0]!.score).toBeGreaterThan(marked[1]!.score);
    expect(marked[1]!.score).toBe(marked[2]!.score);
    const plain = index.search('ca', 10);
    expect(plain.map((h) => h.id).sort()).toEqual([0, 1, 2]);
    expect(new Set(plain.map((h) => h.score)).size).toBe(1);
  });

  it('finds a document with diacritics from a query typed without them', () => {
    const index = new Bm25Index();
    index.add(1, { title: 'Thông báo', headings: '', text: 'Học phí một tháng là 350.000 đồng.' }, 'x');
    index.add(2, { title: 'Lịch học', headings: '', text: 'Lớp học buổi tối từ 18 giờ.' }, 'x');
    expect(index.search('hoc phi mot thang', 2)[0]?.id).toBe(1);
    expect(index.search('350000', 2).map((h) => h.id)).toEqual([1]);
    expect(index.search('350.000', 2).map((h) => h.id)).toEqual([1]);
  });

  it('prefers adjacent syllables (the bigram) over the same syllables apart', () => {
    const index = new Bm25Index();
    index.add(1, { title: '', headings: '', text: 'phí đăng ký học thêm' }, 'x');
    index.add(2, { title: '', headings: '', text: 'đăng ký học phí thêm' }, 'x');
    const hits = index.search('học phí', 2);
    expect(hits.map((h) => h.id)).toEqual([2, 1]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('does not form a bigram across a full stop', () => {
    const index = new Bm25Index();
    index.add(1, { title: '', headings: '', text: 'đóng học. Phí thấp' }, 'x');
    expect(index.documentFrequency('hoc phi')).toBe(0);
    index.add(2, { title: '', headings: '', text: 'đóng học phí thấp' }, 'x');
    expect(index.documentFrequency('hoc phi')).toBe(1);
  });

  it('weights title tokens by titleWeight', () => {
    const params = { ...defaultBm25Params, titleWeight: 3 };
    const index = new Bm25Index(params);
    index.add(1, { title: 'Toán', headings: '', text: 'bài tập về nhà' }, 'x');
    index.add(2, { title: 'Văn', headings: '', text: 'bài tập toán' }, 'x');
    expect(index.search('toán', 2).map((h) => h.id)).toEqual([1, 2]);
    const flat = new Bm25Index({ ...defaultBm25Params, titleWeight: 0 });
    flat.add(1, { title: 'Toán', headings: '', text: 'bài tập về nhà' }, 'x');
    flat.add(2, { title: 'Văn', headings: '', text: 'bài tập toán' }, 'x');
    expect(flat.search('toán', 2).map((h) => h.id)).toEqual([2]);
  });

  it('uses Lucene idf and tracks document frequencies through removals', () => {
    const index = new Bm25Index();
    const a = { title: '', headings: '', text: 'học phí' };
    const b = { title: '', headings: '', text: 'học bổng' };
    index.add(0, a, 'x');
    index.add(1, b, 'x');
    expect(index.documentFrequency('hoc')).toBe(2);
    expect(index.documentFrequency('=học')).toBe(2);
    expect(index.idf('hoc')).toBeCloseTo(Math.log(1 + 0.5 / 2.5), 12);
    expect(index.idf('absent')).toBeCloseTo(Math.log(1 + 2.5 / 0.5), 12);
    index.remove(1, b);
    expect(index.size).toBe(1);
    expect(index.has(1)).toBe(false);
    expect(index.documentFrequency('bong')).toBe(0);
    expect(index.search('bổng', 5)).toEqual([]);
    index.remove(1, b); // a second removal is a no-op
    expect(index.size).toBe(1);
  });

  it('forgets a removed document when its id is added again with other text', () => {
    const index = new Bm25Index();
    const old = { title: '', headings: '', text: 'con cá' };
    index.add(0, old, 'x');
    index.add(1, { title: '', headings: '', text: 'quả cà' }, 'x');
    index.remove(0, old);
    index.add(0, { title: '', headings: '', text: 'con chó' }, 'y');
    expect(index.search('cá', 10).map((h) => h.id)).toEqual([1]);
    expect(index.search('con', 10).map((h) => h.id)).toEqual([0]);
    expect(index.search('con', 10, new Set(['x']))).toEqual([]);
    const copy = Bm25Index.deserialize(index.serialize(), defaultBm25Params);
    expect(copy.search('cá', 10).map((h) => h.id)).toEqual([1]);
    expect(copy.search('con', 10)).toEqual(index.search('con', 10));
  });

  it('refuses to add a live id twice', () => {
    const index = new Bm25Index();
    index.add(3, { title: '', headings: '', text: 'a' }, 'x');
    expect(() => index.add(3, { title: '', headings: '', text: 'b' }, 'x')).toThrow(/already indexed/);
  });

  it('grows for large ids and survives a round trip', () => {
    const index = new Bm25Index();
    index.add(5000, { title: '', headings: '', text: 'xa lắm' }, 'x');
    index.add(2, { title: '', headings: '', text: 'gần' }, 'x');
    expect(index.search('xa', 3).map((h) => h.id)).toEqual([5000]);
    const copy = Bm25Index.deserialize(index.serialize(), defaultBm25Params);
    expect(copy.search('xa', 3)).toEqual(index.search('xa', 3));
    expect(copy.has(5000) && copy.has(2) && !copy.has(3)).toBe(true);
  });

  it('returns nothing for an empty index, k ≤ 0 or a query without terms', () => {
    const index = new Bm25Index();
    expect(index.search('học', 5)).toEqual([]);
    index.add(0, { title: '', headings: '', text: 'học' }, 'x');
    expect(index.search('học', 0)).toEqual([]);
    expect(index.search('the of and', 5)).toEqual([]);
    expect(index.search('', 5)).toEqual([]);
  });

  it('loads a shard file of the first format (terms unsorted, in the header) like a fresh shard, and refuses it as a whole index', () => {
    // Written by the version-1 serializer: the same four documents, the fourth removed and re-added.
    const bytes = readFileSync(new URL('../fixtures/bm25-format-1.bin', import.meta.url));
    const loaded = Bm25Shard.deserialize(bytes, defaultBm25Params);
    const fresh = new Bm25Shard(defaultBm25Params);
    fresh.add(1, { title: 'Học phí', headings: 'Mức thu', text: 'Học phí lớp tin học cơ bản là 450.000 đồng mỗi tháng.' }, 'a');
    fresh.add(2, { title: 'Thư viện', headings: '', text: 'Thư viện mở cửa từ 7h00 đến 20h30, thứ Hai đến thứ Sáu.' }, 'b');
    fresh.add(3, { title: 'Lịch học', headings: 'Buổi tối', text: 'Lớp buổi tối học từ 18h00 đến 20h30.' }, 'a');
    fresh.add(4, { title: 'Nội quy', headings: '', text: 'Học viên đi học đúng giờ.' }, 'a');
    expect(loaded.size).toBe(4);
    for (const query of ['hoc phi', 'thư viện mở cửa', '20h30', 'học viên', 'nghỉ thi']) {
      const terms = analyzeQuery(query, defaultBm25Params.questionWordWeight).terms;
      expect(loaded.search(terms, 5)).toEqual(fresh.search(terms, 5));
    }
    expect(loaded.documentFrequency('nghi')).toBe(0);
    // Saved again, it is in the current shard format, byte for byte what the fresh shard writes.
    expect(loaded.serialize().equals(fresh.serialize())).toBe(true);
    // A whole index of that age (one list per term over every collection) is rebuilt from the store.
    expect(() => Bm25Index.deserialize(bytes, defaultBm25Params)).toThrow(/rebuilt from the store/);
  });

  it('loads a 4-byte-aligned file, and refuses a truncated one', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 50; i++) index.add(i, { title: '', headings: '', text: `bài ${i} học phí tháng ${i % 7}` }, 'x');
    const bytes = index.serialize();
    const aligned = Buffer.from(new Uint8Array(bytes).buffer); // byteOffset 0, as readFileSync gives large files
    const loaded = Bm25Index.deserialize(aligned, defaultBm25Params);
    expect(loaded.search('hoc phi thang 3', 5)).toEqual(index.search('hoc phi thang 3', 5));
    expect(() => Bm25Index.deserialize(bytes.subarray(0, bytes.length - 10), defaultBm25Params)).toThrow(/truncated/);
  });

  it('refuses to deserialize with other parameters', () => {
    const index = new Bm25Index();
    index.add(0, { title: '', headings: '', text: 'học' }, 'x');
    expect(() => Bm25Index.deserialize(index.serialize(), { ...defaultBm25Params, k1: defaultBm25Params.k1 + 0.3 })).toThrow(
      /other parameters/,
    );
  });
});
