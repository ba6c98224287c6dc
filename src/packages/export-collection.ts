import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { DocumentRecord, TrogiangStore } from '../store/index.js';
import {
  collectionJsonLd,
  manifestPath,
  metadataPath,
  packageFormat,
  packageFormatVersion,
  type PackagedDocument,
  type PackageManifest,
} from './package-format.js';

/** A package being written: its zip stream and what it holds. */
export interface CollectionExport {
  /** The zip, produced as it is read (one stored part of a source in memory at a time). */
  stream: Readable;
  /** A file name to offer: `<collection id>.trogiang.zip`. */
  fileName: string;
  manifest: PackageManifest;
}

/** Formats that are compressed already: stored as they are rather than deflated again. */
const storedFormats = new Set(['pdf', 'docx', 'image']);

/**
 * A source's bytes read part by part from the store. A document replaced or deleted during the
 * export has its parts dropped, so the stream fails and the zip is cut short: an importer
 * refuses it, rather than taking a mix of old and new bytes.
 */
function sourceStream(store: TrogiangStore, doc: DocumentRecord): Readable {
  return Readable.from(
    (async function* () {
      if ((await store.blobs.size(doc.contentHash, 'source')) === undefined) {
        // A source stored before schema 4 that could not yet be moved into parts (full disk).
        const whole = await store.getDocumentSource(doc.id);
        if (whole) yield whole;
        return;
      }
      for (let offset = 0; offset < doc.bytes; ) {
        const part = await store.blobs.readFrom(doc.contentHash, 'source', offset);
        if (!part) throw new Error(`document ${doc.id} changed while it was being exported`);
        offset += part.length;
        yield part;
      }
    })(),
    { objectMode: false },
  );
}

/**
 * Documents in the order they were first indexed (their first chunk's sequence number), so an
 * import counts them into the term statistics in the same order and ranks alike.
 */
async function inIndexOrder(store: TrogiangStore, documents: DocumentRecord[]): Promise<DocumentRecord[]> {
  const firstSeq = new Map<string, number>();
  for (const d of documents) firstSeq.set(d.id, (await store.chunksOfDocument(d.id))[0]?.seq ?? Number.MAX_SAFE_INTEGER);
  return [...documents].sort((a, b) => firstSeq.get(a.id)! - firstSeq.get(b.id)! || (a.id < b.id ? -1 : 1));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes a collection as one zip package (see package-format.ts): its documents exactly as
 * uploaded, `metadata.jsonld` and `manifest.json` with every file's SHA-256. Undefined when the
 * collection does not exist. Entry times are the documents' own, so exporting twice gives the
 * same documents and metadata.
 *
 * @example (await exportCollection(engine.store, 'tin-hoc'))?.stream.pipe(createWriteStream('tin-hoc.zip'))
 */
export async function exportCollection(
  store: TrogiangStore,
  id: string,
  options: { generator?: string; now?: Date } = {},
): Promise<CollectionExport | undefined> {
  const collection = await store.collections.getCollection(id);
  const meta = await store.collectionMetadata.get(id);
  if (!collection || !meta) return undefined;
  const documents: PackagedDocument[] = (await inIndexOrder(store, await store.listDocuments(id))).map((record) => ({
    record,
    path: `documents/${record.fileName}`,
  }));
  const jsonLd = Buffer.from(`${JSON.stringify(collectionJsonLd(collection, meta, documents), null, 2)}\n`);
  const manifest: PackageManifest = {
    format: packageFormat,
    formatVersion: packageFormatVersion,
    createdAt: (options.now ?? new Date()).toISOString(),
    generator: options.generator ?? 'trogiang',
    collection: { id: collection.id, name: collection.name },
    files: [
      { role: 'metadata', path: metadataPath, bytes: jsonLd.length, sha256: sha256(jsonLd) },
      ...documents.map(({ record, path }) => ({
        role: 'document' as const,
        path,
        bytes: record.bytes,
        sha256: record.contentHash,
        fileName: record.fileName,
        documentId: record.id,
        title: record.title,
        format: record.format,
      })),
    ],
  };
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  // yazl pipes each source without listening for its errors, and emits its own on the zip: both
  // end the output with the error (the reader sees a failed download), never the process.
  const fail = (error: Error) => output.destroy(error);
  zip.on('error', fail);
  const mtime = new Date(collection.createdAt);
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), manifestPath, { mtime });
  zip.addBuffer(jsonLd, metadataPath, { mtime });
  for (const { record, path } of documents) {
    zip.addReadStreamLazy(
      path,
      { mtime: new Date(record.updatedAt), size: record.bytes, compress: !storedFormats.has(record.format) },
      (cb) => cb(null, sourceStream(store, record).on('error', fail)),
    );
  }
  zip.end();
  return { stream: output, fileName: `${collection.id}.trogiang.zip`, manifest };
}
