import type { Clock } from '../store/index.js';
import type { SqlDb } from '../store/sql/index.js';
import type { KeyKind } from './key-kinds.js';
import type { GeneratedItem, ItemChecks, ItemStatus, ItemType, PracticeItem } from './practice-item.js';

interface ItemRow {
  id: string;
  center_id: string;
  collection: string;
  document_id: string;
  title: string;
  heading_path: string;
  page: number | null;
  chunk_id: string;
  position: number;
  type: ItemType;
  kind: KeyKind;
  prompt: string;
  answer: string;
  distractors: string;
  sentence: string;
  checks: string;
  passed: number;
  status: ItemStatus;
  content_hash: string;
  created_at: string;
  updated_at: string;
}

const toItem = (r: ItemRow): PracticeItem => ({
  id: r.id,
  centerId: r.center_id,
  collection: r.collection,
  documentId: r.document_id,
  title: r.title,
  headingPath: JSON.parse(r.heading_path) as string[],
  page: r.page,
  chunkId: r.chunk_id,
  type: r.type,
  kind: r.kind,
  prompt: r.prompt,
  answer: r.answer,
  distractors: JSON.parse(r.distractors) as string[],
  sentence: r.sentence,
  checks: JSON.parse(r.checks) as ItemChecks,
  passed: r.passed === 1,
  status: r.status,
  contentHash: r.content_hash ?? '',
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What one document's generation made (the pass rate per document). */
export interface PracticeSource {
  documentId: string;
  collection: string;
  contentHash: string;
  items: number;
  passed: number;
  generatedAt: string;
}

export interface ItemEdit {
  status?: 'approved' | 'rejected' | 'generated';
  prompt?: string;
  answer?: string;
  distractors?: string[];
  type?: ItemType;
}

const upsertItem = `INSERT INTO practice_items (id, center_id, collection, document_id, title, heading_path, page, chunk_id, position, type, kind, prompt, answer, distractors, sentence, checks, passed, status, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'generated', ?, ?)
  ON CONFLICT(id) DO UPDATE SET collection = excluded.collection, title = excluded.title, heading_path = excluded.heading_path, page = excluded.page, chunk_id = excluded.chunk_id,
    position = excluded.position, checks = excluded.checks, passed = excluded.passed, updated_at = excluded.updated_at,
    type = CASE WHEN practice_items.status = 'edited' THEN practice_items.type ELSE excluded.type END,
    prompt = CASE WHEN practice_items.status = 'edited' THEN practice_items.prompt ELSE excluded.prompt END,
    answer = CASE WHEN practice_items.status = 'edited' THEN practice_items.answer ELSE excluded.answer END,
    distractors = CASE WHEN practice_items.status = 'edited' THEN practice_items.distractors ELSE excluded.distractors END`;

const selectItems = `SELECT i.*, s.content_hash FROM practice_items i LEFT JOIN practice_sources s ON s.document_id = i.document_id`;

/** Practice items, what each document's were made from, and the excluded sections (SQLite or PostgreSQL). */
export class PracticeStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  async source(documentId: string): Promise<PracticeSource | undefined> {
    const r = await this.sql.get<{
      document_id: string;
      collection: string;
      content_hash: string;
      items: number;
      passed: number;
      generated_at: string;
    }>('SELECT * FROM practice_sources WHERE document_id = ?', [documentId]);
    return (
      r && {
        documentId: r.document_id,
        collection: r.collection,
        contentHash: r.content_hash,
        items: r.items,
        passed: r.passed,
        generatedAt: r.generated_at,
      }
    );
  }

  /** Documents with items in the collection (to forget the ones deleted since). */
  async documentsWithItems(collection: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>('SELECT document_id AS id FROM practice_sources WHERE collection = ?', [collection]);
    return rows.map((r) => r.id);
  }

  /**
   * Replaces a document's items with a new generation in one transaction. An item made again
   * (same document, sentence and key: same id) keeps the teacher's review (approved, rejected)
   * and edit; items whose sentence is gone are dropped with the old text.
   */
  async replaceDocumentItems(
    centerId: string,
    documentId: string,
    collection: string,
    contentHash: string,
    items: readonly GeneratedItem[],
  ): Promise<void> {
    const at = this.now().toISOString();
    const keep = new Set(items.map((i) => i.id));
    await this.sql.transaction(async (tx) => {
      for (const old of await tx.all<{ id: string }>('SELECT id FROM practice_items WHERE document_id = ?', [documentId])) {
        if (!keep.has(old.id)) await tx.run('DELETE FROM practice_items WHERE id = ?', [old.id]);
      }
      // The upsert never touches `status`, so an item made again keeps its review.
      for (const [position, item] of items.entries()) {
        await tx.run(upsertItem, [
          item.id,
          centerId,
          collection,
          documentId,
          item.title,
          JSON.stringify(item.headingPath),
          item.page,
          item.chunkId,
          position,
          item.type,
          item.kind,
          item.prompt,
          item.answer,
          JSON.stringify(item.distractors),
          item.sentence,
          JSON.stringify(item.checks),
          item.passed ? 1 : 0,
          at,
          at,
        ]);
      }
      await tx.run(
        `INSERT INTO practice_sources (document_id, center_id, collection, content_hash, items, passed, generated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(document_id) DO UPDATE SET center_id = excluded.center_id, collection = excluded.collection, content_hash = excluded.content_hash, items = excluded.items, passed = excluded.passed, generated_at = excluded.generated_at`,
        [documentId, centerId, collection, contentHash, items.length, items.filter((i) => i.passed).length, at],
      );
    });
  }

  /** Forgets a deleted document's items. */
  async removeDocument(documentId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM practice_items WHERE document_id = ?', [documentId]);
      await tx.run('DELETE FROM practice_sources WHERE document_id = ?', [documentId]);
    });
  }

  async get(id: string): Promise<PracticeItem | undefined> {
    const row = await this.sql.get<ItemRow>(`${selectItems} WHERE i.id = ?`, [id]);
    return row && toItem(row);
  }

  /** Every item of a collection in document order, for the teachers' review. */
  async list(collection: string): Promise<PracticeItem[]> {
    return (await this.sql.all<ItemRow>(`${selectItems} WHERE i.collection = ? ORDER BY i.document_id, i.position`, [collection])).map(
      toItem,
    );
  }

  /** Whether a teacher has reviewed the collection (approved, edited or rejected any item). */
  async reviewed(collection: string): Promise<boolean> {
    return (
      (await this.sql.get("SELECT 1 AS one FROM practice_items WHERE collection = ? AND status != 'generated' LIMIT 1", [collection])) !==
      undefined
    );
  }

  /**
   * What learners may be given: before a teacher reviews the collection, the items that pass the
   * checks (and were not rejected); after, only approved and edited ones. Excluded sections never.
   */
  async forLearners(collection: string): Promise<PracticeItem[]> {
    const statuses = (await this.reviewed(collection)) ? "('approved', 'edited')" : "('generated', 'approved', 'edited')";
    const rows = await this.sql.all<ItemRow>(
      `${selectItems} WHERE i.collection = ? AND i.status IN ${statuses} AND (i.passed = 1 OR i.status != 'generated') ORDER BY i.document_id, i.position`,
      [collection],
    );
    const excluded = await this.exclusions();
    return rows.map(toItem).filter((i) => !isExcluded(excluded, i.documentId, i.headingPath));
  }

  /** Sets a review status, or edits an item (status `edited`); undefined when there is no such item. */
  async update(id: string, edit: ItemEdit): Promise<PracticeItem | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const changed = edit.prompt !== undefined || edit.answer !== undefined || edit.distractors !== undefined || edit.type !== undefined;
    const status: ItemStatus = changed ? 'edited' : (edit.status ?? current.status);
    await this.sql.run(
      'UPDATE practice_items SET prompt = ?, answer = ?, distractors = ?, type = ?, status = ?, updated_at = ? WHERE id = ?',
      [
        edit.prompt ?? current.prompt,
        edit.answer ?? current.answer,
        JSON.stringify(edit.distractors ?? current.distractors),
        edit.type ?? current.type,
        edit.status === 'rejected' ? 'rejected' : status,
        this.now().toISOString(),
        id,
      ],
    );
    return this.get(id);
  }

  /** Excluded sections: every center's (for generation, keyed by document), or one center's. */
  async exclusions(centerId?: string): Promise<Array<{ documentId: string; heading: string }>> {
    const rows =
      centerId === undefined
        ? await this.sql.all<{ document_id: string; heading: string }>(
            'SELECT document_id, heading FROM practice_exclusions ORDER BY document_id, heading',
          )
        : await this.sql.all<{ document_id: string; heading: string }>(
            'SELECT document_id, heading FROM practice_exclusions WHERE center_id = ? ORDER BY document_id, heading',
            [centerId],
          );
    return rows.map((r) => ({ documentId: r.document_id, heading: r.heading }));
  }

  async exclude(centerId: string, documentId: string, heading: string): Promise<void> {
    await this.sql.run(
      'INSERT INTO practice_exclusions (center_id, document_id, heading, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [centerId, documentId, heading, this.now().toISOString()],
    );
  }

  async include(documentId: string, heading: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM practice_exclusions WHERE document_id = ? AND heading = ?', [documentId, heading])).changes > 0;
  }
}

/** Whether a heading path falls under an excluded section of its document. */
export function isExcluded(
  exclusions: ReadonlyArray<{ documentId: string; heading: string }>,
  documentId: string,
  headingPath: readonly string[],
): boolean {
  return exclusions.some((e) => e.documentId === documentId && headingPath.includes(e.heading));
}
