/**
 * Runs `eval --beir` over every set of ../shared/evaldata (or the folders given), all three
 * modes, and the Vietnamese sets again with diacritics stripped from the questions. Prints one
 * JSON line per run and writes the Markdown table quoted in docs/quality.md to
 * evals/beir-results.md.
 * Run: npm run eval:beir-all [-- <evaldata folder>]
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBeirDataset, runBeir, type BeirResult } from '../src/eval/index.js';

const root = process.argv[2] ?? join(import.meta.dirname, '../../shared/evaldata');
const sets: Array<{ dir: string; lang: 'vi' | 'en'; published: string }> = [
  { dir: 'scifact', lang: 'en', published: 'BM25 0.665 (BEIR paper); Anserini BM25 flat 0.679; BM25 + cross-encoder 0.688' },
  { dir: 'uit-regulation', lang: 'vi', published: 'none published; plain BM25 ≈ 0.89' },
  { dir: 'uit-vicov19qa', lang: 'vi', published: 'none published; plain BM25 ≈ 0.35' },
  { dir: 'xquad/vi', lang: 'vi', published: 'none for retrieval; plain BM25 ≈ 0.96' },
  { dir: 'xquad/en', lang: 'en', published: 'none for retrieval; plain BM25 ≈ 0.96' },
];

const rows: Array<BeirResult & { published: string }> = [];
for (const set of sets) {
  const dir = join(root, set.dir);
  if (!existsSync(dir)) {
    process.stderr.write(`skipping ${dir}: not found\n`);
    continue;
  }
  const dataset = readBeirDataset(dir, set.dir);
  const runs = [await runBeir(dataset, ['bm25', 'vector', 'hybrid'])];
  if (set.lang === 'vi') runs.push(await runBeir(dataset, ['hybrid'], { fold: true }));
  for (const result of runs.flat()) {
    rows.push({ ...result, published: set.published });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

const f = (x: number) => x.toFixed(3);
const table = [
  '| set | passages | queries | mode | questions | nDCG@10 | hit@1 | hit@5 | MRR@10 | recall@10 | p50 ms | p95 ms | published nDCG@10 |',
  '|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.dataset} | ${r.passages} | ${r.queries} | ${r.mode} | ${r.folded ? 'no diacritics' : 'as written'} | ${r.mode === 'hybrid' ? `**${f(r.ndcg10)}**` : f(r.ndcg10)} | ${f(r.hit1)} | ${f(r.hit5)} | ${f(r.mrr10)} | ${f(r.recall10)} | ${r.p50_ms.toFixed(1)} | ${r.p95_ms.toFixed(1)} | ${r.mode === 'hybrid' && !r.folded ? r.published : ''} |`,
  ),
].join('\n');
writeFileSync(join(import.meta.dirname, 'beir-results.md'), `${table}\n`);
process.stderr.write(`\n${table}\n`);
