import type { DocumentFormat } from '../ingest/types.js';
import type { Language } from '../text/index.js';
import type { ChunkRecord, DocumentRecord, StoredChunk } from './store-types.js';

// Rows of the chunks and documents tables as both adapters (SQLite, PostgreSQL) read them, and
// their records: one schema shape, so one reader.

export interface ChunkRow {
  seq: number;
  id: string;
  document_id: string;
  ordinal: number;
  collection: string;
  title: string;
  heading_path: string;
  page_start: number | null;
  page_end: number | null;
  lang: string;
  text: string;
  vector: Buffer;
  folded_terms?: string | null;
}

export interface DocumentRow {
  id: string;
  collection: string;
  title: string;
  file_name: string;
  format: string;
  content_hash: string;
  bytes: number;
  pages: number;
  chunk_count: number;
  created_at: string;
  updated_at: string;
}

export function toChunkRecord(row: Omit<ChunkRow, 'vector'>): ChunkRecord {
  const record: ChunkRecord = {
    seq: row.seq,
    id: row.id,
    documentId: row.document_id,
    ordinal: row.ordinal,
    collection: row.collection,
    title: row.title,
    headingPath: JSON.parse(row.heading_path) as string[],
    pageStart: row.page_start,
    pageEnd: row.page_end,
    lang: row.lang as Language,
    text: row.text,
  };
  if (typeof row.folded_terms === 'string') record.foldedTerms = row.folded_terms;
  return record;
}

export function toChunk(row: ChunkRow): StoredChunk {
  const v = row.vector;
  // Copy: the row buffer may not be 4-byte aligned.
  return { ...toChunkRecord(row), vector: new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) };
}

export function toDocument(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    collection: row.collection,
    title: row.title,
    fileName: row.file_name,
    format: row.format as DocumentFormat,
    contentHash: row.content_hash,
    bytes: row.bytes,
    pages: row.pages,
    chunkCount: row.chunk_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
