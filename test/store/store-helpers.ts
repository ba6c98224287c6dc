import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type DocumentRecord, type NewChunk, type NewMessage } from '../../src/store/index.js';

/** A temp data folder and a store on a real file, with a settable clock. */
export function openTempStore(prefix = 'trogiang-store-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'trogiang.db');
  const clock = { now: new Date('2024-05-02T09:00:00.000Z') };
  const open = () => new SqliteStore(path, { now: () => clock.now });
  let store = open();
  return {
    dir,
    path,
    clock,
    get store() {
      return store;
    },
    reopen() {
      store.close();
      store = open();
      return store;
    },
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function makeDocument(
  id: string,
  collection: string,
  chunkTexts: string[] = ['Học phí khóa tin học là 1.200.000 đồng.'],
): {
  doc: DocumentRecord;
  source: Uint8Array;
  chunks: NewChunk[];
} {
  const at = '2024-05-01T00:00:00.000Z';
  return {
    doc: {
      id,
      collection,
      title: `Tài liệu ${id}`,
      fileName: `${id}.md`,
      format: 'markdown',
      contentHash: `hash-${id}`,
      bytes: 42,
      pages: 1,
      chunkCount: chunkTexts.length,
      createdAt: at,
      updatedAt: at,
    },
    source: new TextEncoder().encode(chunkTexts.join('\n\n')),
    chunks: chunkTexts.map((text, ordinal) => ({
      id: `${id}#${ordinal}`,
      documentId: id,
      ordinal,
      collection,
      title: `Tài liệu ${id}`,
      headingPath: ['Chương 1'],
      pageStart: null,
      pageEnd: null,
      lang: 'vi' as const,
      text,
      vector: new Float32Array([0.6, 0.8, 0]),
    })),
  };
}

/** A message with sensible defaults. */
export function message(overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    question: 'Học phí bao nhiêu?',
    answer: 'Học phí là 1.200.000 đồng [1].',
    citations: [{ n: 1, chunkId: 'doc#0', documentId: 'doc', title: 'Quy chế', page: 3, headingPath: ['Học phí'] }],
    mode: 'extractive',
    answerable: true,
    answerability: 0.82,
    retrievalScores: [{ chunkId: 'doc#0', score: 0.03, bm25Score: 4.2, vectorScore: 0.71 }],
    collection: null,
    lang: 'vi',
    latencyMs: 12,
    ...overrides,
  };
}
