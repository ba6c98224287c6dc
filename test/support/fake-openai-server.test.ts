/**
 * The fake server driven by the real `ChatOpenAI` client over real HTTP, plus a
 * few raw `fetch` checks of the exact wire shapes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatOpenAI } from '@langchain/openai';
import type { AIMessageChunk } from '@langchain/core/messages';
import { fakeEmbedding, startFakeOpenAI } from './fake-openai-server.js';
import type { FakeOpenAI } from './fake-openai-server.js';

const REPLY = 'Xin chào các bạn học viên! Hôm nay ta ôn định luật Ôm.';

describe('fake OpenAI server', () => {
  let fake: FakeOpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  /** The real client, no retries (each test scripts exactly what it wants). */
  const chat = (extra: { timeout?: number; quiet?: boolean } = {}): ChatOpenAI =>
    new ChatOpenAI({
      model: 'fake-chat',
      apiKey: 'sk-test',
      maxRetries: 0,
      ...(extra.timeout !== undefined ? { timeout: extra.timeout } : {}),
      // `quiet` silences the openai SDK's own console logging (it logs unparseable SSE data).
      configuration: { baseURL: fake.baseURL, ...(extra.quiet ? { logLevel: 'off' as const } : {}) },
    });

  /** Collect streamed text pieces (non-empty ones) until the stream ends or throws. */
  async function collect(stream: AsyncIterable<AIMessageChunk>, pieces: string[]): Promise<AIMessageChunk[]> {
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (typeof chunk.content === 'string' && chunk.content !== '') pieces.push(chunk.content);
    }
    return chunks;
  }

  describe('chat completions through ChatOpenAI', () => {
    it('.stream() yields the scripted reply in pieces, with usage', async () => {
      fake.setChatBehavior({ reply: REPLY, chunkSize: 4 });
      const pieces: string[] = [];
      const chunks = await collect(await chat().stream('Chào thầy'), pieces);

      expect(pieces.join('')).toBe(REPLY);
      expect(pieces).toHaveLength(Math.ceil(Array.from(REPLY).length / 4));
      expect(pieces[0]).toBe('Xin ');
      const body = fake.requests[0]!.body as { stream: boolean; stream_options: unknown; messages: unknown };
      expect(body.stream).toBe(true);
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(body.messages).toEqual([{ role: 'user', content: 'Chào thầy' }]);
      // The usage chunk (include_usage) reaches LangChain as usage_metadata.
      expect(chunks.some((c) => c.usage_metadata?.output_tokens === REPLY.split(' ').length)).toBe(true);
      await fake.requests[0]!.settled;
      expect(fake.requests[0]!).toMatchObject({ completed: true, aborted: false, status: 200 });
    });

    it('.invoke() works without streaming', async () => {
      fake.setChatBehavior({ reply: REPLY });
      const message = await chat().invoke([
        { role: 'system', content: 'Bạn là trợ giảng.' },
        { role: 'user', content: 'Câu hỏi?' },
      ]);

      expect(message.content).toBe(REPLY);
      expect(message.usage_metadata?.output_tokens).toBe(REPLY.split(' ').length);
      const body = fake.requests[0]!.body as { stream?: boolean; model: string };
      expect(body.stream).toBe(false);
      expect(body.model).toBe('fake-chat');
    });

    it('echoes the last user message by default', async () => {
      const message = await chat().invoke('ping');
      expect(message.content).toBe('Echo: ping');
    });

    it('a behavior function sees each request index (e.g. fail first, then answer)', async () => {
      fake.setChatBehavior((_body, i) => (i === 0 ? { status: 503 } : { reply: `answer #${i}` }));
      await expect(chat().invoke('q')).rejects.toMatchObject({ status: 503 });
      await expect(chat().invoke('q')).resolves.toMatchObject({ content: 'answer #1' });
    });

    it('a 500 rejects', async () => {
      fake.setChatBehavior({ status: 500 });
      await expect(chat().invoke('q')).rejects.toMatchObject({ status: 500 });
      await expect(chat().stream('q')).rejects.toMatchObject({ status: 500 });
    });

    it('a 429 carries retry-after to the client error', async () => {
      fake.setChatBehavior({ status: 429, headers: { 'retry-after': '7' } });
      const error = (await chat()
        .invoke('q')
        .catch((e: unknown) => e)) as { status?: number; headers?: Headers };
      expect(error.status).toBe(429);
      expect(error.headers?.get('retry-after')).toBe('7');
    });

    it('cutAfterChunks: the stream REJECTS ("terminated") after yielding the chunks sent before the cut', async () => {
      fake.setChatBehavior({ cutAfterChunks: 2, reply: 'abcdefghijklmnop', chunkSize: 3 });
      const pieces: string[] = [];
      const error: unknown = await collect(await chat().stream('q'), pieces).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(Error);
      expect(pieces.join('')).toBe('abcdef');
      await fake.requests[0]!.settled;
      expect(fake.requests[0]!).toMatchObject({ cutByServer: true, aborted: false, completed: false });
    });

    it('malformed SSE data rejects', async () => {
      fake.setChatBehavior({ malformed: true });
      // LangChain's .stream() reads the first chunk eagerly, so it is `stream()` itself that rejects here.
      await expect((async () => collect(await chat({ quiet: true }).stream('q'), []))()).rejects.toThrow(/JSON/);
    });

    it('resetConnection: the client sees a connection error, the server marks the cut as its own', async () => {
      fake.setChatBehavior({ resetConnection: true });
      await expect(chat().invoke('q')).rejects.toThrow(/connection/i);
      await fake.requests[0]!.settled;
      expect(fake.requests[0]!).toMatchObject({ cutByServer: true, aborted: false, completed: false });
    });

    it('raw: sends exactly the given body with the given status and content type', async () => {
      fake.setChatBehavior({ raw: { status: 503, contentType: 'text/html', body: '<h1>down</h1>' } });
      const res = await fetch(`${fake.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"stream":true}',
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('text/html');
      expect(await res.text()).toBe('<h1>down</h1>');
    });

    it('a hang after headers is cut by an abort signal with a timeout', async () => {
      // The openai v6 client's own `timeout` stops at the response headers; a body that never
      // comes must be cut by the caller's signal, which is what the LLM answerer does.
      fake.setChatBehavior({ hang: true, sendHeaders: true });
      const started = Date.now();
      await expect(chat().invoke('q', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2_000);
      await fake.requests[0]!.settled;
      expect(fake.requests[0]!.aborted).toBe(true);
    });

    it('aborting via signal mid-stream is seen by the server as an aborted request', async () => {
      fake.setChatBehavior({ trickle: { reply: 'slow reply, one code point at a time', delayMsPerChunk: 40 } });
      const controller = new AbortController();
      const pieces: string[] = [];
      const stream = await chat().stream('q', { signal: controller.signal });

      const error: unknown = await (async () => {
        for await (const chunk of stream) {
          if (typeof chunk.content === 'string' && chunk.content !== '') pieces.push(chunk.content);
          if (pieces.length === 3) controller.abort();
        }
      })().then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('AbortError');
      expect(pieces).toEqual(['s', 'l', 'o']);
      const request = fake.requests[0]!;
      await request.settled;
      expect(request).toMatchObject({ aborted: true, completed: false, cutByServer: false });
    });
  });

  describe('raw wire shapes', () => {
    it('streams OpenAI chat.completion.chunk frames ending with a usage chunk and [DONE]', async () => {
      fake.setChatBehavior({ reply: 'Hi there', chunkSize: 5 });
      const response = await fetch(`${fake.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'm',
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'a b' }],
        }),
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await response.text();
      const frames = text.split('\n\n').filter(Boolean);
      expect(frames.at(-1)).toBe('data: [DONE]');
      const events = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')) as Record<string, unknown>);

      for (const e of events) {
        expect(e).toMatchObject({ id: 'chatcmpl-fake-0', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'm' });
      }
      expect(events.map((e) => e.choices)).toEqual([
        [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }],
        [{ index: 0, delta: { content: 'Hi th' }, logprobs: null, finish_reason: null }],
        [{ index: 0, delta: { content: 'ere' }, logprobs: null, finish_reason: null }],
        [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
        [],
      ]);
      expect(events.slice(0, -1).every((e) => e.usage === null)).toBe(true);
      expect(events.at(-1)!.usage).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: 2, total_tokens: expect.any(Number) });
    });

    it('serves base64 embeddings as float32 little-endian and rejects token arrays', async () => {
      const post = (body: unknown): Promise<Response> =>
        fetch(`${fake.baseURL}/embeddings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      const ok = (await (await post({ model: 'e', input: ['x'], dimensions: 3, encoding_format: 'base64' })).json()) as {
        data: { embedding: string }[];
        usage: unknown;
      };
      const bytes = Buffer.from(ok.data[0]!.embedding, 'base64');
      expect([0, 1, 2].map((i) => bytes.readFloatLE(i * 4))).toEqual(fakeEmbedding('x', 3));
      expect(ok.usage).toEqual({ prompt_tokens: 1, total_tokens: 1 });

      const tokens = await post({ model: 'e', input: [[1, 2, 3]] });
      expect(tokens.status).toBe(400);
      expect(await tokens.json()).toMatchObject({ error: { param: 'input', type: 'invalid_request_error' } });
    });

    it('fakeEmbedding is deterministic and unit length', () => {
      const v = fakeEmbedding('Định luật Ôm', 32);
      expect(v).toEqual(fakeEmbedding('Định luật Ôm', 32));
      expect(v).not.toEqual(fakeEmbedding('Định luật Om', 32));
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    });

    it('lists models and 404s unknown routes', async () => {
      const models = (await (await fetch(`${fake.baseURL}/models`)).json()) as { object: string; data: { id: string }[] };
      expect(models.object).toBe('list');
      expect(models.data.map((m) => m.id)).toEqual(['fake-chat', 'fake-embed']);
      expect((await fetch(`${fake.baseURL}/nope`)).status).toBe(404);
    });
  });

  it('close() ends hanging connections promptly', async () => {
    const local = await startFakeOpenAI({ embeddings: 'hang' });
    const pending = fetch(`${local.baseURL}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'e', input: 'x' }),
    }).catch((e: unknown) => e);
    while (local.requests.length === 0) await new Promise((r) => setTimeout(r, 5));

    const started = Date.now();
    await local.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
    await local.requests[0]!.settled;
    // Closed by the server, so not counted as a client abort.
    expect(local.requests[0]!).toMatchObject({ completed: false, aborted: false });
  });
});
