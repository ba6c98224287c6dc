import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A BEIR-layout evaluation set (see `../shared/evaldata/README.md`). */
export interface BeirDataset {
  name: string;
  passages: Array<{ id: string; title: string; text: string }>;
  /** The judged queries (a line in `qrels.tsv`): the ones retrieval metrics are computed on. */
  queries: Array<{ id: string; text: string }>;
  /**
   * Queries without a judged passage that `answers.jsonl` marks unanswerable: the questions a
   * refusal is measured on (an out-of-domain question has no relevant passage to list in qrels).
   */
  unanswerableQueries: Array<{ id: string; text: string }>;
  /** query id → passage id → graded relevance. */
  qrels: Map<string, Map<string, number>>;
  /** query id → gold answer strings, when the set has them. */
  answers: Map<string, { answers: string[]; answerable: boolean }>;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/**
 * Reads `corpus.jsonl`, `queries.jsonl`, `qrels.tsv` and the optional `answers.jsonl`. Judged
 * queries are kept in `queries`; queries with no qrels line are dropped unless `answers.jsonl`
 * marks them unanswerable, which are kept apart in `unanswerableQueries`.
 */
export function readBeirDataset(dir: string, name = dir.replace(/\/+$/, '').split('/').slice(-2).join('/')): BeirDataset {
  for (const file of ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv']) {
    if (!existsSync(join(dir, file))) throw new Error(`${dir} is not a BEIR folder: ${file} is missing`);
  }
  const passages = readJsonl<{ _id: string; title?: string; text: string }>(join(dir, 'corpus.jsonl')).map((p) => ({
    id: String(p._id),
    title: p.title ?? '',
    text: p.text,
  }));
  const qrels = new Map<string, Map<string, number>>();
  const lines = readFileSync(join(dir, 'qrels.tsv'), 'utf8').split('\n').slice(1);
  for (const line of lines) {
    const [q, d, score] = line.split('\t');
    if (!q || !d) continue;
    const grade = Number(score ?? 1);
    if (grade <= 0) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, grade);
  }
  const allQueries = readJsonl<{ _id: string; text: string }>(join(dir, 'queries.jsonl')).map((q) => ({ id: String(q._id), text: q.text }));
  const answers = new Map<string, { answers: string[]; answerable: boolean }>();
  if (existsSync(join(dir, 'answers.jsonl'))) {
    for (const a of readJsonl<{ _id: string; answers: string[]; answerable: boolean }>(join(dir, 'answers.jsonl'))) {
      answers.set(String(a._id), { answers: a.answers ?? [], answerable: a.answerable ?? true });
    }
  }
  const queries = allQueries.filter((q) => qrels.has(q.id));
  const unanswerableQueries = allQueries.filter((q) => !qrels.has(q.id) && answers.get(q.id)?.answerable === false);
  return { name, passages, queries, unanswerableQueries, qrels, answers };
}
