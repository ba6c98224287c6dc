import type { DocumentOcr } from '../contract/index.js';
import type { SqlDb } from '../store/sql/index.js';
import type { OcrSummary } from '../ingest/index.js';

export type { DocumentOcr };

interface Row {
  document_id: string;
  page: number;
  confidence: number;
  low_confidence: number;
}

/** Per-page OCR confidence of documents (table `document_ocr_pages`, migration `ocr-pages`), over the store's `SqlDb`. */
export class OcrPageStore {
  constructor(private readonly sql: SqlDb) {}

  /** Replaces what is known of a document's OCR pages (none: it has no scanned page any more). */
  async replace(documentId: string, ocr: OcrSummary | undefined): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM document_ocr_pages WHERE document_id = ?', [documentId]);
      for (const p of ocr?.pages ?? []) {
        await tx.run('INSERT INTO document_ocr_pages (document_id, page, confidence, low_confidence) VALUES (?, ?, ?, ?)', [
          documentId,
          p.page,
          p.confidence,
          p.lowConfidence ? 1 : 0,
        ]);
      }
    });
  }

  /** Every document with OCR pages, by id. */
  async all(): Promise<Map<string, DocumentOcr>> {
    const rows = await this.sql.all<Row>(
      'SELECT document_id, page, confidence, low_confidence FROM document_ocr_pages ORDER BY document_id, page',
    );
    const out = new Map<string, DocumentOcr & { total: number }>();
    for (const r of rows) {
      const d = out.get(r.document_id) ?? { pages: 0, meanConfidence: 0, lowConfidencePages: [], total: 0 };
      d.pages++;
      d.total += r.confidence;
      if (r.low_confidence) d.lowConfidencePages.push(r.page);
      out.set(r.document_id, d);
    }
    return new Map([...out].map(([id, { total, ...d }]) => [id, { ...d, meanConfidence: Math.round((total / d.pages) * 10) / 10 }]));
  }
}
