/**
 * Grid search of BM25 parameters and chunk-free field weights on BEIR sets, straight on the
 * index (no store), to choose the defaults in src/indexes/bm25-index.ts.
 * Run: npx tsx evals/tune/tune-bm25.ts ../shared/evaldata/uit-regulation [...more sets]
 */
import { Bm25Index, defaultBm25Params, type Bm25Params } from '../../src/indexes/index.js';
import { readBeirDataset, retrievalMetrics } from '../../src/eval/index.js';
import { foldDiacritics } from '../../src/text/index.js';

const dirs = process.argv.slice(2);
const grid: Array<Partial<Bm25Params>> = [];
for (const k1 of (process.env.K1 ?? '0.9,1.2,1.5').split(',').map(Number))
  for (const b of (process.env.B ?? '0.4,0.75').split(',').map(Number))
    for (const bigramWeight of (process.env.BI ?? '0,0.3,0.6,1').split(',').map(Number))
      for (const titleWeight of (process.env.TW ?? '1,2').split(',').map(Number)) {
        grid.push({ k1, b, bigramWeight, titleWeight });
      }
for (const dir of dirs) {
  const ds = readBeirDataset(dir);
  const rows: Array<[string, number, number]> = [];
  for (const g of grid) {
    const params = {
      ...defaultBm25Params,
      ...g,
      ...(process.env.QW ? { questionWordWeight: Number(process.env.QW) } : {}),
      ...(process.env.EW ? { exactWeight: Number(process.env.EW) } : {}),
    };
    const index = new Bm25Index(params);
    ds.passages.forEach((p, i) => index.add(i, { title: p.title, headings: '', text: p.text }, 'x'));
    let sum = 0;
    let sumFold = 0;
    for (const q of ds.queries) {
      const rank = (text: string) => index.search(text, 10).map((h) => ds.passages[h.id]!.id);
      sum += retrievalMetrics(rank(q.text), ds.qrels.get(q.id)!).ndcg10;
      sumFold += retrievalMetrics(rank(foldDiacritics(q.text)), ds.qrels.get(q.id)!).ndcg10;
    }
    rows.push([JSON.stringify(g), sum / ds.queries.length, sumFold / ds.queries.length]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  console.log(`== ${ds.name}`);
  for (const r of rows.slice(0, 8)) console.log(r[1].toFixed(4), r[2].toFixed(4), r[0]);
  const def = rows.find((r) => r[0] === JSON.stringify({ k1: 1.2, b: 0.75, bigramWeight: 0.6, titleWeight: 1 }));
  if (def) console.log('ref', def[1].toFixed(4), def[2].toFixed(4));
}
