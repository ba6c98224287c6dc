import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkDocument, defaultChunkerSettings, type Chunk, type ChunkerSettings } from '../../src/chunk/index.js';
import type { Block, LoadedDocument } from '../../src/ingest/types.js';
import { splitSentences } from '../../src/text/index.js';

const source = { documentId: 'doc-1', title: 'Tài liệu', collection: 'chung' };
const doc = (blocks: Block[], format: LoadedDocument['format'] = 'markdown'): LoadedDocument => ({
  format,
  title: 'Tài liệu',
  pages: Math.max(1, ...blocks.map((b) => b.page ?? 1)),
  blocks,
});
const h = (level: number, text: string, page?: number): Block =>
  page === undefined ? { kind: 'heading', level, text } : { kind: 'heading', level, text, page };
const p = (text: string, page?: number): Block => (page === undefined ? { kind: 'paragraph', text } : { kind: 'paragraph', text, page });
const words = (text: string) => text.split(/\s+/).filter(Boolean);
const sentence = (n: number) => `Câu số ${n} nói về học phí của lớp.`;

// ---- random documents ----

const vocabulary = [
  'học',
  'phí',
  'tháng',
  'lớp',
  'Hà',
  'Nội',
  'TP.',
  'v.v.',
  '3.5',
  '350.000',
  'đồng',
  'buổi',
  'tối',
  'the',
  'class',
  'fee',
  'monthly',
  'khuỷu',
  'người',
];
const sentenceArb = fc
  .tuple(fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 30 }), fc.constantFrom('.', '?', '!', ''))
  .map(([ws, end]) => ws.join(' ') + end);
const paragraphArb = fc.oneof(
  { weight: 9, arbitrary: fc.array(sentenceArb, { minLength: 1, maxLength: 6 }).map((ss) => ss.join(' ')) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ') },
);
type Item = { kind: 'heading'; level: number } | { kind: 'paragraph'; text: string } | { kind: 'page' };
const itemsArb = fc.array(
  fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }).map((level): Item => ({ kind: 'heading', level })) },
    { weight: 6, arbitrary: paragraphArb.map((text): Item => ({ kind: 'paragraph', text })) },
    { weight: 1, arbitrary: fc.constant<Item>({ kind: 'page' }) },
  ),
  { maxLength: 25 },
);
/** Blocks with unique heading texts; with `paged`, every block carries a non-decreasing page. */
const documentArb = fc.tuple(itemsArb, fc.boolean()).map(([items, paged]) => {
  let page = 1;
  let headings = 0;
  const blocks: Block[] = [];
  for (const item of items) {
    if (item.kind === 'page') page++;
    else if (item.kind === 'heading') blocks.push(h(item.level, `Mục ${++headings}`, paged ? page : undefined));
    else blocks.push(p(item.text, paged ? page : undefined));
  }
  return doc(blocks, paged ? 'pdf' : 'markdown');
});
const settingsArb: fc.Arbitrary<ChunkerSettings> = fc.record({
  maxChars: fc.constantFrom(60, 120, 300, 1000),
  overlapChars: fc.constantFrom(0, 20, 50),
});

/** The sections a reader sees: heading path (by a heading stack) and page, with their words. */
function referenceSections(d: LoadedDocument): Array<{ key: string; words: string[] }> {
  const stack: Array<{ level: number; text: string }> = [];
  const out: Array<{ key: string; words: string[] }> = [];
  for (const block of d.blocks) {
    if (block.kind === 'heading') {
      while (stack.length && stack[stack.length - 1]!.level >= block.level) stack.pop();
      stack.push({ level: block.level, text: block.text });
      continue;
    }
    const w = words(block.text);
    if (w.length === 0) continue;
    const key = JSON.stringify([stack.map((s) => s.text), block.page ?? null]);
    const last = out[out.length - 1];
    if (last?.key === key) last.words.push(...w);
    else out.push({ key, words: w });
  }
  return out;
}

function chunkSections(chunks: Chunk[]): Array<{ key: string; words: string[] }> {
  const out: Array<{ key: string; words: string[] }> = [];
  for (const c of chunks) {
    const key = JSON.stringify([c.headingPath, c.pageStart]);
    const last = out[out.length - 1];
    if (last?.key === key) last.words.push(...words(c.text));
    else out.push({ key, words: words(c.text) });
  }
  return out;
}

