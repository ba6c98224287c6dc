import type { AnswerEvent, AnswerMode, Citation, Source } from '../answer/answer-events.js';
import type { CollectionOrigin } from '../store/index.js';

/** Who owns a cited passage of another center's open collection, and under which licence (docs/centers.md). */
export interface SharedFrom {
  sharedFrom: CollectionOrigin;
}

/** A citation as the API sends it: where to open it, and its owner when it is another center's material. */
export type LinkedCitation = Citation & { link: string } & Partial<SharedFrom>;

/** A numbered passage as the API sends it (the `sources` event, the JSON answer's `sources`). */
export type LinkedSource = Source & { link: string } & Partial<SharedFrom>;

/** The `done` event: the whole answer, its citations with links, and how it was made. */
export type ChatDoneEvent = Omit<Extract<AnswerEvent, { type: 'done' }>, 'citations'> & { citations: LinkedCitation[] };

/**
 * The events of `POST /api/chat` as server-sent events: `meta` (the ids), then the answerer's
 * protocol (`sources`, `delta`…, `done` or `error`, and `reset` when a model answer is replaced)
 * with links added. Each SSE event is named after its `type` and its data is the whole object.
 */
export type ChatStreamEvent =
  | { type: 'meta'; conversationId: string; messageId: string }
  | { type: 'sources'; sources: LinkedSource[] }
  | Exclude<AnswerEvent, { type: 'sources' | 'done' }>
  | ChatDoneEvent;

export type ChatStreamEventType = ChatStreamEvent['type'];

/** `POST /api/chat` with `Accept: application/json`: the answer as one object. */
export interface ChatResponse {
  conversationId: string;
  messageId: string;
  answer: string;
  citations: LinkedCitation[];
  sources: LinkedSource[];
  mode: AnswerMode;
  answerable: boolean;
  verified?: { id: string };
}
