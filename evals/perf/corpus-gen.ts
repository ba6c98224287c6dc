/**
 * Scaled benchmark corpora: documents of Vietnamese (≈85 %) and English (≈15 %) sections made by
 * recombining the shipped corpus's sentences with varied vocabulary (adjacent-syllable pairs and
 * words swapped for others of the corpus, numbers redrawn, the fictional province renamed per
 * document, person names injected), and questions with a known gold chunk.
 *
 * Every section is one heading and one paragraph of at most `maxSectionChars` characters, so the
 * trogiang chunker makes exactly one chunk of it (`<document>#<ordinal>`): gold ids need no
 * chunker round trip, and the peers index exactly the same passages.
 *
 * Deterministic (seeded PRNG); cached as JSON lines under `evals/perf/.cache/`.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LoadedDocument } from '../../src/ingest/index.js';
import { foldDiacritics, splitSentences } from '../../src/text/index.js';

export const corpusFormatVersion = 1;
/** Where corpora, PDFs, data folders and raw rows are kept (`TROGIANG_BENCH_CACHE` overrides). */
export const cacheDir = process.env.TROGIANG_BENCH_CACHE ?? join(import.meta.dirname, '.cache');
const corpusDir = join(import.meta.dirname, '../../corpus');

/** One generated section = one chunk. */
export interface BenchSection {
  heading: string;
  text: string;
}

/** One generated document (one line of the cached `docs` file). */
export interface BenchDoc {
  /** File name given to the engine; the document id is derived from it. */
  file: string;
  title: string;
  lang: 'vi' | 'en';
  sections: BenchSection[];
}

/** A question whose answer is in exactly one known chunk. */
export interface BenchQuestion {
  id: number;
  text: string;
  lang: 'vi' | 'en';
  /** How it was made from the gold sentence: `exact`, `folded` (no diacritics), `dropped` (words dropped), `folded+dropped`. */
  kind: string;
  /** Gold chunk: index of the document in the docs file and section ordinal. */
  doc: number;
  section: number;
}

