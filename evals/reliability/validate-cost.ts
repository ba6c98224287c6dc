/**
 * Time and throughput of the checks opening runs on a saved index set before any of it reaches
 * native code: every file's size and SHA-256 against the manifest (verifyIndexSet), then the graph
 * file's structure (validateHnswFile). Prints one JSON line.
 *
 * Run: npx tsx evals/reliability/validate-cost.ts <data folder>   (the folder's set must be format 2)
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { validateHnswFile, verifyIndexSet, type IndexManifest } from '../../src/indexes/index.js';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: validate-cost.ts <data folder>\n');
  process.exit(2);
}
const indexes = join(dataDir, 'indexes');
const folder = join(indexes, readFileSync(join(indexes, 'CURRENT'), 'utf8').trim());
const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as IndexManifest;
const withStats = 'features.bin' in manifest.files;
const bytes = Object.values(manifest.files).reduce((n, f) => n + f.bytes, 0);
let started = performance.now();
const verified = verifyIndexSet(indexes, manifest, withStats);
const digestMs = performance.now() - started;
if (!verified.ok) throw new Error(verified.reason);
started = performance.now();
const graph = validateHnswFile(join(folder, 'vectors.hnsw'), manifest.dimensions);
const structureMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    chunks: manifest.chunks,
    graphElements: graph.count,
    setMb: +(bytes / 2 ** 20).toFixed(1),
    graphMb: +(statSync(join(folder, 'vectors.hnsw')).size / 2 ** 20).toFixed(1),
    checksumsMs: Math.round(digestMs),
    checksumMbPerS: Math.round(bytes / 2 ** 20 / (digestMs / 1000)),
    graphStructureMs: Math.round(structureMs),
  })}\n`,
);
