/** Hand-written retrieval results and a runner for the answer tests. */
import type { AnswerEvent, AnswerRecord } from '../../src/answer/index.js';
import { passageTermsOf, TermDictionary, type Retrieval, type RetrievedChunk } from '../../src/retrieve/index.js';

import type { StoredChunk } from '../../src/store/index.js';
import { detectLanguage } from '../../src/text/index.js';

function chunk(seq: number, id: string, title: string, headingPath: string[], page: number | null, text: string): StoredChunk {
  return {
    seq,
    id,
    documentId: id.split('#')[0]!,
    ordinal: 0,
    title,
    headingPath,
    pageStart: page,
    pageEnd: page,
    collection: 'chung',
    lang: 'vi',
    text,
    vector: new Float32Array(4),
  };
}

export const chunks: StoredChunk[] = [
  chunk(
    1,
    'hoc-phi#0',
    'Học phí các lớp',
    ['Học phí'],
    2,
    'Học phí lớp tin học cơ bản là 1.200.000 đồng mỗi khóa. Học viên đóng học phí tại phòng tài vụ, tầng 1.',
  ),
  chunk(
    2,
    'lich-hoc#0',
    'Lịch học',
    ['Lịch học', 'Buổi tối'],
    3,
    'Lớp buổi tối học từ 18 giờ đến 20 giờ vào thứ Hai, thứ Tư và thứ Sáu. Lớp buổi sáng học từ 8 giờ đến 10 giờ.',
  ),
  chunk(3, 'noi-quy#0', 'Nội quy', [], null, 'Học viên nghỉ quá 20% số buổi học sẽ không được dự thi cuối khóa.'),
];

/** A retrieval of the three chunks above, in order, whatever the query. */
export function fakeRetrieval(query: string, answerable = true): Retrieval {
  const dictionary = new TermDictionary();
  const results: RetrievedChunk[] = chunks.map((c, i) => ({
    chunk: c,
    score: 1 / (i + 1),
    bm25Score: 1 / (i + 1),
    vectorScore: null,
    matchedTerms: [],
    terms: passageTermsOf(c.text.toLowerCase().split(/\s+/), dictionary),
  }));
  return { query, lang: detectLanguage(query), results: answerable ? results : [], answerability: answerable ? 0.8 : 0.05, answerable };
}

/** Runs an answer to its end: every event, and the generator's return value. */
export async function run(generator: AsyncGenerator<AnswerEvent, AnswerRecord>): Promise<{ events: AnswerEvent[]; record: AnswerRecord }> {
  const events: AnswerEvent[] = [];
  for (;;) {
    const step = await generator.next();
    if (step.done) return { events, record: step.value };
    events.push(step.value);
  }
}

export const deltas = (events: readonly AnswerEvent[]): string[] => events.flatMap((e) => (e.type === 'delta' ? [e.text] : []));

export const types = (events: readonly AnswerEvent[]): string[] => [...new Set(events.map((e) => e.type))];

export function doneOf(events: readonly AnswerEvent[]): Extract<AnswerEvent, { type: 'done' }> {
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error(`the last event is ${done?.type ?? 'missing'}, not done`);
  return done;
}