export interface CorpusFiles {
  chunks: number;
  documents: number;
  docsPath: string;
  questionsPath: string;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const intBetween = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

// ---------------------------------------------------------------------------------------------
// Source material from the shipped corpus

interface Sources {
  sentences: { vi: string[]; en: string[] };
  headings: { vi: string[]; en: string[] };
  titles: { vi: string[]; en: string[] };
  /** Adjacent lower-case Vietnamese syllable pairs (types, deduplicated). */
  viPairs: string[];
  /** Lower-case English words of four letters or more (types). */
  enWords: string[];
}

function stripMarkup(line: string): string {
  return line
    .replace(/<[^>]+>/g, ' ')
    .replace(/\*\*|__|`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function readSources(): Sources {
  const files = [
    ...readdirSync(corpusDir)
      .filter((f) => /\.(md|txt|html)$/.test(f) && f !== 'README.md')
      .map((f) => join(corpusDir, f)),
    ...readdirSync(join(corpusDir, 'build'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(corpusDir, 'build', f)),
  ];
  const s: Sources = { sentences: { vi: [], en: [] }, headings: { vi: [], en: [] }, titles: { vi: [], en: [] }, viPairs: [], enWords: [] };
  const pairs = new Set<string>();
  const words = new Set<string>();
  for (const file of files.sort()) {
    const lang = file.includes('english') ? 'en' : 'vi';
    let raw = readFileSync(file, 'utf8');
    if (file.endsWith('.html')) {
      raw = raw
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<\/(p|h\d|li|tr|div|td|th)>/gi, '\n')
        .replace(/<h(\d)[^>]*>/gi, (_m, n: string) => `\n${'#'.repeat(Number(n))} `);
    }
    for (const rawLine of raw.split('\n')) {
      const heading = /^(#{1,6})\s+(.*)$/.exec(rawLine.trim());
      if (heading) {
        const text = stripMarkup(heading[2]!);
        if (text.length >= 4 && text.length <= 90) (heading[1]!.length === 1 ? s.titles : s.headings)[lang].push(text);
        continue;
      }
      if (rawLine.trim().startsWith('|')) continue; // tables
      const line = stripMarkup(rawLine.replace(/^\s*(?:[-*+]|\d{1,3}[.)]|[a-zđ]\))\s+/i, ''));
      if (line.length < 25) continue;
      for (const sentence of splitSentences(line)) {
        const text = sentence.text.trim();
        const wordCount = text.split(/\s+/).length;
        if (wordCount < 6 || wordCount > 60 || text === text.toUpperCase()) continue;
        s.sentences[lang].push(text);
        const tokens = text.split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
        for (let i = 0; i < tokens.length; i++) {
          const a = tokens[i]!;
          if (lang === 'en') {
            if (/^[a-z]{4,}$/.test(a)) words.add(a);
          } else {
            const b = tokens[i + 1];
            if (b && /^\p{Ll}+$/u.test(a) && /^\p{Ll}+$/u.test(b) && a.length <= 7 && b.length <= 7) pairs.add(`${a} ${b}`);
          }
        }
      }
    }
  }
  s.viPairs = [...pairs].sort();
  s.enWords = [...words].sort();
  return s;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary for injected names and places

const surnames = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Đinh',
  'Trịnh',
  'Mai',
  'Tạ',
];
const middles = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Đức', 'Quang', 'Thu', 'Hoài', 'Kim', 'Xuân', 'Bảo', 'Gia', 'Phương'];
const givens = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Minh',
  'Nam',
  'Nga',
  'Ngân',
  'Nhung',
  'Phúc',
  'Phương',
  'Quân',
  'Quyên',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thắng',
  'Thịnh',
  'Thủy',
  'Trang',
  'Trung',
  'Tuấn',
  'Tùng',
  'Vân',
  'Việt',
  'Yến',
  'Khoa',
  'Lộc',
  'Duyên',
  'Đạt',
  'Hưng',
  'Kiên',
  'Loan',
  'Nhân',
  'Oanh',
  'Tín',
  'Vy',
];
const placeSyllables = [
  'Bình',
  'Lâm',
  'Thạch',
  'Hòa',
  'Phú',
  'Tân',
  'Long',
  'Vĩnh',
  'Quảng',
  'Thái',
  'Hưng',
  'Yên',
  'Sơn',
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Hải',
  'Thanh',
  'Kiến',
  'Gia',
  'Đức',
  'Mỹ',
  'Cẩm',
  'Lạc',
  'Xuân',
  'Phước',
  'Định',
  'Điện',
  'Trà',
  'Cao',
  'Kỳ',
  'Minh',
  'Ninh',
  'Thuận',
  'Lộc',
];
const enFirst = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Emma',
  'Frank',
  'Grace',
  'Henry',
  'Isla',
  'Jack',
  'Kate',
  'Liam',
  'Mia',
  'Noah',
  'Olivia',
  'Peter',
  'Rose',
  'Sam',
  'Tom',
  'Zoe',
];
const enLast = [
  'Smith',
  'Brown',
  'Taylor',
  'Wilson',
  'Evans',
  'Walker',
  'Wright',
  'Hughes',
  'Green',
  'Hall',
  'Wood',
  'Clarke',
  'Lewis',
  'Young',
  'King',
  'Scott',
];

// ---------------------------------------------------------------------------------------------
// Generation

/** A generated sentence and which of its words are distinctive (swapped or injected). */
interface GenSentence {
  words: string[];
  marked: boolean[];
}

const maxSectionChars = 1400;

class Generator {
  constructor(
    private readonly src: Sources,
    private readonly rng: Rng,
  ) {}

  personVi(): string {
    return `${pick(this.rng, surnames)} ${pick(this.rng, middles)} ${pick(this.rng, givens)}`;
  }

  place(): string {
    const a = pick(this.rng, placeSyllables);
    let b = pick(this.rng, placeSyllables);
    while (b === a) b = pick(this.rng, placeSyllables);
    return `${a} ${b}`;
  }

  /** Redraws a number keeping its kind: a date stays a plausible date, a year a year, a time a time. */
  number(word: string): string {
    const r = this.rng;
    const two = (n: number) => String(n).padStart(2, '0');
    const date = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?/.exec(word);
    if (date) {
      const d = intBetween(r, 1, 28);
      const m = intBetween(r, 1, 12);
      const core = `${date[1]!.length === 2 ? two(d) : d}/${m}${date[3] ? `/${intBetween(r, 1945, 2030)}` : ''}`;
      return core + word.slice(date[0].length);
    }
    const time = /^(\d{1,2})h(\d{2})?/.exec(word);
    if (time) return `${intBetween(r, 6, 21)}h${time[2] ? pick(r, ['00', '15', '30', '45']) : ''}${word.slice(time[0].length)}`;
    return word.replace(/\d+/g, (digits) => {
      if (/^(19|20)\d\d$/.test(digits)) return String(intBetween(r, 1945, 2030));
      let out = '';
      for (let i = 0; i < digits.length; i++) out += String(i === 0 && digits.length > 1 ? intBetween(r, 1, 9) : intBetween(r, 0, 9));
      return out;
    });
  }

  sentence(lang: 'vi' | 'en', place: string): GenSentence {
    const template = pick(this.rng, this.src.sentences[lang]).replace(/Hòa An/g, place);
    const words = template.split(/\s+/);
    const marked = words.map(() => false);
    const rate = lang === 'vi' ? 0.09 : 0.14;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (/\d/.test(w)) {
        words[i] = this.number(w);
        marked[i] = true;
        continue;
      }
      if (this.rng() >= rate) continue;
      const core = /^([^\p{L}\p{N}]*)([\p{Ll}]+)([^\p{L}\p{N}]*)$/u.exec(w);
      if (!core) continue;
      if (lang === 'vi') {
        const next = words[i + 1];
        const nextCore = next ? /^([\p{Ll}]+)([^\p{L}\p{N}]*)$/u.exec(next) : null;
        if (!nextCore || core[3]) continue;
        const [a, b] = pick(this.rng, this.src.viPairs).split(' ') as [string, string];
        words[i] = `${core[1]}${a}`;
        words[i + 1] = `${b}${nextCore[2]}`;
        marked[i] = marked[i + 1] = true;
        i++;
      } else {
        words[i] = `${core[1]}${pick(this.rng, this.src.enWords)}${core[3]}`;
        marked[i] = true;
      }
    }
    // One sentence in four names a person (the teacher, the contact, the learner in an example).
    if (this.rng() < 0.25) {
      const name = lang === 'vi' ? this.personVi() : `${pick(this.rng, enFirst)} ${pick(this.rng, enLast)}`;
      const lead =
        lang === 'vi'
          ? pick(this.rng, ['Theo', 'Thầy', 'Cô', 'Học viên', 'Anh', 'Chị'])
          : pick(this.rng, ['According to', 'Teacher', 'Learner', 'Ms.', 'Mr.']);
      const parts = `${lead} ${name}`.split(' ');
      const last = words.length - 1;
      words[last] = words[last]!.replace(/[.!?…]+$/, ',');
      if (!/,$/.test(words[last]!)) words[last] += ',';
      const tail = lang === 'vi' ? ['cho', 'biết', 'vậy.'] : ['says', 'so.'];
      for (const p of parts) {
        words.push(p);
        marked.push(p !== lead.split(' ')[0] && !lead.split(' ').includes(p));
      }
      for (const t of tail) {
        words.push(t);
        marked.push(false);
      }
    }
    return { words, marked };
  }

  heading(lang: 'vi' | 'en', n: number, place: string): string {
    const base = pick(this.rng, this.src.headings[lang])
      .replace(/^[\dIVX.]+\s*/, '')
      .replace(/^(Chương|Điều|Bài|Mục|Level|Part)\s+\S+\s*/i, '')
      .replace(/Hòa An/g, place);
    return lang === 'vi' ? `Mục ${n}. ${base}` : `Section ${n}. ${base}`;
  }

  document(index: number, sectionCount: number): { doc: BenchDoc; sentences: GenSentence[][] } {
    const lang = this.rng() < 0.85 ? 'vi' : 'en';
    const place = this.place();
    const title = `${pick(this.rng, this.src.titles[lang]).replace(/Hòa An/g, place)} (${lang === 'vi' ? 'bản' : 'edition'} ${index + 1})`;
    const sections: BenchSection[] = [];
    const sentences: GenSentence[][] = [];
    for (let s = 0; s < sectionCount; s++) {
      const target = intBetween(this.rng, 400, 1200);
      const parts: GenSentence[] = [];
      let length = 0;
      while (length < target) {
        const sentence = this.sentence(lang, place);
        const text = sentence.words.join(' ');
        if (length + text.length + 1 > maxSectionChars) {
          if (parts.length) break;
          continue;
        }
        parts.push(sentence);
        length += text.length + 1;
      }
      sections.push({ heading: this.heading(lang, s + 1, place), text: parts.map((p) => p.words.join(' ')).join(' ') });
      sentences.push(parts);
    }
    return { doc: { file: `tai-lieu-${String(index).padStart(7, '0')}.md`, title, lang, sections }, sentences };
  }

  /** A question from one gold sentence: an 8-word window holding distinctive words, lightly perturbed. */
  question(id: number, docIndex: number, section: number, lang: 'vi' | 'en', sentence: GenSentence): BenchQuestion {
    const clean = sentence.words.map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
    const length = Math.min(8, clean.length);
    let bestStart = 0;
    let bestMarks = -1;
    for (let start = 0; start + length <= clean.length; start++) {
      let marks = 0;
      for (let i = start; i < start + length; i++) if (sentence.marked[i]) marks++;
      // Prefer windows with two or more distinctive words, then a random one among them.
      const score = Math.min(marks, 3) + this.rng() * 0.5;
      if (score > bestMarks) {
        bestMarks = score;
        bestStart = start;
      }
    }
    let words = clean.slice(bestStart, bestStart + length).filter(Boolean);
    const marked = sentence.marked.slice(bestStart, bestStart + length);
    const roll = this.rng();
    const fold = roll < 0.35;
    const drop = roll >= 0.2 && roll < 0.7;
    if (drop) {
      // Paraphrase by dropping one or two ordinary words.
      const droppable = words.map((_, i) => i).filter((i) => !marked[i]);
      const count = Math.min(droppable.length, intBetween(this.rng, 1, 2), Math.max(0, words.length - 5));
      const dropped = new Set<number>();
      while (dropped.size < count) dropped.add(pick(this.rng, droppable));
      words = words.filter((_, i) => !dropped.has(i));
    }
    let text = words.join(' ');
    if (fold) text = foldDiacritics(text).toLowerCase();
    const kind = fold && drop ? 'folded+dropped' : fold ? 'folded' : drop ? 'dropped' : 'exact';
    return { id, text, lang, kind, doc: docIndex, section };
  }
}

/** Parses `10k`, `100k`, `1m`, `2000`. */
export function parseSize(label: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(label.trim());
  if (!m) throw new Error(`not a size: ${label}`);
  const scale = m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1;
  return Math.round(Number(m[1]) * scale);
}

export function sizeLabel(chunks: number): string {
  if (chunks >= 1e6 && chunks % 1e6 === 0) return `${chunks / 1e6}m`;
  if (chunks >= 1e3 && chunks % 1e3 === 0) return `${chunks / 1e3}k`;
  return String(chunks);
}

/** Questions made per corpus (fewer when the corpus has fewer chunks); runs ask a prefix of them. */
export const questionsPerCorpus = 1000;

/**
 * Generates (or reuses from the cache) a corpus of `chunks` sections and its questions.
 * Sizes share nothing: each is generated from its own seed. The question count is fixed because
 * making a question draws from the documents' random stream: the documents of a size are the same
 * in every run.
 */
export async function ensureCorpus(chunks: number): Promise<CorpusFiles> {
  const questionCount = questionsPerCorpus;
  mkdirSync(cacheDir, { recursive: true });
  const stem = `corpus-v${corpusFormatVersion}-${sizeLabel(chunks)}`;
  const docsPath = join(cacheDir, `${stem}.docs.jsonl`);
  const questionsPath = join(cacheDir, `${stem}.questions-${questionCount}.jsonl`);
  const metaPath = join(cacheDir, `${stem}.meta.json`);
  if (existsSync(docsPath) && existsSync(questionsPath) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { documents: number };
    return { chunks, documents: meta.documents, docsPath, questionsPath };
  }
  const src = readSources();
  const rng = mulberry32(0x7209 + chunks);
  const gen = new Generator(src, rng);
  // Questions: gold chunks drawn uniformly over the corpus, decided up front so documents can be streamed.
  const qrng = mulberry32(0x51ab + chunks);
  const goldChunks = new Set<number>();
  while (goldChunks.size < Math.min(questionCount, chunks)) goldChunks.add(Math.floor(qrng() * chunks));
  const questions: BenchQuestion[] = [];
  const tmpDocs = `${docsPath}.tmp`;
  const out = createWriteStream(tmpDocs);
  let produced = 0;
  let documents = 0;
  while (produced < chunks) {
    const count = Math.min(chunks - produced, intBetween(rng, 6, 14));
    const { doc, sentences } = gen.document(documents, count);
    for (let s = 0; s < count; s++) {
      if (goldChunks.has(produced + s)) {
        // A sentence with at least two distinctive words, so the question has one right chunk.
        const pool = sentences[s]!;
        const telling = pool.filter((p) => p.marked.filter(Boolean).length >= 2);
        const sentence = pick(qrng, telling.length ? telling : pool);
        questions.push(gen.question(questions.length, documents, s, doc.lang, sentence));
      }
    }
    if (!out.write(`${JSON.stringify(doc)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    produced += count;
    documents++;
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  renameSync(tmpDocs, docsPath);
  // Shuffle so a capped prefix is still a uniform sample, then renumber.
  for (let i = questions.length - 1; i > 0; i--) {
    const j = Math.floor(qrng() * (i + 1));
    [questions[i], questions[j]] = [questions[j]!, questions[i]!];
  }
  questions.forEach((q, i) => (q.id = i));
  writeFileSync(questionsPath, questions.map((q) => JSON.stringify(q)).join('\n') + '\n');
  writeFileSync(
    metaPath,
    JSON.stringify({
      chunks,
      documents,
      version: corpusFormatVersion,
      sources: {
        viSentences: src.sentences.vi.length,
        enSentences: src.sentences.en.length,
        viPairs: src.viPairs.length,
        enWords: src.enWords.length,
      },
    }),
  );
  return { chunks, documents, docsPath, questionsPath };
}

/** Streams the cached documents in order. */
export async function* readDocs(path: string): AsyncGenerator<BenchDoc> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as BenchDoc;
}

export function readQuestions(path: string, limit = Infinity): BenchQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, limit)
    .map((l) => JSON.parse(l) as BenchQuestion);
}

