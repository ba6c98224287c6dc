import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type EngineOptions, type IngestItem } from '../engine/index.js';
import type { RetrievalMode } from '../retrieve/index.js';
import { foldDiacritics } from '../text/index.js';
import type { BeirDataset } from './beir-dataset.js';
import { percentile, retrievalMetrics, type RetrievalMetrics } from './retrieval-metrics.js';
import { openSqliteStore } from '../store/index.js';

/** One line of `eval --beir` output. */
export interface BeirResult extends RetrievalMetrics {
  dataset: string;
  mode: RetrievalMode;
  folded: boolean;
  passages: number;
  queries: number;
  p50_ms: number;
  p95_ms: number;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Ingests a BEIR set's passages (one document each) into a temporary data folder through the
 * same engine the service uses, asks every judged query in each mode, and averages the metrics.
 * Passages split into several chunks count once, at their best rank.
 */
export async function runBeir(
  dataset: BeirDataset,
  modes: readonly RetrievalMode[],
  options: { fold?: boolean; engine?: Partial<EngineOptions>; onProgress?: (message: string) => void } = {},
): Promise<BeirResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-beir-'));
  try {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, ...options.engine });
    const passageOf = new Map<string, string>();
    const items: IngestItem[] = dataset.passages.map((p) => ({
      bytes: Buffer.from(`${p.title}\n${p.text}`),
      fileName: p.id,
      collection: 'beir',
      loaded: { format: 'text', title: p.title, pages: 1, blocks: [{ kind: 'paragraph', text: p.text }] },
    }));
    await engine.ingest(items, (done, total, outcome) => {
      if (outcome.status !== 'failed' && 'document' in outcome) passageOf.set(outcome.document.id, outcome.fileName);
      if (done % 1000 === 0 || done === total) options.onProgress?.(`${dataset.name}: ingested ${done}/${total}`);
    });
    const results: BeirResult[] = [];
    for (const mode of modes) {
      const sums: RetrievalMetrics = { ndcg10: 0, hit1: 0, hit5: 0, mrr10: 0, recall10: 0 };
      const latencies: number[] = [];
      for (const query of dataset.queries) {
        const text = options.fold ? foldDiacritics(query.text) : query.text;
        const started = performance.now();
        const retrieval = await engine.retrieve(text, { k: 30, mode });
        latencies.push(performance.now() - started);
        const ranked: string[] = [];
        for (const r of retrieval.results) {
          const id = passageOf.get(r.chunk.documentId);
          if (id !== undefined && !ranked.includes(id)) ranked.push(id);
        }
        const m = retrievalMetrics(ranked, dataset.qrels.get(query.id)!);
        for (const key of Object.keys(sums) as Array<keyof RetrievalMetrics>) sums[key] += m[key];
      }
      const n = dataset.queries.length || 1;
      results.push({
        dataset: dataset.name,
        mode,
        folded: Boolean(options.fold),
        passages: dataset.passages.length,
        queries: dataset.queries.length,
        ndcg10: round(sums.ndcg10 / n),
        hit1: round(sums.hit1 / n),
        hit5: round(sums.hit5 / n),
        mrr10: round(sums.mrr10 / n),
        recall10: round(sums.recall10 / n),
        p50_ms: round(percentile(latencies, 50)),
        p95_ms: round(percentile(latencies, 95)),
      });
    }
    await engine.close();
    return results;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
