/**
 * The answer orchestration through the REAL `ChatOpenAI` (built by `createChatModel`) against
 * the scriptable fake OpenAI server over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  answerMessages,
  answerQuestion,
  createChatModel,
  LlmAnswerError,
  type AnswerDeps,
  type AnswerRequest,
} from '../../src/answer/index.js';
import { Engine } from '../../src/engine/index.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { deltas, doneOf, fakeRetrieval, run, types } from './answer-fixtures.js';
import { openSqliteStore } from '../../src/store/index.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const chatRequests = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');
const bodyOf = (i: number) =>
  chatRequests()[i]!.body as {
    stream?: boolean;
    stream_options?: unknown;
    temperature?: number;
    messages: Array<{ role: string; content: string }>;
  };

function setup(overrides: Partial<AnswerDeps> = {}, answerable = true) {
  const retrieve = vi.fn(async (query: string) => fakeRetrieval(query, answerable));
  const onLlmError = vi.fn();
  const deps: AnswerDeps = {
    retrieve,
    idf: () => 1,
    chat: createChatModel({ baseURL: fake.baseURL, model: 'fake-chat' }),
    timeoutMs: 5_000,
    onLlmError,
    ...overrides,
  };
  return { deps, retrieve, onLlmError };
}

const ask = (question: string, extra: Partial<AnswerRequest> = {}): AnswerRequest => ({ question, history: [], ...extra });
const FEE = 'Học phí lớp tin học cơ bản là bao nhiêu?';

describe('answerQuestion with a model', () => {
  it('streams a grounded answer in pieces: sources first, then deltas, done with the cited sources', async () => {
    const reply =
      'Học phí lớp tin học cơ bản là 1.200.000 đồng mỗi khóa [1]. Bạn đóng tại phòng tài vụ, tầng 1 [1]. Lớp tối học từ 18 giờ [2].';
    fake.setChatBehavior({ reply, chunkSize: 4 });
    const { deps, onLlmError } = setup();
    const { events, record } = await run(answerQuestion(ask(FEE), deps));

    expect(events[0]).toMatchObject({ type: 'sources' });
    if (events[0]?.type === 'sources') expect(events[0].sources.map((s) => s.n)).toEqual([1, 2, 3]);
    expect(deltas(events).length).toBeGreaterThan(10);
    const done = doneOf(events);
    expect(done).toMatchObject({ answer: reply, mode: 'llm', answerable: true });
    expect(deltas(events).join('')).toBe(reply);
    expect(done.citations.map((c) => [c.chunkId, c.page])).toEqual([
      ['hoc-phi#0', 2],
      ['lich-hoc#0', 3],
    ]);
    expect(types(events)).toEqual(['sources', 'delta', 'done']);
    expect(record).toMatchObject({ question: FEE, rewrittenQuestion: FEE, mode: 'llm', answerable: true, aborted: false });
    expect(record.retrieval.scores.map((s) => s.chunkId)).toEqual(['hoc-phi#0', 'lich-hoc#0', 'noi-quy#0']);
    expect(onLlmError).not.toHaveBeenCalled();

    // One streamed call, Vietnamese rules, no stream_options (streamUsage: false), temperature 0.2.
    expect(chatRequests()).toHaveLength(1);
    const body = bodyOf(0);
    expect(body.stream).toBe(true);
    expect(body.stream_options).toBeUndefined();
    expect(body.temperature).toBe(0.2);
    expect(body.messages[0]!.role).toBe('system');
    expect(body.messages[0]!.content).toContain('CHỈ trả lời dựa trên các nguồn');
    expect(body.messages[1]!.content).toContain('<source n="1" title="Học phí các lớp" section="Học phí" page="2">');
    expect(body.messages[1]!.content).toContain(FEE);
  });

  it('removes an invented citation from the stream and from the citations', async () => {
    fake.setChatBehavior({ reply: 'Học phí là 1.200.000 đồng [1][7]. Có giảm giá cho học viên cũ [7].', chunkSize: 3 });
    const { deps } = setup();
    const { events } = await run(answerQuestion(ask(FEE), deps));

    const done = doneOf(events);
    expect(done.answer).toBe('Học phí là 1.200.000 đồng [1]. Có giảm giá cho học viên cũ.');
    expect(deltas(events).join('')).toBe(done.answer);
    expect(deltas(events).some((d) => d.includes('7'))).toBe(false);
    expect(done.citations.map((c) => c.chunkId)).toEqual(['hoc-phi#0']);
    expect(done.mode).toBe('llm');
  });

  it('replaces an answer that cites nothing with the extractive one, after a reset', async () => {
    fake.setChatBehavior({ reply: 'Học phí khoảng một triệu đồng, bạn yên tâm nhé.', chunkSize: 6 });
    const { deps, onLlmError } = setup();
    const { events, record } = await run(answerQuestion(ask(FEE), deps));

    const kinds = events.map((e) => e.type);
    const reset = kinds.indexOf('reset');
    expect(reset).toBeGreaterThan(1);
    expect(kinds.slice(0, reset).every((k) => k === 'sources' || k === 'delta')).toBe(true);
    expect(events[reset + 1]).toMatchObject({ type: 'sources' });
    const done = doneOf(events);
    expect(done).toMatchObject({ mode: 'extractive-fallback', answerable: true });
    expect(done.answer).toContain('1.200.000 đồng');
    expect(done.answer).toMatch(/\[1\]/);
    expect(deltas(events.slice(reset)).join('')).toBe(done.answer);
    expect(record.mode).toBe('extractive-fallback');
    expect(onLlmError).toHaveBeenCalledWith(expect.objectContaining({ code: 'uncited' }), 'answer');
  });

  it('keeps a model that declines as a refusal (answerable: false, mode llm)', async () => {
    fake.setChatBehavior({ reply: answerMessages.notCovered.vi, chunkSize: 8 });
    const { deps } = setup();
    const { events } = await run(answerQuestion(ask('Trung tâm có dạy lái xe không?'), deps));
    expect(doneOf(events)).toMatchObject({ mode: 'llm', answerable: false, answer: answerMessages.notCovered.vi, citations: [] });
  });

  it('rewrites a follow-up with the conversation, then retrieves with the rewritten question', async () => {
    const standalone = 'Học phí lớp tin học buổi tối là bao nhiêu?';
    fake.setChatBehavior((body) =>
      body.stream ? { reply: 'Lớp buổi tối học từ 18 giờ [2], học phí 1.200.000 đồng [1].' } : { reply: `"${standalone}"` },
    );
    const { deps, retrieve } = setup();
    const history = [{ question: FEE, answer: 'Học phí lớp tin học cơ bản là 1.200.000 đồng mỗi khóa [1].' }];
    const { events, record } = await run(answerQuestion(ask('Còn lớp buổi tối thì sao?', { history }), deps));

    expect(chatRequests()).toHaveLength(2);
    const rewrite = bodyOf(0);
    expect(rewrite.stream).toBe(false);
    expect(JSON.stringify(rewrite.messages)).toContain(FEE);
    expect(rewrite.messages.at(-1)!.content).toContain('Còn lớp buổi tối thì sao?');
    // Joined to the previous topic (a marker decides the follow-up: the question alone is not
    // searched), then the model's rewrite.
    expect(retrieve.mock.calls.map((c) => c[0])).toEqual(['Học phí tin cơ bản lớp buổi tối', standalone]);
    expect(retrieve).toHaveBeenLastCalledWith(standalone, { k: 5, collections: null });
    expect(record.rewrittenQuestion).toBe(standalone);
    // The answer prompt shows the learner's words and the standalone form.
    expect(bodyOf(1).messages[1]!.content).toContain('Còn lớp buổi tối thì sao?');
    expect(bodyOf(1).messages[1]!.content).toContain(standalone);
    expect(doneOf(events)).toMatchObject({ mode: 'llm', answerable: true });
  });

  it('does not ask the model to rewrite a new question of another topic (issue 14)', async () => {
    fake.setChatBehavior((body) =>
      body.stream ? { reply: 'Lớp buổi sáng học từ 7h00 [1].' } : { reply: '"Học phí lớp buổi sáng là bao nhiêu?"' },
    );
    const { deps, retrieve } = setup();
    const history = [{ question: 'Học phí một tháng bao nhiêu?', answer: '350.000 đồng [1].' }];
    const { record } = await run(answerQuestion(ask('Thủ đô của Pháp là gì?', { history }), deps));

    // Naming its own subject, the question stands alone: one answer call, no rewrite call.
    expect(chatRequests().map((r) => (r.body as { stream?: boolean }).stream)).toEqual([true]);
    expect(retrieve).toHaveBeenCalledWith('Thủ đô của Pháp là gì?', { k: 5, collections: null });
    expect(record.rewrittenQuestion).toBe('Thủ đô của Pháp là gì?');
    expect(bodyOf(0).messages[1]!.content).not.toContain('Học phí một tháng');
  });

  it('falls back to the offline rewrite when the rewrite call hangs, and still answers with the model', async () => {
    fake.setChatBehavior((body) => (body.stream ? { reply: 'Lớp buổi tối học từ 18 giờ [2].' } : { hang: true, sendHeaders: true }));
    const { deps, retrieve, onLlmError } = setup({ rewriteTimeoutMs: 200 });
    const history = [{ question: 'Lịch học lớp tin học thế nào?', answer: 'Có lớp sáng và lớp tối.' }];
    const started = Date.now();
    const { events } = await run(answerQuestion(ask('con lop buoi toi thi sao', { history, collections: ['chung'] }), deps));

    expect(Date.now() - started).toBeLessThan(1_500);
    // The offline join: the previous topic's words, not the whole previous question.
    expect(retrieve).toHaveBeenLastCalledWith('Lịch học tin lop buoi toi', { k: 5, collections: ['chung'] });
    expect(onLlmError).toHaveBeenCalledWith(expect.objectContaining({ code: 'timeout' }), 'rewrite');
    expect(doneOf(events).mode).toBe('llm');
    await chatRequests()[0]!.settled;
    expect(chatRequests()[0]!.aborted).toBe(true);
  });

  it('a 500 falls back to the extractive answer at once, with no reset (nothing was sent yet)', async () => {
    fake.setChatBehavior({ status: 500 });
    const { deps, onLlmError } = setup();
    const started = Date.now();
    const { events, record } = await run(answerQuestion(ask(FEE), deps));

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(types(events)).toEqual(['sources', 'delta', 'done']);
    expect(events.filter((e) => e.type === 'sources')).toHaveLength(1);
    expect(doneOf(events)).toMatchObject({ mode: 'extractive-fallback', answerable: true });
    expect(doneOf(events).answer).toContain('1.200.000 đồng');
    expect(record.mode).toBe('extractive-fallback');
    expect(onLlmError).toHaveBeenCalledWith(expect.objectContaining({ status: 500 }), 'answer');
    expect(chatRequests()).toHaveLength(1); // maxRetries: 0
  });

  it('a model that hangs after the headers is cut at timeoutMs and the extractive answer follows', async () => {
    fake.setChatBehavior({ hang: true, sendHeaders: true });
    const { deps, onLlmError } = setup({ timeoutMs: 300 });
    const started = Date.now();
    const { events } = await run(answerQuestion(ask(FEE), deps));
    const elapsed = Date.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1_300);
    expect(types(events)).toEqual(['sources', 'delta', 'done']);
    expect(doneOf(events).mode).toBe('extractive-fallback');
    expect(onLlmError).toHaveBeenCalledWith(expect.any(LlmAnswerError), 'answer');
    expect(onLlmError.mock.calls[0]![0]).toMatchObject({ code: 'timeout' });
    await chatRequests()[0]!.settled;
    expect(chatRequests()[0]!.aborted).toBe(true);
  });

  it('a model that stops mid-stream (timeout while trickling) is reset too', async () => {
    fake.setChatBehavior({ trickle: { reply: 'Học phí là 1.200.000 đồng mỗi khóa [1].', delayMsPerChunk: 60 } });
    const { deps } = setup({ timeoutMs: 400 });
    const { events } = await run(answerQuestion(ask(FEE), deps));
    expect(events.some((e) => e.type === 'reset')).toBe(true);
    expect(doneOf(events).mode).toBe('extractive-fallback');
  });

  it('a stream cut after two chunks: reset, then the extractive answer', async () => {
    fake.setChatBehavior({ cutAfterChunks: 2, reply: 'Học phí là 1.200.000 đồng mỗi khóa [1].', chunkSize: 5 });
    const { deps, onLlmError } = setup();
    const { events } = await run(answerQuestion(ask(FEE), deps));

    const kinds = events.map((e) => e.type);
    expect(kinds.slice(0, 4)).toEqual(['sources', 'delta', 'delta', 'reset']);
    expect(deltas(events.slice(0, 3)).join('')).toBe('Học phí là');
    expect(kinds[4]).toBe('sources');
    expect(doneOf(events)).toMatchObject({ mode: 'extractive-fallback' });
    expect(doneOf(events).answer).toContain('1.200.000 đồng');
    expect(String(onLlmError.mock.calls[0]![0])).toMatch(/terminated/);
  });

  it.each([
    ['a malformed stream', { malformed: true } as const],
    ['a 429', { status: 429, headers: { 'retry-after': '3' } }],
  ])('%s falls back to the extractive answer', async (_name, script) => {
    fake.setChatBehavior(script);
    const { deps, onLlmError } = setup();
    const { events } = await run(answerQuestion(ask(FEE), deps));
    expect(types(events)).toEqual(['sources', 'delta', 'done']);
    expect(doneOf(events).mode).toBe('extractive-fallback');
    expect(onLlmError).toHaveBeenCalledTimes(1);
    expect(chatRequests()).toHaveLength(1);
  });

  it('an empty answer falls back', async () => {
    fake.setChatBehavior({ reply: '   ' });
    const { deps, onLlmError } = setup();
    const { events } = await run(answerQuestion(ask(FEE), deps));
    expect(types(events)).toEqual(['sources', 'delta', 'done']);
    expect(doneOf(events).mode).toBe('extractive-fallback');
    expect(onLlmError).toHaveBeenCalledWith(expect.objectContaining({ code: 'empty' }), 'answer');
  });

  it('the client going away mid-stream aborts the upstream request and ends without done', async () => {
    fake.setChatBehavior({ trickle: { reply: 'Học phí là 1.200.000 đồng mỗi khóa [1].', delayMsPerChunk: 40 } });
    const { deps, onLlmError } = setup();
    const client = new AbortController();
    const generator = answerQuestion(ask(FEE, { signal: client.signal }), deps);
    const events = [];
    let record;
    for (;;) {
      const step = await generator.next();
      if (step.done) {
        record = step.value;
        break;
      }
      events.push(step.value);
      if (deltas(events).length === 3) client.abort();
    }

    expect(deltas(events)).toHaveLength(3);
    expect(events.some((e) => e.type === 'done' || e.type === 'reset')).toBe(false);
    expect(record).toMatchObject({ aborted: true, mode: 'llm', answer: deltas(events).join('') });
    expect(onLlmError).not.toHaveBeenCalled();
    const upstream = chatRequests()[0]!;
    await upstream.settled;
    expect(upstream).toMatchObject({ aborted: true, completed: false });
  });

  it('breaking out of the stream (return()) also closes the upstream request', async () => {
    fake.setChatBehavior({ trickle: { reply: 'Học phí là 1.200.000 đồng mỗi khóa [1].', delayMsPerChunk: 40 } });
    const { deps } = setup();
    let seen = 0;
    for await (const event of answerQuestion(ask(FEE), deps)) if (event.type === 'delta' && ++seen === 2) break;
    const upstream = chatRequests()[0]!;
    await upstream.settled;
    expect(upstream.aborted).toBe(true);
  });

  it('declines without calling the model when retrieval finds nothing, in the question language', async () => {
    const { deps } = setup({}, false);
    const vi_ = await run(answerQuestion(ask('Giá vé máy bay đi Đà Nẵng là bao nhiêu?'), deps));
    expect(doneOf(vi_.events)).toMatchObject({
      mode: 'extractive',
      answerable: false,
      answer: answerMessages.notCovered.vi,
      citations: [],
    });
    const en = await run(answerQuestion(ask('What is the weather forecast for Paris tomorrow?'), deps));
    expect(doneOf(en.events)).toMatchObject({ mode: 'extractive', answerable: false, answer: answerMessages.notCovered.en });
    expect(chatRequests()).toHaveLength(0);
  });
});

describe('answerQuestion offline (chat: null)', () => {
  it('answers extractively and rewrites follow-ups with the heuristic', async () => {
    const { deps, retrieve } = setup({ chat: null });
    const history = [{ question: 'Lịch học lớp tin học thế nào?', answer: '…' }];
    const { events, record } = await run(answerQuestion(ask('Còn lớp buổi tối thì sao?', { history }), deps));
    expect(retrieve).toHaveBeenLastCalledWith('Lịch học tin lớp buổi tối', { k: 5, collections: null });
    expect(record.rewrittenQuestion).toBe('Lịch học tin lớp buổi tối');
    expect(doneOf(events).mode).toBe('extractive');
    expect(record.mode).toBe('extractive');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('a question asking for a fact no passage holds (issue 14)', () => {
  it('declines when no passage holds a phone number, says so, and quotes the nearest sentence with its source', async () => {
    const retrieve = vi.fn(async (query: string) => ({ ...fakeRetrieval(query), answerability: 0.5 }));
    const { events, record } = await run(
      answerQuestion(ask('Số điện thoại phòng tài vụ là gì?'), { retrieve, idf: () => 1, chat: null, timeoutMs: 1_000 }),
    );
    const done = doneOf(events);
    expect(done.answerable).toBe(false);
    expect(done.answer).toMatch(
      /^Tài liệu của trung tâm không nêu số điện thoại bạn hỏi\. Điều gần nhất tài liệu có nói: .*phòng tài vụ.* \[1\]$/,
    );
    expect(done.citations.map((c) => c.chunkId)).toEqual(['hoc-phi#0']);
    expect(record.retrieval.answerability).toBeCloseTo(0.35);
  });

  it('answers when a passage holds the fact asked, leading with it', async () => {
    const retrieve = vi.fn(async (query: string) => ({ ...fakeRetrieval(query), answerability: 0.5 }));
    const { events } = await run(
      answerQuestion(ask('Lớp buổi tối học lúc mấy giờ?'), { retrieve, idf: () => 1, chat: null, timeoutMs: 1_000 }),
    );
    expect(doneOf(events).answerable).toBe(true);
    expect(doneOf(events).answer).toMatch(/^Lớp buổi tối học từ 18 giờ/);
  });
});

describe('answerQuestion end to end with a real engine', () => {
  let dataDir: string;
  let engine: Engine | null = null;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trogiang-answer-'));
  });
  afterEach(() => {
    engine?.close();
    engine = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('retrieves from ingested files, prompts with them fenced, and cites the right document', async () => {
    engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    const outcomes = await engine.ingest([
      {
        bytes: Buffer.from(
          'Học phí lớp tin học cơ bản là 1.200.000 đồng mỗi khóa. Học viên đóng học phí tại phòng tài vụ, tầng 1.',
          'utf8',
        ),
        fileName: 'hoc-phi.txt',
        collection: 'chung',
      },
      {
        bytes: Buffer.from('Lớp buổi tối học từ 18 giờ đến 20 giờ vào thứ Hai, thứ Tư và thứ Sáu.', 'utf8'),
        fileName: 'lich-hoc.txt',
        collection: 'chung',
      },
    ]);
    const feeDoc = outcomes.find((o) => o.fileName === 'hoc-phi.txt');
    if (feeDoc?.status !== 'added') throw new Error('ingest failed');
    fake.setChatBehavior({ reply: 'Học phí lớp tin học cơ bản là 1.200.000 đồng mỗi khóa [1].', chunkSize: 7 });
    const e = engine;
    const deps: AnswerDeps = {
      retrieve: (query, options) => e.retrieve(query, options),
      idf: e.idf,
      chat: createChatModel({ baseURL: fake.baseURL, model: 'fake-chat' }),
      timeoutMs: 5_000,
    };
    const { events, record } = await run(answerQuestion(ask('hoc phi lop tin hoc co ban la bao nhieu'), deps));

    const done = doneOf(events);
    expect(done).toMatchObject({ mode: 'llm', answerable: true });
    expect(done.citations[0]?.documentId).toBe(feeDoc.document.id);
    const prompt = bodyOf(0).messages[1]!.content;
    expect(prompt).toMatch(/<source n="1" title="[^"]*">\n.*1\.200\.000 đồng/);
    expect(record.retrieval.answerability).toBeGreaterThan(0);
  });
});