/** The key every system reports for a chunk: `<document index>#<section>`. */
export const chunkKey = (doc: number, section: number) => `${doc}#${section}`;

/** The key of a stored chunk: its document's index, from the generated file name (`tai-lieu-0000042-md` → 42), and its ordinal. */
export function storedChunkKey(documentId: string, ordinal: number): string {
  const m = /tai-lieu-(\d+)-md/.exec(documentId);
  return chunkKey(m ? Number(m[1]) : -1, ordinal);
}

/** The text a peer indexes for a section (what trogiang's embedder sees: title, heading, text). */
export function sectionFields(doc: BenchDoc, section: BenchSection) {
  return { title: doc.title, heading: section.heading, text: section.text };
}

/** Stats of the sources, for the report. */
export function sourceStats(): { viSentences: number; enSentences: number; viPairs: number; enWords: number } {
  const s = readSources();
  return { viSentences: s.sentences.vi.length, enSentences: s.sentences.en.length, viPairs: s.viPairs.length, enWords: s.enWords.length };
}

/** True when the question's gold chunk is among the first ten keys. */
export function isHit(ranked: readonly string[], q: BenchQuestion): boolean {
  return ranked.slice(0, 10).includes(chunkKey(q.doc, q.section));
}

/** The parsed form handed to `engine.ingest` (`IngestItem.loaded`): one heading and one paragraph per section. */
export function loadedOf(doc: BenchDoc): LoadedDocument {
  return {
    format: 'markdown',
    title: doc.title,
    pages: 1,
    blocks: doc.sections.flatMap((s) => [
      { kind: 'heading' as const, level: 1, text: s.heading },
      { kind: 'paragraph' as const, text: s.text },
    ]),
  };
}

/** The source bytes stored with a document (what a teacher would have uploaded). */
export function markdownOf(doc: BenchDoc): string {
  return doc.sections.map((s) => `# ${s.heading}\n\n${s.text}\n`).join('\n');
}
