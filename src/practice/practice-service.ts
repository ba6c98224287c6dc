import type { Engine } from '../engine/index.js';
import { centerOfCollection, type StoredChunk } from '../store/index.js';
import { generateItems } from './generate-items.js';
import { materialText } from './material-text.js';
import type { PracticeItem } from './practice-item.js';
import { pickDue } from './leitner-schedule.js';
import { LeitnerStore } from './leitner-store.js';
import { isExcluded, PracticeStore } from './practice-store.js';
import { retrievesSentence } from './retrieves-sentence.js';

/** What one generation run did, per document (the pass rate measured in evals/practice). */
export interface GenerationReport {
  collection: string;
  /**
   * Per document: `candidates`, the sentences holding a key; `skipped`, those that made no item,
   * by reason (a question, an example list, a label…); `items`, `passed`: items and those passing
   * every check. The pass rate is `passed / candidates`.
   */
  documents: Array<{
    documentId: string;
    title: string;
    candidates: number;
    skipped: Record<string, number>;
    items: number;
    passed: number;
    ms: number;
  }>;
  ms: number;
}

/**
 * Practice over the engine: items are generated per document when it is new or its content
 * changed (its hash), or on demand; a deleted document's items go with it. One generation per
 * collection runs at a time; callers asking meanwhile wait for it.
 */
export class PracticeService {
  readonly items: PracticeStore;
  /** Known learners' Leitner boxes (anonymous learners keep theirs in the browser). */
  readonly boxes: LeitnerStore;
  private readonly running = new Map<string, Promise<GenerationReport>>();

  constructor(readonly engine: Engine) {
    this.items = new PracticeStore(engine.store.sql);
    this.boxes = new LeitnerStore(engine.store.sql);
  }

  /** The collections that exist (practice is asked for one of them). */
  async collectionIds(): Promise<string[]> {
    return (await this.engine.store.listCollections()).map((c) => c.id);
  }

  document(id: string) {
    return this.engine.store.getDocument(id);
  }

  /** The center owning a collection (read from its id: docs/centers.md#collection-ids). */
  centerOf(collection: string): string {
    return centerOfCollection(collection);
  }

  /** Brings a collection's items in line with its documents; `force` (or `documentId`) generates again. */
  sync(collection: string, options: { force?: boolean; documentId?: string } = {}): Promise<GenerationReport> {
    const pending = this.running.get(collection);
    if (pending) return pending.then(() => (options.force || options.documentId ? this.sync(collection, options) : pending));
    const run = this.generate(collection, options).finally(() => this.running.delete(collection));
    this.running.set(collection, run);
    return run;
  }

  private async generate(collection: string, options: { force?: boolean; documentId?: string }): Promise<GenerationReport> {
    const started = performance.now();
    const store = this.engine.store;
    const documents = await store.listDocuments(collection);
    const present = new Set(documents.map((d) => d.id));
    for (const id of await this.items.documentsWithItems(collection)) if (!present.has(id)) await this.items.removeDocument(id);
    const due: typeof documents = [];
    for (const d of documents) {
      if (
        options.documentId ? d.id === options.documentId : options.force || (await this.items.source(d.id))?.contentHash !== d.contentHash
      )
        due.push(d);
    }
    const report: GenerationReport = { collection, documents: [], ms: 0 };
    if (due.length === 0) return report;
    const center = this.centerOf(collection);
    const chunksOf = new Map<string, StoredChunk[]>();
    for (const d of documents) chunksOf.set(d.id, await store.chunksOfDocument(d.id));
    const text = materialText(documents.flatMap((d) => chunksOf.get(d.id)!));
    const exclusions = await this.items.exclusions();
    const retrieves = retrievesSentence(this.engine, collection);
    for (const doc of due) {
      const t0 = performance.now();
      const skipped: Record<string, number> = {};
      const generated = await generateItems(doc, chunksOf.get(doc.id)!, {
        materialText: text,
        retrieves,
        excluded: (path) => isExcluded(exclusions, doc.id, path),
        onSkip: (reason) => (skipped[reason] = (skipped[reason] ?? 0) + 1),
      });
      await this.items.replaceDocumentItems(center, doc.id, collection, doc.contentHash, generated);
      const candidates = generated.length + Object.values(skipped).reduce((a, b) => a + b, 0);
      report.documents.push({
        documentId: doc.id,
        title: doc.title,
        candidates,
        skipped,
        items: generated.length,
        passed: generated.filter((i) => i.passed).length,
        ms: performance.now() - t0,
      });
    }
    report.ms = performance.now() - started;
    return report;
  }

  /**
   * Up to `n` items for learners from the collections. For a known learner (`owner`) this starts
   * their next session and puts the items due in it first, lowest box first, then new items, then
   * the rest (each group in random order); for anyone else, random order.
   */
  async pick(collections: readonly string[], n: number, owner?: string): Promise<PracticeItem[]> {
    const all: PracticeItem[] = [];
    for (const c of collections) {
      await this.sync(c);
      all.push(...(await this.items.forLearners(c)));
    }
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    if (owner === undefined) return all.slice(0, n);
    const session = await this.boxes.startSession(owner);
    const entries = await this.boxes.entries(owner);
    return pickDue(all, (id) => entries.get(id), session, n);
  }
}
