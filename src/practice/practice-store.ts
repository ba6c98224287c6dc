import type Database from 'better-sqlite3';
import type { Clock } from '../store/index.js';
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

const selectItems = `SELECT i.*, s.content_hash FROM practice_items i LEFT JOIN practice_sources s ON s.document_id = i.document_id`;

/** Practice items, what each document's were made from, and the excluded sections (one SQLite connection). */
export class PracticeStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock = () => new Date(),
  ) {}

  source(documentId: string): PracticeSource | undefined {
    const r = this.db.prepare('SELECT * FROM practice_sources WHERE document_id = ?').get(documentId) as
      | { document_id: string; collection: string; content_hash: string; items: number; passed: number; generated_at: string }
      | undefined;
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
  documentsWithItems(collection: string): string[] {
    return (
      this.db.prepare('SELECT document_id AS id FROM practice_sources WHERE collection = ?').all(collection) as Array<{ id: string }>
    ).map((r) => r.id);
  }

  /**
   * Replaces a document's items with a new generation in one transaction. An item made again
   * (same document, sentence and key: same id) keeps the teacher's review (approved, rejected)
   * and edit; items whose sentence is gone are dropped with the old text.
   */
  replaceDocumentItems(
    centerId: string,
    documentId: string,
    collection: string,
    contentHash: string,
    items: readonly GeneratedItem[],
  ): void {
    const at = this.now().toISOString();
    const insert =
      this.db.prepare(`INSERT INTO practice_items (id, center_id, collection, document_id, title, heading_path, page, chunk_id, position, type, kind, prompt, answer, distractors, sentence, checks, passed, status, created_at, updated_at)
      VALUES (@id, @center, @collection, @documentId, @title, @headingPath, @page, @chunkId, @position, @type, @kind, @prompt, @answer, @distractors, @sentence, @checks, @passed, 'generated', @at, @at)
      ON CONFLICT(id) DO UPDATE SET collection = excluded.collection, title = excluded.title, heading_path = excluded.heading_path, page = excluded.page, chunk_id = excluded.chunk_id,
        position = excluded.position, checks = excluded.checks, passed = excluded.passed, updated_at = excluded.updated_at,
        type = CASE WHEN status = 'edited' THEN type ELSE excluded.type END,
        prompt = CASE WHEN status = 'edited' THEN prompt ELSE excluded.prompt END,
        answer = CASE WHEN status = 'edited' THEN answer ELSE excluded.answer END,
        distractors = CASE WHEN status = 'edited' THEN distractors ELSE excluded.distractors END`);
    this.db.transaction(() => {
      const keep = new Set(items.map((i) => i.id));
      for (const old of this.db.prepare('SELECT id FROM practice_items WHERE document_id = ?').all(documentId) as Array<{ id: string }>) {
        if (!keep.has(old.id)) this.db.prepare('DELETE FROM practice_items WHERE id = ?').run(old.id);
      }
      items.forEach((item, position) => {
        insert.run({
          id: item.id,
          center: centerId,
          collection,
          documentId,
          title: item.title,
          headingPath: JSON.stringify(item.headingPath),
          page: item.page,
          chunkId: item.chunkId,
          position,
          type: item.type,
          kind: item.kind,
          prompt: item.prompt,
          answer: item.answer,
          distractors: JSON.stringify(item.distractors),
          sentence: item.sentence,
          checks: JSON.stringify(item.checks),
          passed: item.passed ? 1 : 0,
          at,
        });
      });
      // The upsert never touches `status`, so an item made again keeps its review.
      this.db
        .prepare(`INSERT INTO practice_sources (document_id, center_id, collection, content_hash, items, passed, generated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(document_id) DO UPDATE SET center_id = excluded.center_id, collection = excluded.collection, content_hash = excluded.content_hash, items = excluded.items, passed = excluded.passed, generated_at = excluded.generated_at`)
        .run(documentId, centerId, collection, contentHash, items.length, items.filter((i) => i.passed).length, at);
    })();
  }

  /** Forgets a deleted document's items. */
  removeDocument(documentId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM practice_items WHERE document_id = ?').run(documentId);
      this.db.prepare('DELETE FROM practice_sources WHERE document_id = ?').run(documentId);
    })();
  }

  get(id: string): PracticeItem | undefined {
    const row = this.db.prepare(`${selectItems} WHERE i.id = ?`).get(id) as ItemRow | undefined;
    return row && toItem(row);
  }

  /** Every item of a collection in document order, for the teachers' review. */
  list(collection: string): PracticeItem[] {
    return (this.db.prepare(`${selectItems} WHERE i.collection = ? ORDER BY i.document_id, i.position`).all(collection) as ItemRow[]).map(
      toItem,
    );
  }

  /** Whether a teacher has reviewed the collection (approved, edited or rejected any item). */
  reviewed(collection: string): boolean {
    return (
      this.db.prepare("SELECT 1 FROM practice_items WHERE collection = ? AND status != 'generated' LIMIT 1").get(collection) !== undefined
    );
  }

  /**
   * What learners may be given: before a teacher reviews the collection, the items that pass the
   * checks (and were not rejected); after, only approved and edited ones. Excluded sections never.
   */
  forLearners(collection: string): PracticeItem[] {
    const statuses = this.reviewed(collection) ? "('approved', 'edited')" : "('generated', 'approved', 'edited')";
    const rows = this.db
      .prepare(
        `${selectItems} WHERE i.collection = ? AND i.status IN ${statuses} AND (i.passed = 1 OR i.status != 'generated') ORDER BY i.document_id, i.position`,
      )
      .all(collection) as ItemRow[];
    const excluded = this.exclusions();
    return rows.map(toItem).filter((i) => !isExcluded(excluded, i.documentId, i.headingPath));
  }

  /** Sets a review status, or edits an item (status `edited`); undefined when there is no such item. */
  update(id: string, edit: ItemEdit): PracticeItem | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const changed = edit.prompt !== undefined || edit.answer !== undefined || edit.distractors !== undefined || edit.type !== undefined;
    const status: ItemStatus = changed ? 'edited' : (edit.status ?? current.status);
    this.db
      .prepare('UPDATE practice_items SET prompt = ?, answer = ?, distractors = ?, type = ?, status = ?, updated_at = ? WHERE id = ?')
      .run(
        edit.prompt ?? current.prompt,
        edit.answer ?? current.answer,
        JSON.stringify(edit.distractors ?? current.distractors),
        edit.type ?? current.type,
        edit.status === 'rejected' ? 'rejected' : status,
        this.now().toISOString(),
        id,
      );
    return this.get(id);
  }

  /** Excluded sections: every center's (for generation, keyed by document), or one center's. */
  exclusions(centerId?: string): Array<{ documentId: string; heading: string }> {
    const rows =
      centerId === undefined
        ? this.db.prepare('SELECT document_id, heading FROM practice_exclusions ORDER BY document_id, heading').all()
        : this.db
            .prepare('SELECT document_id, heading FROM practice_exclusions WHERE center_id = ? ORDER BY document_id, heading')
            .all(centerId);
    return (rows as Array<{ document_id: string; heading: string }>).map((r) => ({ documentId: r.document_id, heading: r.heading }));
  }

  exclude(centerId: string, documentId: string, heading: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO practice_exclusions (center_id, document_id, heading, created_at) VALUES (?, ?, ?, ?)')
      .run(centerId, documentId, heading, this.now().toISOString());
  }

  include(documentId: string, heading: string): boolean {
    return this.db.prepare('DELETE FROM practice_exclusions WHERE document_id = ? AND heading = ?').run(documentId, heading).changes > 0;
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
