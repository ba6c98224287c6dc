/**
 * Compares engine configurations on BEIR sets through the full pipeline (chunking, both
 * indexes, fusion). Each CONFIGS entry is JSON merged into the defaults.
 * Run: CONFIGS='[{"vectorWeight":0.5},{"bigramWeight":1}]' npx tsx evals/tune/tune-hybrid.ts <dir>...
 */
import { defaultChunkerSettings } from '../../src/chunk/index.js';
import { LocalEmbeddings, defaultFeatureWeights } from '../../src/embed/index.js';
import { readBeirDataset, runBeir } from '../../src/eval/index.js';
import { defaultBm25Params } from '../../src/indexes/index.js';
import { defaultRetrieverSettings, type RetrievalMode } from '../../src/retrieve/index.js';

interface Knobs {
  k1?: number;
  questionWordWeight?: number;
  b?: number;
  bigramWeight?: number;
  titleWeight?: number;
  exactWeight?: number;
  vectorWeight?: number;
  fusion?: 'rrf' | 'convex';
  duplicateThreshold?: number;
  proximityWeight?: number;
  bm25Weight?: number;
  candidates?: number;
  unigram?: number;
  bigram?: number;
  charTrigrams?: number;
  dimensions?: number;
  maxChars?: number;
  overlapChars?: number;
  fold?: boolean;
  modes?: RetrievalMode[];
}
const configs = JSON.parse(process.env.CONFIGS ?? '[{}]') as Knobs[];
for (const dir of process.argv.slice(2)) {
  const ds = readBeirDataset(dir);
  for (const c of configs) {
    const embeddings = new LocalEmbeddings({
      dimensions: c.dimensions ?? 512,
      weights: {
        ...defaultFeatureWeights,
        ...(c.unigram !== undefined ? { unigram: c.unigram } : {}),
        ...(c.bigram !== undefined ? { bigram: c.bigram } : {}),
        ...(c.charTrigrams !== undefined ? { charTrigrams: c.charTrigrams } : {}),
      },
    });
    const results = await runBeir(ds, c.modes ?? ['hybrid'], {
      fold: c.fold ?? false,
      engine: {
        embeddings,
        bm25: { ...defaultBm25Params, ...pick(c, ['k1', 'b', 'bigramWeight', 'titleWeight', 'exactWeight', 'questionWordWeight']) },
        retriever: {
          ...defaultRetrieverSettings,
          ...pick(c, ['vectorWeight', 'bm25Weight', 'candidates', 'fusion', 'duplicateThreshold', 'proximityWeight']),
        },
        chunker: { ...defaultChunkerSettings, ...pick(c, ['maxChars', 'overlapChars']) },
      },
    });
    for (const r of results) console.log(`${ds.name}\t${r.mode}\tndcg ${r.ndcg10}\thit5 ${r.hit5}\tp95 ${r.p95_ms}\t${JSON.stringify(c)}`);
  }
}

function pick<T extends object>(o: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k))) as Partial<T>;
}
