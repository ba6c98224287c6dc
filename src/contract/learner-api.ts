import type { ItemType } from '../practice/index.js';
import type { LearnerConversation, LearnerMessage, LoggedCitation } from '../store/index.js';

/** Where a practice item comes from, as learners see it: a link that opens the page or the heading. */
export interface PracticeItemSource {
  documentId: string;
  title: string;
  page?: number;
  heading?: string;
  link: string;
}

/** A practice item as a learner gets it: the prompt, without its key. */
export interface PracticeItemView {
  id: string;
  type: ItemType;
  prompt: string;
  /** A choice item's choices, in an order fixed by its id. */
  choices?: string[];
  source: PracticeItemSource;
}

/** `GET /api/practice`. */
export interface PracticeItemsResponse {
  items: PracticeItemView[];
}

/** `POST /api/practice/:id/answer`: the verdict, the key and the sentence it comes from. */
export interface PracticeAnswerResponse {
  correct: boolean;
  expected: string;
  source: PracticeItemSource & { sentence: string };
}

/** `GET /api/learner/conversations`: a known learner's conversations, newest first. */
export interface LearnerConversationsResponse {
  conversations: LearnerConversation[];
}

/** A message of a learner's history, its citations with links. */
export type LearnerHistoryMessage = Omit<LearnerMessage, 'citations'> & { citations: Array<LoggedCitation & { link: string }> };

/** `GET /api/learner/conversations/:id`. */
export interface LearnerConversationResponse {
  conversationId: string;
  messages: LearnerHistoryMessage[];
}

/** `DELETE /api/learner/conversations`: how many conversations and practice boxes were deleted. */
export interface LearnerHistoryDeleted {
  deleted: number;
  practiceBoxes: number;
}
