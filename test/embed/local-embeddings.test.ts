import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFeatureWeights, extractFeatures } from '../../src/embed/extract-features.js';
import { FeatureStats } from '../../src/embed/feature-stats.js';
import { LocalEmbeddings } from '../../src/embed/local-embeddings.js';

const corpus = [
  'Học phí một tháng là 350.000 đồng.',
  'Lớp học buổi tối bắt đầu lúc 18 giờ.',
  'Mệnh đề là câu khẳng định đúng hoặc sai.',
  'Cài bộ gõ Unikey để gõ tiếng Việt có dấu.',
  'Thư viện mở cửa từ thứ Hai đến thứ Sáu.',
  'The tuition fee is paid monthly.',
];
const [fees, evening, logic, unikey, library, english] = corpus as [string, string, string, string, string, string];

function trained(dimensions?: number): LocalEmbeddings {
  const embedder = new LocalEmbeddings(dimensions ? { dimensions } : {});
  for (const text of corpus) embedder.observe(text);
  return embedder;
}
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const norm = (v: Float32Array) => Math.sqrt(cosine(v, v));

describe('LocalEmbeddings', () => {
  it('is deterministic across instances', () => {
    const a = trained();
    const b = trained();
    for (const text of [...corpus, 'hoc phi bao nhieu', '']) expect(Array.from(a.embed(text))).toEqual(Array.from(b.embed(text)));
    expect(a.id).toBe(b.id);
  });

  it('returns unit vectors of the configured size (or zero for text without words)', () => {
    const embedder = trained(128);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const v = embedder.embed(text);
        expect(v).toBeInstanceOf(Float32Array);
        expect(v).toHaveLength(128);
        const n = norm(v);
        if (extractFeatures(text).size === 0) expect(n).toBe(0);
        else expect(n).toBeCloseTo(1, 5);
      }),
      { numRuns: 150 },
    );
    expect(norm(embedder.embed('Học phí một tháng'))).toBeCloseTo(1, 5);
    expect(norm(embedder.embed('...'))).toBe(0);
  });

  it('puts a question typed without diacritics closest to the sentence it asks about', () => {
    const embedder = trained();
    const q = embedder.embed('hoc phi mot thang');
    const target = cosine(q, embedder.embed(fees));
    for (const other of [evening, logic, unikey, library, english]) expect(target).toBeGreaterThan(cosine(q, embedder.embed(other)) + 0.2);
  });

  it('keeps a one-letter typo closer to the right sentence than to unrelated ones', () => {
    const embedder = trained();
    const typo = embedder.embed('hoc phj');
    const target = cosine(typo, embedder.embed(fees));
    expect(target).toBeGreaterThan(0);
    for (const other of [logic, unikey, library, english]) expect(target).toBeGreaterThan(cosine(typo, embedder.embed(other)));
    // In longer words the character trigrams carry the match on their own.
    const word = embedder.embed('bo go Unikye');
    for (const other of [fees, evening, logic, library, english]) {
      expect(cosine(word, embedder.embed(unikey))).toBeGreaterThan(cosine(word, embedder.embed(other)));
    }
    const swapped = embedder.embed('hoc phi mot thnag');
    for (const other of [evening, logic, unikey, library, english]) {
      expect(cosine(swapped, embedder.embed(fees))).toBeGreaterThan(cosine(swapped, embedder.embed(other)));
    }
  });

  it('gives text with and without diacritics the same vector', () => {
    const embedder = trained();
    expect(Array.from(embedder.embed('học phí một tháng'))).toEqual(Array.from(embedder.embed('hoc phi mot thang')));
  });

  it('weights rare features more after observing the corpus', () => {
    const fresh = new LocalEmbeddings();
    const embedder = trained();
    expect(embedder.stats.documents).toBe(corpus.length);
    // `học` is in two documents, `phí` in one: after observing, `phí` pulls harder.
    const q = embedder.embed('học phí');
    expect(cosine(q, embedder.embed('phí'))).toBeGreaterThan(cosine(q, embedder.embed('học')));
    const qFresh = fresh.embed('học phí');
    expect(cosine(qFresh, fresh.embed('phí'))).toBeCloseTo(cosine(qFresh, fresh.embed('học')), 5);
  });

  it('returns to the same statistics after observe then forget', () => {
    const base = trained();
    const before = base.stats.serialize();
    const vectorBefore = Array.from(base.embed('hoc phi'));
    base.observe('Học phí học kỳ hai tăng 10%.');
    base.observe('Một văn bản khác hoàn toàn.');
    expect(base.stats.serialize().equals(before)).toBe(false);
    base.forget('Một văn bản khác hoàn toàn.');
    base.forget('Học phí học kỳ hai tăng 10%.');
    expect(base.stats.serialize().equals(before)).toBe(true);
    expect(Array.from(base.embed('hoc phi'))).toEqual(vectorBefore);
  });

  it('forgetting more than was observed never drives counts below zero', () => {
    const embedder = new LocalEmbeddings();
    embedder.forget('học phí');
    expect(embedder.stats.documents).toBe(0);
    expect(embedder.stats.df.every((d) => d === 0)).toBe(true);
  });

  it('implements the LangChain Embeddings interface with the same vectors', async () => {
    const embedder = trained(64);
    const [a, b] = await embedder.embedDocuments([fees, english]);
    expect(a).toEqual(Array.from(embedder.embed(fees)));
    expect(b).toEqual(Array.from(embedder.embed(english)));
    expect(await embedder.embedQuery('hoc phi')).toEqual(Array.from(embedder.embed('hoc phi')));
  });

  it('names its vector space after its dimensions and weights', () => {
    expect(new LocalEmbeddings().id).toBe(new LocalEmbeddings().id);
    expect(new LocalEmbeddings({ dimensions: 256 }).id).not.toBe(new LocalEmbeddings().id);
    expect(new LocalEmbeddings({ weights: { ...defaultFeatureWeights, bigram: defaultFeatureWeights.bigram + 0.25 } }).id).not.toBe(
      new LocalEmbeddings().id,
    );
    expect(new LocalEmbeddings().dimensions).toBe(512);
  });
});

