import { createHash } from 'node:crypto';
import type { ChunkRecord, DocumentRecord } from '../store/index.js';
import { answerForm } from './answer-form.js';
import { addToPool, pickDistractors, type KeyPool } from './distractors.js';
import { documentSentences, type SourceSentence } from './document-sentences.js';
import { findFigureKeys, type KeyKind, type KeySpan } from './key-kinds.js';
import { blank, type GeneratedItem, type ItemType } from './practice-item.js';
import { unfitReason } from './sentence-filters.js';
import { timeFits } from './time-range.js';
import { findDefinedTerm, findNames } from './term-keys.js';

/** Which key a sentence is asked about when it holds several: the defined term, then figures, then names. */
const keyPriority: readonly KeyKind[] = ['term', 'money', 'date', 'time', 'quantity', 'percent', 'year', 'weekday', 'name'];

export interface GenerateOptions {
  /** The collection's text in answer form, to tell whether a distractor is true somewhere in it. */
  materialText: string;
  /**
   * Whether the query (the blanked sentence) retrieves the source among the top 3 passages; the
   * caller passes the real retriever (`retrievesSentence`).
   */
  retrieves: (query: string, documentId: string, sentence: string) => Promise<boolean>;
  /** Headings excluded by a teacher: sentences under them make no item. */
  excluded?: (headingPath: readonly string[]) => boolean;
  /** Told why a sentence holding a key made no item (a question, an example list…), for the pass rate. */
  onSkip?: (reason: string, sentence: string) => void;
}

function keysOf(sentence: string): KeySpan[] {
  const term = findDefinedTerm(sentence);
  return [...(term ? [term] : []), ...findFigureKeys(sentence), ...findNames(sentence)];
}

function occurrences(sentence: string, key: string): number {
  const text = ` ${answerForm(sentence)} `;
  const form = ` ${answerForm(key)} `;
  let count = 0;
  for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) count++;
  return count;
}

/** A few words either side of the blank, to test a distractor in the key's place. */
function contextOf(sentence: string, key: KeySpan): [string, string] {
  const before = sentence.slice(0, key.start).trim().split(/\s+/).slice(-3).join(' ');
  const after = sentence.slice(key.end).trim().split(/\s+/).slice(0, 3).join(' ');
  return [before, after];
}

export function itemId(documentId: string, sentence: string, key: string): string {
  return createHash('sha256').update(`${documentId}\n${sentence}\n${key}`).digest('hex').slice(0, 16);
}

/**
 * Practice items from one document: for each informative sentence (one holding a defined term,
 * an amount, a date, a time or a name, and not a question or an example list), the best key is
 * blanked; three distractors of its kind come from the same document. Every item carries its
 * checks; those that fail are kept (marked) so the pass rate can be measured and a teacher can
 * still see them.
 */
export async function generateItems(
  doc: DocumentRecord,
  chunks: readonly ChunkRecord[],
  options: GenerateOptions,
): Promise<GeneratedItem[]> {
  const sentences = documentSentences(chunks).filter((s) => !options.excluded?.(s.headingPath));
  const pool: KeyPool = new Map();
  const keyed: Array<[SourceSentence, KeySpan[]]> = [];
  for (const sentence of sentences) {
    const keys = keysOf(sentence.text);
    for (const k of keys) addToPool(pool, k);
    if (keys.length > 0) keyed.push([sentence, keys]);
  }
  const items: GeneratedItem[] = [];
  let names = 0;
  const byPosition = new Map(sentences.map((s) => [s.position, s]));
  for (const [sentence, keys] of keyed) {
    // An answer in a list of questions and answers leans on its question ("Nếu học khóa tin học…,
    // anh, chị được giảm 30%": who is "anh, chị"?).
    const previous = byPosition.get(sentence.position - 1)?.text ?? '';
    const unfit = unfitReason(sentence.text) ?? (/[?？]["'”»)*]*$/.test(previous) ? 'answers-a-question' : null);
    const fit = unfit === null;
    // Only sentences that pass the cheap checks are worth the retrieval check.
    if (!fit) {
      options.onSkip?.(unfit, sentence.text);
      continue;
    }
    const ordered = [...keys].sort((a, b) => keyPriority.indexOf(a.kind) - keyPriority.indexOf(b.kind));
    // A key that opens a "label: value" line is the label of a list, ambiguous without the list.
    const usable = ordered.filter((k) => !(k.start === 0 && /^\s*[:–-]/.test(sentence.text.slice(k.end))));
    if (usable.length === 0) {
      options.onSkip?.('label-key', sentence.text);
      continue;
    }
    const key = usable.find((k) => occurrences(sentence.text, k.text) === 1) ?? usable[0]!;
    const [before, after] = contextOf(sentence.text, key);
    const distractors = pickDistractors({
      kind: key.kind,
      key: key.text,
      sentence: sentence.text,
      pool,
      trueInMaterial: (candidate) => options.materialText.includes(answerForm(`${before} ${candidate} ${after}`)),
      ...(key.kind === 'time' && { fits: timeFits(sentence.text, key.start, key.end) }),
    });
    // Names and terms are typed (the folding forgives missing diacritics) every other time; a long
    // name ("Nguyễn Văn Cừ Street", "Hòa An Province Branch") is chosen, not typed.
    const typeable =
      key.text.split(/\s+/).length <= 3 && !/\b(?:Street|Road|Ward|Branch|Office|Province|City|Group|Day|Center|Centre)\b/.test(key.text);
    const typed = (key.kind === 'term' || key.kind === 'name') && typeable ? names++ % 2 === 0 : false;
    const type: ItemType = distractors.length === 3 && !typed ? 'choice' : 'fill';
    const prompt = `${sentence.text.slice(0, key.start)}${blank}${sentence.text.slice(key.end)}`;
    const query = prompt.replace(blank, ' ');
    const checks = {
      keyOnce: occurrences(sentence.text, key.text) === 1,
      retrievesSource: await options.retrieves(query, doc.id, sentence.text),
      distractorsOk: type === 'fill' || distractors.length === 3,
      fitSentence: fit,
    };
    items.push({
      id: itemId(doc.id, sentence.text, key.text),
      collection: doc.collection,
      documentId: doc.id,
      title: doc.title,
      headingPath: sentence.headingPath,
      page: sentence.page,
      chunkId: sentence.chunkId,
      type,
      kind: key.kind,
      prompt,
      answer: key.text,
      distractors,
      sentence: sentence.text,
      checks,
      passed: Object.values(checks).every(Boolean),
    });
  }
  return items;
}
