/**
 * The chat page's event parser (web/src/embed/sse.ts) against the real service's event streams:
 * every event the server sends, of every kind in the contract (src/contract/chat-stream.ts),
 * reaches the page parsed and accepted. The typecheck already fails when the server's events and
 * the page's types disagree; this catches what types cannot see (a kind named differently on the
 * wire, a field the page requires that the server leaves out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStreamEvent, ChatStreamEventType } from '../../src/contract/index.js';
import { readEvents } from '../../web/src/embed/sse.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { readSse, startService, type RunningService } from '../support/start-service.js';

/** Every kind of event the contract has (the `satisfies` fails to compile when one is added). */
const everyKind = { meta: true, sources: true, delta: true, reset: true, done: true, error: true } satisfies Record<
  ChatStreamEventType,
  true
>;

const question = 'Học phí lớp tin học bao nhiêu một tháng?';

let fake: FakeOpenAI;
let svc: RunningService;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  svc = await startService({
    EMBEDDINGS: 'local',
    LLM: 'openai',
    CHAT_MODEL: 'fake-chat',
    LLM_TIMEOUT_MS: '5000',
    RATE_LIMIT_PER_MINUTE: '10000',
    OPENAI_BASE_URL: fake.baseURL,
  });
}, 60_000);
afterAll(async () => {
  await svc?.close();
  await fake?.close();
});

/** One question over SSE: the raw events on the wire, and what the page's parser made of them. */
async function ask(): Promise<{ raw: Array<{ event: string; data: unknown }>; parsed: ChatStreamEvent[] }> {
  const res = await fetch(`${svc.baseURL}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ message: question }),
  });
  expect(res.status).toBe(200);
  const parsed: ChatStreamEvent[] = [];
  const [raw] = await Promise.all([readSse(res.clone()), readEvents(res, (e) => parsed.push(e))]);
  return { raw, parsed };
}

describe("the chat page's parser reads every event the server sends", () => {
  const seen = new Set<string>();

  const expectAllAccepted = (raw: Array<{ event: string; data: unknown }>, parsed: ChatStreamEvent[]) => {
    expect(raw.length).toBeGreaterThan(0);
    expect(parsed.map((e) => e.type)).toEqual(raw.map((e) => e.event));
    // The page sees the server's data as sent (the event's name is its type).
    expect(parsed).toEqual(raw.map((e) => ({ ...(e.data as object), type: e.event })));
    for (const e of parsed) seen.add(e.type);
  };

  it('a model answer: meta, sources, deltas, done', async () => {
    fake.setChatBehavior({ reply: 'Học phí lớp tin học cơ bản là 450.000 đồng mỗi tháng [1].' });
    const { raw, parsed } = await ask();
    expectAllAccepted(raw, parsed);
    expect(parsed.at(-1)).toMatchObject({ type: 'done', mode: 'llm', answerable: true });
  }, 30_000);

  it('a model answer cut mid-stream: reset, then the extractive answer', async () => {
    fake.setChatBehavior({ cutAfterChunks: 3, reply: 'Học phí lớp tin học cơ bản là 450.000 đồng mỗi tháng [1].', chunkSize: 4 });
    const { raw, parsed } = await ask();
    expectAllAccepted(raw, parsed);
    expect(parsed.map((e) => e.type)).toContain('reset');
    expect(parsed.at(-1)).toMatchObject({ type: 'done', mode: 'extractive-fallback' });
  }, 30_000);

  it('a server fault mid-answer: error', async () => {
    const engine = svc.deps.engine;
    const retrieve = engine.retrieve;
    engine.retrieve = async () => {
      throw new Error('the index is unreadable');
    };
    try {
      const { raw, parsed } = await ask();
      expectAllAccepted(raw, parsed);
      expect(parsed.at(-1)).toMatchObject({ type: 'error', code: 'internal' });
    } finally {
      engine.retrieve = retrieve;
    }
  }, 30_000);

  it('between them, every kind of the contract was sent and read', () => {
    expect([...seen].sort()).toEqual(Object.keys(everyKind).sort());
  });
});