describe('FeatureStats', () => {
  it('round-trips through serialize and deserialize', () => {
    const embedder = trained();
    const copy = FeatureStats.deserialize(embedder.stats.serialize());
    expect(copy.documents).toBe(embedder.stats.documents);
    expect(copy.df).toHaveLength(FeatureStats.buckets);
    expect(Buffer.from(copy.df.buffer).equals(Buffer.from(embedder.stats.df.buffer))).toBe(true);
    const restored = new LocalEmbeddings({ stats: copy });
    for (const text of corpus) expect(Array.from(restored.embed(text))).toEqual(Array.from(embedder.embed(text)));
  });

  it('round-trips random counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(FeatureStats.buckets - 1), fc.nat(1000)), { maxLength: 50 }),
        fc.nat(100_000),
        (cells, documents) => {
          const stats = new FeatureStats(undefined, documents);
          for (const [bucket, df] of cells) stats.df[bucket] = df;
          const copy = FeatureStats.deserialize(stats.serialize());
          expect(copy.documents).toBe(documents);
          for (const [bucket] of cells) expect(copy.df[bucket]).toBe(stats.df[bucket]);
          expect(copy.serialize().equals(stats.serialize())).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rejects a file of the wrong size', () => {
    const bytes = new FeatureStats().serialize();
    expect(() => FeatureStats.deserialize(bytes.subarray(0, bytes.length - 4))).toThrow(/wrong size/);
    expect(() => FeatureStats.deserialize(Buffer.alloc(0))).toThrow(/wrong size/);
  });

  it('counts a feature once per document and uses the smoothed idf', () => {
    const stats = new FeatureStats();
    stats.update([5, 5, 5 + FeatureStats.buckets], 1);
    stats.update([5], 1);
    expect(stats.df[5]).toBe(2);
    expect(stats.documents).toBe(2);
    expect(stats.idf(5)).toBeCloseTo(Math.log(3 / 3) + 1, 12);
    expect(stats.idf(6)).toBeCloseTo(Math.log(3 / 1) + 1, 12);
  });
});
