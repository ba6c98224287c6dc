import type { KeyKind } from './key-kinds.js';

/** The automatic checks every item passes or fails (docs/practice.md). */
export interface ItemChecks {
  /** The key occurs exactly once in its source sentence. */
  keyOnce: boolean;
  /** The blanked sentence still retrieves its source among the top 3 passages. */
  retrievesSource: boolean;
  /** Three distractors: distinct, of the key's kind, not true in the material (fill items: true). */
  distractorsOk: boolean;
  /** The sentence is not a question, an example list, a label or a fragment. */
  fitSentence: boolean;
}

export type ItemType = 'fill' | 'choice';
export type ItemStatus = 'generated' | 'approved' | 'rejected' | 'edited';

/** A practice item as generated: a blanked sentence, its key, and where it comes from. */
export interface GeneratedItem {
  /** Stable across regenerations of the same sentence and key (a hash of both and the document). */
  id: string;
  collection: string;
  documentId: string;
  title: string;
  headingPath: string[];
  page: number | null;
  chunkId: string;
  type: ItemType;
  kind: KeyKind;
  /** The source sentence with the key replaced by `blank`. */
  prompt: string;
  answer: string;
  distractors: string[];
  sentence: string;
  checks: ItemChecks;
  passed: boolean;
}

/** A stored item: a generated one with its review status and the center it belongs to. */
export interface PracticeItem extends GeneratedItem {
  centerId: string;
  status: ItemStatus;
  /** The document's content hash when the item was made: a changed document is generated again. */
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

/** What a learner sees in place of the key. */
export const blank = '_____';
