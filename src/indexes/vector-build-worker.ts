/**
 * Worker thread of a background vector build (background-vector-build.ts): owns a copy of the
 * graph, applies the adds and removals it is sent in order, and writes the graph when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BuildMessage, BuildReply, BuildStart } from './background-vector-build.js';
import { VectorIndex } from './vector-index.js';

const start = workerData as BuildStart;
const port = parentPort!;
const reply = (message: BuildReply) => port.postMessage(message);

let index: VectorIndex;
try {
  index = start.snapshot
    ? VectorIndex.load(start.snapshot, start.dimensions, start.settings, start.collections)
    : VectorIndex.create(start.dimensions, start.settings);
  index.reserve(start.capacity);
} catch (error) {
  reply({ op: 'failed', message: (error as Error).message });
  throw error;
}

port.on('message', (message: BuildMessage) => {
  try {
    if (message.op === 'add') {
      const { ids, vectors, collections } = message;
      const d = start.dimensions;
      for (let i = 0; i < ids.length; i++) index.add(ids[i]!, vectors.subarray(i * d, (i + 1) * d), collections[i]!);
    } else if (message.op === 'remove') {
      index.remove(message.id);
    } else {
      index.save(message.path);
      reply({ op: 'saved', path: message.path });
    }
  } catch (error) {
    reply({ op: 'failed', message: (error as Error).message });
  }
});
