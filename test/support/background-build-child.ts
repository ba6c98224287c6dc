// Run by background-vector-build.test.ts in a process started with `--import` of a TypeScript
// file (as the benchmark's stages are): a background build must still get its worker.
import { VectorIndex } from '../../src/indexes/vector-index.js';

const dir = process.argv[2]!;
const index = VectorIndex.create(8);
index.startBackgroundBuild(dir, 50);
for (let id = 0; id < 50; id++)
  index.add(
    id,
    Float32Array.from({ length: 8 }, (_, d) => (d === id % 8 ? 1 : 0.01 * id)),
    'x',
  );
const outcome = await index.finishBackgroundBuild();
process.stdout.write(`${JSON.stringify({ outcome, size: index.size })}\n`);
