import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { OcrProgressTracker, reportOcrProgress } from '../../src/ocr/ocr-progress.js';

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('OCR progress', () => {
  let tracker: OcrProgressTracker;
  afterEach(() => tracker.close());

  it('lists what the loader reports, the latest per document, and drops finished files after a while', async () => {
    tracker = new OcrProgressTracker();
    reportOcrProgress({ documentId: 'd1', collection: 'chung', fileName: 'scan.pdf', done: 0, total: 3 });
    reportOcrProgress({ documentId: 'd1', collection: 'chung', fileName: 'scan.pdf', done: 1, total: 3 });
    await settle();
    expect(tracker.list().map(({ documentId, done, total }) => ({ documentId, done, total }))).toEqual([
      { documentId: 'd1', done: 1, total: 3 },
    ]);
    reportOcrProgress({ documentId: 'd1', collection: 'chung', fileName: 'scan.pdf', done: 3, total: 3 });
    await settle();
    expect(tracker.list()[0]!.done).toBe(3);
    expect(tracker.list(Date.now() + 60_000)).toEqual([]);
  });

  it('hears a report made on another thread (large files are read on a worker)', async () => {
    tracker = new OcrProgressTracker();
    // The channel name and message shape reportOcrProgress uses, posted from a real worker thread.
    const worker = new Worker(
      `const { BroadcastChannel } = require('node:worker_threads');
       const c = new BroadcastChannel('trogiang:ocr-progress');
       c.postMessage({ documentId: 'w1', collection: 'chung', fileName: 'big.pdf', done: 2, total: 5, updatedAt: Date.now() });
       c.close();`,
      { eval: true },
    );
    await new Promise((r) => worker.on('exit', r));
    await settle();
    expect(tracker.list().find((e) => e.documentId === 'w1')).toMatchObject({ fileName: 'big.pdf', done: 2, total: 5 });
  });
});
