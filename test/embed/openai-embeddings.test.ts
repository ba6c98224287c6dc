import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIEmbeddings, embedderId, PLACEHOLDER_API_KEY } from '../../src/embed/openai-embeddings.js';
import { fakeEmbedding, FAKE_DEFAULT_DIMENSIONS, startFakeOpenAI } from '../support/fake-openai-server.js';
import type { FakeOpenAI } from '../support/fake-openai-server.js';

const SECRET = 'sk-test-secret-0123456789';
const TEXTS = ['Định luật Ôm: I = U / R', 'Quang hợp ở thực vật', 'Line one\nline two'];

describe('createOpenAIEmbeddings (real @langchain/openai client, fake server)', () => {
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

  it('embedDocuments returns the server vectors, in order, with the requested dimensions', async () => {
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'text-embedding-3-small', dimensions: 16, apiKey: SECRET });
    const vectors = await embedder.embedDocuments(TEXTS);

    expect(vectors).toHaveLength(3);
    expect(vectors).toEqual(TEXTS.map((t) => fakeEmbedding(t, 16)));
    for (const v of vectors) expect(v).toHaveLength(16);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe('/v1/embeddings');
    // Texts are sent verbatim (newlines kept), with the float encoding for compatibility.
    expect(request.body).toEqual({ model: 'text-embedding-3-small', input: TEXTS, dimensions: 16, encoding_format: 'float' });
  });

  it('embedQuery sends a single string and returns one vector', async () => {
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'nomic-embed-text' });
    const vector = await embedder.embedQuery('Phương trình bậc hai');

    expect(vector).toEqual(fakeEmbedding('Phương trình bậc hai'));
    expect(vector).toHaveLength(FAKE_DEFAULT_DIMENSIONS);
    // No dimensions option: the field is not sent at all.
    expect(fake.requests[0]!.body).toEqual({ model: 'nomic-embed-text', input: 'Phương trình bậc hai', encoding_format: 'float' });
  });

  it('decodes the base64 wire encoding to the same numbers', async () => {
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm', encodingFormat: 'base64', dimensions: 8 });
    const vectors = await embedder.embedDocuments(TEXTS);

    expect(vectors).toEqual(TEXTS.map((t) => fakeEmbedding(t, 8)));
    expect(Array.isArray(vectors[0])).toBe(true);
    expect((fake.requests[0]!.body as { encoding_format: string }).encoding_format).toBe('base64');
  });

  it('splits documents into batches of batchSize', async () => {
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm', batchSize: 2 });
    const vectors = await embedder.embedDocuments(TEXTS);

    expect(vectors).toEqual(TEXTS.map((t) => fakeEmbedding(t)));
    const inputs = fake.requests.map((r) => (r.body as { input: string[] }).input);
    expect(inputs).toHaveLength(2);
    expect(inputs).toEqual(expect.arrayContaining([TEXTS.slice(0, 2), TEXTS.slice(2)]));
  });

  it('sends the API key only in the Authorization header', async () => {
    const options = { baseURL: fake.baseURL, model: 'm', apiKey: SECRET, dimensions: 4 };
    await createOpenAIEmbeddings(options).embedQuery('xin chào');

    const request = fake.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
    const elsewhere = { ...request.headers, authorization: undefined };
    expect(JSON.stringify(elsewhere)).not.toContain(SECRET);
    expect(request.rawBody).not.toContain(SECRET);
    expect(request.path).not.toContain(SECRET);
    expect(embedderId(options)).not.toContain(SECRET);
  });

  it('sends a placeholder key when none is given (local servers need none)', async () => {
    await createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm' }).embedQuery('a');
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${PLACEHOLDER_API_KEY}`);
  });

  it('rejects after one retry when the server keeps answering 500, without leaking the key', async () => {
    fake.setEmbeddingBehavior({ status: 500 });
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm', apiKey: SECRET });

    const started = Date.now();
    const error: unknown = await embedder.embedQuery('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(500);
    expect(String((error as Error).message)).not.toContain(SECRET);
    // Default maxRetries 1: two requests, one ~1–2 s backoff between them.
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('recovers when a retry succeeds', async () => {
    fake.setEmbeddingBehavior((_body, i) => (i === 0 ? { status: 503 } : 'ok'));
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm', dimensions: 4 });
    await expect(embedder.embedQuery('a')).resolves.toEqual(fakeEmbedding('a', 4));
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a 4xx client error', async () => {
    fake.setEmbeddingBehavior({ status: 400 });
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm' });
    await expect(embedder.embedQuery('a')).rejects.toMatchObject({ status: 400 });
    expect(fake.requests).toHaveLength(1);
  });

  it('cuts a hanging server with the timeout, and the server sees the request aborted', async () => {
    fake.setEmbeddingBehavior('hang');
    const embedder = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm', timeoutMs: 200, maxRetries: 0 });

    const started = Date.now();
    const error: unknown = await embedder.embedQuery('a').catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TimeoutError');
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(2_000);
    const request = fake.requests[0]!;
    await request.settled;
    expect(request.aborted).toBe(true);
  });

  it('validates numeric options', () => {
    const base = { baseURL: fake.baseURL, model: 'm' };
    expect(() => createOpenAIEmbeddings({ ...base, dimensions: 0 })).toThrow(RangeError);
    expect(() => createOpenAIEmbeddings({ ...base, batchSize: 5000 })).toThrow(RangeError);
    expect(() => createOpenAIEmbeddings({ ...base, timeoutMs: 1.5 })).toThrow(RangeError);
    expect(() => createOpenAIEmbeddings({ ...base, maxRetries: -1 })).toThrow(RangeError);
    expect(() => createOpenAIEmbeddings({ ...base, model: '' })).toThrow(RangeError);
  });
});

describe('embedderId', () => {
  it('names model and dimensions, or auto', () => {
    expect(embedderId({ model: 'text-embedding-3-small', dimensions: 256 })).toBe('openai:text-embedding-3-small:256');
    expect(embedderId({ model: 'nomic-embed-text' })).toBe('openai:nomic-embed-text:auto');
  });
});
