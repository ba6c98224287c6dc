import type { ChatStreamEvent, ChatStreamEventType } from '../../../src/contract/index.js';

type Fields = Record<string, unknown>;

/**
 * The shape each event kind must have to be used. Keyed by every kind of the server's
 * `ChatStreamEvent`: a kind the server adds and this page does not handle fails the typecheck.
 */
const shapes: { [K in ChatStreamEventType]: (e: Fields) => boolean } = {
  meta: (e) => typeof e.conversationId === 'string' && typeof e.messageId === 'string',
  sources: (e) => Array.isArray(e.sources),
  delta: (e) => typeof e.text === 'string',
  reset: () => true,
  done: (e) => typeof e.answer === 'string' && Array.isArray(e.citations) && typeof e.answerable === 'boolean',
  error: (e) => typeof e.code === 'string',
};

/** The event named `name` with data `data`, when it is one of the chat's events and well formed. */
export function chatEvent(name: string, data: unknown): ChatStreamEvent | null {
  if (!data || typeof data !== 'object' || !Object.hasOwn(shapes, name)) return null;
  const event = { ...(data as Fields), type: name };
  return shapes[name as ChatStreamEventType](event) ? (event as ChatStreamEvent) : null;
}

/**
 * Reads the chat's server-sent events from a fetch response, calling `on` for each well-formed
 * one (others, and keep-alive comments, are skipped).
 */
export async function readEvents(response: Response, on: (event: ChatStreamEvent) => void): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const flush = (block: string) => {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (!data.length) return;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {}
    const event = chatEvent(name, parsed);
    if (event) on(event);
  };
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    let at: number;
    while ((at = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const sep = /\r?\n\r?\n/.exec(buffer.slice(at))![0].length;
      flush(buffer.slice(0, at));
      buffer = buffer.slice(at + sep);
    }
    if (done) break;
  }
  if (buffer.trim()) flush(buffer);
}
