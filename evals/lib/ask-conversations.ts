import type { Conversation, ConversationTurn } from './conversation-schema.js';

/** One turn as the service answered it. */
export interface AskedTurn {
  conversationId: string;
  /** 0-based position in its conversation. */
  index: number;
  turn: ConversationTurn;
  /** The service's conversation id for this conversation (from its first turn's reply). */
  serviceConversationId: string | null;
  messageId: string | null;
  answer: string;
  answerable: boolean;
  mode: string | null;
  /** The question as the service searched it (rewritten follow-up), when it says. */
  rewrittenQuestion: string | null;
  latencyMs: number;
  /** HTTP or network failure: the turn counts as wrong. */
  error: string | null;
}

export interface AskConversationsOptions {
  /** e.g. `http://127.0.0.1:8787` (no trailing slash needed). */
  baseUrl: string;
  /**
   * The admin token of that service: when given, each turn's stored rewritten question is read
   * back from `GET /api/admin/questions` (the chat JSON does not carry it).
   */
  adminToken?: string | undefined;
  /** Per request; default 60 s. */
  timeoutMs?: number;
  /** How often a 429 is waited out (its `Retry-After`) before the turn fails; default 10. */
  maxRateLimitRetries?: number;
  onProgress?: (done: number, total: number) => void;
  /** For tests: replaces the wait on a 429. */
  sleep?: (ms: number) => Promise<void>;
}

interface ChatJson {
  conversationId?: string;
  messageId?: string;
  answer?: string;
  answerable?: boolean;
  mode?: string;
  rewrittenQuestion?: string | null;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Asks every conversation through `POST /api/chat` of a running service, as the widget does in
 * JSON mode: `Accept: application/json`, the first turn without a conversation id, every later
 * turn with the `conversationId` the first reply returned. Conversations run one after another
 * (turns must, and one learner at a time is what is being measured). A 429 is waited out for its
 * `Retry-After`; any other failure is recorded on the turn, which then counts as wrong.
 */
export async function askConversations(conversations: readonly Conversation[], options: AskConversationsOptions): Promise<AskedTurn[]> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const sleep = options.sleep ?? wait;
  const total = conversations.reduce((n, c) => n + c.turns.length, 0);
  const results: AskedTurn[] = [];
  for (const conversation of conversations) {
    let serviceConversationId: string | null = null;
    for (const [index, turn] of conversation.turns.entries()) {
      const started = performance.now();
      const asked: AskedTurn = {
        conversationId: conversation.id,
        index,
        turn,
        serviceConversationId,
        messageId: null,
        answer: '',
        answerable: false,
        mode: null,
        rewrittenQuestion: null,
        latencyMs: 0,
        error: null,
      };
      try {
        const body = JSON.stringify({ message: turn.q, ...(serviceConversationId ? { conversationId: serviceConversationId } : {}) });
        let response: Response;
        for (let attempt = 0; ; attempt++) {
          response = await fetch(`${base}/api/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body,
            signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
          });
          if (response.status !== 429 || attempt >= (options.maxRateLimitRetries ?? 10)) break;
          await response.arrayBuffer();
          await sleep(Math.max(1, Number(response.headers.get('retry-after')) || 1) * 1000);
        }
        const text = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
        const json = JSON.parse(text) as ChatJson;
        if (typeof json.answer !== 'string' || typeof json.answerable !== 'boolean')
          throw new Error(`unexpected reply: ${text.slice(0, 200)}`);
        serviceConversationId ??= json.conversationId ?? null;
        Object.assign(asked, {
          serviceConversationId,
          messageId: json.messageId ?? null,
          answer: json.answer,
          answerable: json.answerable,
          mode: json.mode ?? null,
          rewrittenQuestion: json.rewrittenQuestion ?? null,
        });
      } catch (error) {
        asked.error = (error as Error).message;
      }
      asked.latencyMs = Math.round(performance.now() - started);
      results.push(asked);
      options.onProgress?.(results.length, total);
    }
  }
  if (options.adminToken) await addStoredRewrites(base, options.adminToken, results, options.timeoutMs ?? 60_000);
  return results;
}

/**
 * Reads the rewritten questions the service stored with each answer (`rewrittenQuestion` in
 * `GET /api/admin/questions`; null when the question was searched as typed).
 */
async function addStoredRewrites(base: string, token: string, results: AskedTurn[], timeoutMs: number): Promise<void> {
  const wanted = new Map(results.filter((r) => r.messageId && r.rewrittenQuestion === null).map((r) => [r.messageId!, r]));
  for (let offset = 0; wanted.size > 0; offset += 1000) {
    const response = await fetch(`${base}/api/admin/questions?limit=1000&offset=${offset}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`GET /api/admin/questions: HTTP ${response.status}`);
    const page = (await response.json()) as { total: number; items: Array<{ id: string; rewrittenQuestion: string | null }> };
    for (const item of page.items) {
      const turn = wanted.get(item.id);
      if (turn) {
        turn.rewrittenQuestion = item.rewrittenQuestion;
        wanted.delete(item.id);
      }
    }
    if (page.items.length < 1000 || offset + 1000 >= page.total) break;
  }
}