describe('chunkDocument (properties)', () => {
  it('gives deterministic, unique, ordinal ids', () => {
    fc.assert(
      fc.property(documentArb, settingsArb, (d, settings) => {
        const chunks = chunkDocument(d, source, settings);
        expect(chunkDocument(d, source, settings)).toEqual(chunks);
        chunks.forEach((c, i) => {
          expect(c.id).toBe(`doc-1#${i}`);
          expect(c.ordinal).toBe(i);
          expect(c).toMatchObject({ documentId: 'doc-1', title: 'Tài liệu', collection: 'chung' });
          expect(c.text.trim().length).toBeGreaterThan(0);
        });
        expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
      }),
      { numRuns: 150 },
    );
  });

  it('never exceeds maxChars without overlap, nor maxChars plus the overlap and its newline with it', () => {
    fc.assert(
      fc.property(documentArb, settingsArb, (d, settings) => {
        for (const c of chunkDocument(d, source, settings)) {
          expect(c.text.length).toBeLessThanOrEqual(settings.maxChars + (settings.overlapChars > 0 ? settings.overlapChars + 1 : 0));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('without overlap, keeps every word once, in order, under the right heading path and page', () => {
    fc.assert(
      fc.property(documentArb, fc.constantFrom(60, 120, 300, 1000), (d, maxChars) => {
        const chunks = chunkDocument(d, source, { maxChars, overlapChars: 0 });
        expect(chunkSections(chunks)).toEqual(referenceSections(d));
      }),
      { numRuns: 150 },
    );
  });

  it('never lets a chunk span two PDF pages', () => {
    fc.assert(
      fc.property(documentArb, settingsArb, (d, settings) => {
        for (const c of chunkDocument(d, source, settings)) {
          if (d.format === 'pdf') {
            expect(c.pageStart).not.toBeNull();
            expect(c.pageEnd).toBe(c.pageStart);
          } else {
            expect(c.pageStart).toBeNull();
            expect(c.pageEnd).toBeNull();
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('opens each next chunk of a section with the tail sentence of the previous one', () => {
    fc.assert(
      fc.property(documentArb, fc.constantFrom(120, 300), fc.constantFrom(40, 80), (d, maxChars, overlapChars) => {
        const chunks = chunkDocument(d, source, { maxChars, overlapChars });
        for (let i = 1; i < chunks.length; i++) {
          const [prev, cur] = [chunks[i - 1]!, chunks[i]!];
          const sameSection = JSON.stringify(prev.headingPath) === JSON.stringify(cur.headingPath) && prev.pageStart === cur.pageStart;
          const sentences = splitSentences(prev.text);
          const last = sentences[sentences.length - 1]!.text;
          const at = cur.text.indexOf(last);
          if (sameSection && sentences.length >= 2 && last.length <= overlapChars) {
            expect(at, `chunk ${i} should repeat "${last}"`).toBeGreaterThanOrEqual(0);
            expect(at + last.length).toBeLessThanOrEqual(overlapChars);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('chunkDocument (examples)', () => {
  it('starts a new chunk at each heading and pops heading levels correctly', () => {
    const chunks = chunkDocument(
      doc([
        h(1, 'Chương 1'),
        p('Mở đầu chương một.'),
        h(2, 'Bài 1'),
        p('Nội dung bài một.'),
        h(3, 'Ví dụ'),
        p('Một ví dụ.'),
        h(2, 'Bài 2'),
        p('Nội dung bài hai.'),
        h(3, 'Ghi chú'),
        h(1, 'Chương 2'),
        p('Mở đầu chương hai.'),
      ]),
      source,
    );
    expect(chunks.map((c) => [c.headingPath, c.text])).toEqual([
      [['Chương 1'], 'Mở đầu chương một.'],
      [['Chương 1', 'Bài 1'], 'Nội dung bài một.'],
      [['Chương 1', 'Bài 1', 'Ví dụ'], 'Một ví dụ.'],
      [['Chương 1', 'Bài 2'], 'Nội dung bài hai.'],
      [['Chương 2'], 'Mở đầu chương hai.'],
    ]);
  });

  it('keeps text before the first heading with an empty heading path', () => {
    const chunks = chunkDocument(doc([p('Lời nói đầu.'), h(1, 'Phần 1'), p('Nội dung.')]), source);
    expect(chunks.map((c) => c.headingPath)).toEqual([[], ['Phần 1']]);
  });

  it('packs short paragraphs of a section into one chunk', () => {
    const chunks = chunkDocument(doc([h(1, 'A'), p('Một.'), p('Hai.'), p('Ba.')]), source);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toBe('Một.\nHai.\nBa.');
  });

  it('starts a new chunk on every PDF page and records the page', () => {
    const chunks = chunkDocument(
      doc([h(1, 'Bài 1', 1), p('Trang một, đoạn một.', 1), p('Trang một, đoạn hai.', 1), p('Trang hai.', 2), p('Trang bốn.', 4)], 'pdf'),
      source,
    );
    expect(chunks.map((c) => [c.pageStart, c.pageEnd, c.text])).toEqual([
      [1, 1, 'Trang một, đoạn một.\nTrang một, đoạn hai.'],
      [2, 2, 'Trang hai.'],
      [4, 4, 'Trang bốn.'],
    ]);
  });

  it('does not carry the overlap across a page or a heading', () => {
    const long = (from: number) => [from, from + 1, from + 2, from + 3].map(sentence).join(' ');
    const chunks = chunkDocument(doc([p(long(1), 1), p(long(10), 2), h(1, 'Mới', 2), p(long(20), 2)], 'pdf'), source, {
      maxChars: 80,
      overlapChars: 40,
    });
    const firstOnPage2 = chunks.find((c) => c.pageStart === 2)!;
    expect(firstOnPage2.text.startsWith(sentence(10))).toBe(true);
    const firstUnderHeading = chunks.find((c) => c.headingPath[0] === 'Mới')!;
    expect(firstUnderHeading.text.startsWith(sentence(20))).toBe(true);
  });

  it('repeats the last sentence of the previous chunk when a section continues', () => {
    const chunks = chunkDocument(doc([h(1, 'A'), p([1, 2, 3].map(sentence).join(' ')), p([4, 5, 6].map(sentence).join(' '))]), source, {
      maxChars: 150,
      overlapChars: 40,
    });
    expect(chunks.map((c) => c.text)).toEqual([[1, 2, 3].map(sentence).join(' '), `${sentence(3)}\n${[4, 5, 6].map(sentence).join(' ')}`]);
  });

  it('splits a long paragraph at sentence ends', () => {
    const text = Array.from({ length: 12 }, (_, i) => sentence(i + 1)).join(' ');
    const chunks = chunkDocument(doc([p(text)]), source, { maxChars: 100, overlapChars: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(100);
      expect(c.text).toMatch(/^Câu số \d+ .*\.$/s);
    }
    expect(
      chunks
        .map((c) => c.text)
        .join(' ')
        .replace(/\n/g, ' '),
    ).toBe(text);
  });

  it('wraps a sentence longer than maxChars at word boundaries', () => {
    const text = Array.from({ length: 60 }, (_, i) => `từ${i}`).join(' ');
    const chunks = chunkDocument(doc([p(text)]), source, { maxChars: 50, overlapChars: 0 });
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(50);
    expect(chunks.flatMap((c) => words(c.text))).toEqual(words(text));
  });

  it('detects the language of each chunk', () => {
    const chunks = chunkDocument(
      doc([
        h(1, 'Học phí'),
        p('Học phí một tháng là 350.000 đồng, đóng vào đầu tháng.'),
        h(1, 'Tuition'),
        p('The tuition fee is paid at the start of each month.'),
        h(1, 'Ghi chú'),
        p('hoc phi khong bao gom tien sach'),
      ]),
      source,
    );
    expect(chunks.map((c) => c.lang)).toEqual(['vi', 'en', 'vi']);
  });

  it('returns no chunks for a document without text', () => {
    expect(chunkDocument(doc([]), source)).toEqual([]);
    expect(chunkDocument(doc([h(1, 'Chỉ có tiêu đề'), p('   '), h(2, 'Mục')]), source)).toEqual([]);
  });

  it('uses 1,500 characters with 150 of overlap by default', () => {
    expect(defaultChunkerSettings).toEqual({ maxChars: 1500, overlapChars: 150 });
  });
});
