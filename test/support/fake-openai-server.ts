/**
 * A scriptable, OpenAI-compatible HTTP server for tests.
 *
 * It listens on 127.0.0.1 (random port) so the real `openai` SDK, and the
 * `@langchain/openai` classes built on it, run over real HTTP: headers, SSE
 * framing, timeouts, aborts and socket errors all behave as in production.
 *
 * Endpoints (under `/v1`):
 * - `POST /v1/embeddings`       deterministic vectors, `float` or `base64` encoding
 * - `POST /v1/chat/completions` non-streaming and SSE streaming, driven by a {@link ChatScript}
 * - `GET  /v1/models`           a static model list
 *
 * Every request is recorded in {@link FakeOpenAI.requests}, including whether the
 * client went away before the response finished (`aborted`), so tests can assert
 * that "a client disconnect aborts the upstream request".
 *
 * @example
 * ```ts
 * const fake = await startFakeOpenAI();
 * fake.setChatBehavior({ reply: 'Xin chào!', chunkSize: 3 });
 * const chat = new ChatOpenAI({ model: 'fake-chat', apiKey: 'k', configuration: { baseURL: fake.baseURL } });
 * // ...
 * await fake.close();
 * ```
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleepTimer } from 'node:timers/promises';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** One HTTP request as the server saw it. Mutated in place while the response is in flight. */
export interface RecordedRequest {
  /** 0-based position among all requests this server received (since start or last `reset()`). */
  index: number;
  method: string;
  /** URL path without the query string, e.g. `/v1/embeddings`. */
  path: string;
  /** Node's lower-cased request headers (so `authorization`, not `Authorization`). */
  headers: IncomingHttpHeaders;
  /** The request body parsed as JSON; `undefined` when empty or not valid JSON. */
  body: unknown;
  /** The raw request body text. */
  rawBody: string;
  /** HTTP status sent, filled in when the response closes; `undefined` if no headers were sent. */
  status?: number;
  /** The response was fully written (`res.end()` completed). */
  completed: boolean;
  /**
   * The connection closed before the response completed, and neither a server-side
   * cut (`cutAfterChunks`) nor `close()` caused it: the client aborted
   * (AbortSignal, timeout, or `break` out of a stream).
   */
  aborted: boolean;
  /** The server destroyed the socket on purpose (`cutAfterChunks`, `resetConnection`). */
  cutByServer: boolean;
  /** Resolves once the response is over: completed, aborted or cut. */
  settled: Promise<void>;
}

/** An HTTP error answer: status, optional JSON body (defaults to an OpenAI-shaped error) and headers. */
export interface ErrorScript {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How `POST /v1/embeddings` answers. */
export type EmbeddingScript =
  /** Deterministic embeddings (see {@link fakeEmbedding}). */
  | 'ok'
  /** Answer with this status/body, e.g. `{ status: 429, headers: { 'retry-after': '0' } }`. */
  | ErrorScript
  /** Never answer; the request stays open until the client aborts or the server closes. */
  | 'hang';

/** A fixed embeddings script, or a function choosing one per request (`requestIndex` counts embedding requests). */
export type EmbeddingBehavior = EmbeddingScript | ((body: EmbeddingRequestBody, requestIndex: number) => EmbeddingScript);

/** A reply streamed in pieces (or returned whole when `stream` is false). */
export interface ReplyScript {
  reply: string;
  /** Code points per content chunk when streaming. Default 5. */
  chunkSize?: number;
  /** Pause before each content chunk when streaming. Default 0. */
  delayMsPerChunk?: number;
  /** `finish_reason` of the last choice. Default `'stop'`. */
  finishReason?: 'stop' | 'length' | 'content_filter';
}

/**
 * How `POST /v1/chat/completions` answers one request.
 *
 * - `{ reply }`            a normal answer (streamed in chunks when the client asks for `stream: true`).
 * - `{ status, body? }`    an HTTP error with an OpenAI-shaped JSON body (also for streaming requests, like OpenAI).
 * - `{ hang: true }`       never answers. With `sendHeaders: true` a 200 (SSE headers when streaming) is flushed
 *                          first, so the client's request resolves and it then waits forever for the body.
 * - `{ cutAfterChunks: n }` streaming: sends the role chunk and the first `n` content chunks of `reply`
 *                          (default text provided), waits `cutDelayMs` (default 30 ms) so the client can read
 *                          them, then destroys the socket with no `[DONE]`. Non-streaming: sends headers and
 *                          half of the JSON body, then destroys the socket.
 * - `{ malformed: true }`  streaming: a 200 SSE response whose `data:` lines are not JSON. Non-streaming: a 200
 *                          `application/json` response whose body is not JSON.
 * - `{ trickle }`          like `{ reply }` but slow: streaming sends one code point per chunk (or `chunkSize`)
 *                          every `delayMsPerChunk`; non-streaming dribbles the JSON body out the same way.
 * - `{ resetConnection }`  destroys the socket as soon as the request has arrived, before any byte of a
 *                          response: the client sees a connection reset.
 * - `{ raw }`              sends exactly `raw.body` (default status 200, SSE content type) and ends: for
 *                          garbage SSE, well-formed JSON of the wrong shape, an HTML page, an error event.
 */
export type ChatScript =
  | ReplyScript
  | ErrorScript
  | { hang: true; sendHeaders?: boolean }
  | { cutAfterChunks: number; reply?: string; chunkSize?: number; cutDelayMs?: number }
  | { malformed: true }
  | { trickle: { reply: string; delayMsPerChunk: number; chunkSize?: number } }
  | { resetConnection: true }
  | { raw: { body: string; status?: number; contentType?: string } };

/** A fixed chat script, or a function choosing one per request (`requestIndex` counts chat requests, from 0). */
export type ChatBehavior = ChatScript | ((body: ChatRequestBody, requestIndex: number) => ChatScript);

/** The parts of an embeddings request body the server looks at (it is untrusted JSON). */
export interface EmbeddingRequestBody {
  model?: unknown;
  input?: unknown;
  dimensions?: unknown;
  encoding_format?: unknown;
  [key: string]: unknown;
}

/** The parts of a chat completion request body the server looks at (it is untrusted JSON). */
export interface ChatRequestBody {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  [key: string]: unknown;
}

export interface FakeOpenAIOptions {
  /** Initial chat behavior. Default: reply `Echo: <last user message>`. */
  chat?: ChatBehavior;
  /** Initial embeddings behavior. Default `'ok'`. */
  embeddings?: EmbeddingBehavior;
  /** Vector size when the request has no `dimensions`. Default 64. */
  defaultDimensions?: number;
  /** Ids listed by `GET /v1/models`. Default `['fake-chat', 'fake-embed']`. */
  models?: string[];
  /** `created` timestamp (seconds) put in every response, for deterministic output. Default 1_700_000_000. */
  created?: number;
}

export interface FakeOpenAI {
  /** e.g. `http://127.0.0.1:54321/v1`; pass as `configuration.baseURL`. */
  readonly baseURL: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  setChatBehavior(behavior: ChatBehavior): void;
  setEmbeddingBehavior(behavior: EmbeddingBehavior): void;
  /** Forget recorded requests, reset request counters and completion ids, restore the initial behaviors. */
  reset(): void;
  /** Destroy every open connection (hanging ones included) and stop listening. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Deterministic embeddings
// ---------------------------------------------------------------------------

/** Default vector size when a request has no `dimensions`. */
export const FAKE_DEFAULT_DIMENSIONS = 64;

/**
 * The vector the fake server returns for `text`: a PRNG seeded by a hash of the
 * UTF-8 text, L2-normalised, with every component rounded to float32 so the
 * `float` and `base64` (float32 little-endian) encodings decode to the same numbers.
 */
export function fakeEmbedding(text: string, dimensions: number = FAKE_DEFAULT_DIMENSIONS): number[] {
  // FNV-1a over the UTF-8 bytes, then mulberry32 as the generator.
  let seed = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    seed ^= byte;
    seed = Math.imul(seed, 0x01000193) >>> 0;
  }
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const raw = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  return raw.map((x) => Math.fround(x / norm));
}

/** Float32 little-endian bytes, base64-encoded: OpenAI's `encoding_format: 'base64'`. */
function toBase64Float32(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

/** Start a fake OpenAI-compatible server on 127.0.0.1 with a random port. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const defaultDimensions = options.defaultDimensions ?? FAKE_DEFAULT_DIMENSIONS;
  const models = options.models ?? ['fake-chat', 'fake-embed'];
  const created = options.created ?? 1_700_000_000;
  const initialChat: ChatBehavior = options.chat ?? ((body) => ({ reply: `Echo: ${lastUserText(body)}` }));
  const initialEmbeddings: EmbeddingBehavior = options.embeddings ?? 'ok';

  let chatBehavior = initialChat;
  let embeddingBehavior = initialEmbeddings;
  let chatCount = 0;
  let embeddingCount = 0;
  let completionCount = 0;
  const requests: RecordedRequest[] = [];
  /** Aborted when the server closes, so pending sleeps in handlers end promptly. */
  const shutdown = new AbortController();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake itself: answer 500 if still possible, never crash the test process.
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, openAIError(`fake server error: ${String(error)}`, 'server_error'));
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record = recordRequest(req, res, url.pathname, rawBody);

    if (req.method === 'GET' && url.pathname === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created, owned_by: 'fake-openai' })),
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/embeddings') {
      await handleEmbeddings(record, res);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
      await handleChat(record, res);
      return;
    }
    sendJson(res, 404, openAIError(`Unknown route ${req.method} ${url.pathname}`, 'invalid_request_error', 'unknown_url'));
  }

  /** Create the record for a request and keep its flags up to date as the response progresses. */
  function recordRequest(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string): RecordedRequest {
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    let resolveSettled!: () => void;
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      rawBody,
      completed: false,
      aborted: false,
      cutByServer: false,
      settled: new Promise<void>((resolve) => (resolveSettled = resolve)),
    };
    requests.push(record);
    // Writes after the client left raise EPIPE/ERR_STREAM_DESTROYED; they are expected here.
    res.on('error', () => {});
    res.on('finish', () => {
      record.completed = true;
    });
    res.on('close', () => {
      record.status = res.headersSent ? res.statusCode : record.status;
      if (!res.writableFinished && !record.cutByServer && !shutdown.signal.aborted) record.aborted = true;
      resolveSettled();
    });
    return record;
  }

  // ---- embeddings ----------------------------------------------------------

  async function handleEmbeddings(record: RecordedRequest, res: ServerResponse): Promise<void> {
    const requestIndex = embeddingCount++;
    if (!isObject(record.body)) {
      sendJson(res, 400, openAIError('Request body must be a JSON object.', 'invalid_request_error'));
      return;
    }
    const body = record.body as EmbeddingRequestBody;
    const script = typeof embeddingBehavior === 'function' ? embeddingBehavior(body, requestIndex) : embeddingBehavior;
    if (script === 'hang') {
      await waitUntilClosed(res);
      return;
    }
    if (script !== 'ok') {
      sendError(res, script);
      return;
    }

    // Validate like OpenAI: string or string[] only (token arrays are rejected by this fake).
    const { input, model } = body;
    let texts: string[];
    if (typeof input === 'string') texts = [input];
    else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'string')) texts = input;
    else {
      sendJson(
        res,
        400,
        openAIError(
          '`input` must be a string or a non-empty array of strings (token arrays are not supported).',
          'invalid_request_error',
          null,
          'input',
        ),
      );
      return;
    }
    if (typeof model !== 'string' || model === '') {
      sendJson(res, 400, openAIError('`model` is required.', 'invalid_request_error', null, 'model'));
      return;
    }
    const dimensions = body.dimensions ?? defaultDimensions;
    if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
      sendJson(res, 400, openAIError('`dimensions` must be a positive integer.', 'invalid_request_error', null, 'dimensions'));
      return;
    }
    const encoding = body.encoding_format ?? 'float';
    if (encoding !== 'float' && encoding !== 'base64') {
      sendJson(res, 400, openAIError("`encoding_format` must be 'float' or 'base64'.", 'invalid_request_error', null, 'encoding_format'));
      return;
    }

    const tokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
    sendJson(res, 200, {
      object: 'list',
      data: texts.map((text, index) => {
        const vector = fakeEmbedding(text, dimensions);
        return { object: 'embedding', index, embedding: encoding === 'base64' ? toBase64Float32(vector) : vector };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  // ---- chat completions ----------------------------------------------------

  async function handleChat(record: RecordedRequest, res: ServerResponse): Promise<void> {
    const requestIndex = chatCount++;
    if (!isObject(record.body)) {
      sendJson(res, 400, openAIError('Request body must be a JSON object.', 'invalid_request_error'));
      return;
    }
    const body = record.body as ChatRequestBody;
    const script = typeof chatBehavior === 'function' ? chatBehavior(body, requestIndex) : chatBehavior;
    const stream = body.stream === true;
    const includeUsage = stream && body.stream_options?.include_usage === true;
    const id = `chatcmpl-fake-${completionCount++}`;
    const model = typeof body.model === 'string' ? body.model : 'fake-chat';
    const promptTokens = countTokens(JSON.stringify(body.messages ?? ''));
    const closed = closedSignal(res);

    if ('status' in script) {
      sendError(res, script);
      return;
    }
    if ('hang' in script) {
      if (script.sendHeaders) {
        res.writeHead(200, stream ? SSE_HEADERS : { 'content-type': 'application/json' });
        res.flushHeaders();
      }
      await waitUntilClosed(res);
      return;
    }
    if ('resetConnection' in script) {
      cut(record, res);
      return;
    }
    if ('raw' in script) {
      res.writeHead(script.raw.status ?? 200, { ...SSE_HEADERS, 'content-type': script.raw.contentType ?? SSE_HEADERS['content-type'] });
      res.end(script.raw.body);
      return;
    }
    if ('malformed' in script) {
      if (stream) {
        res.writeHead(200, SSE_HEADERS);
        res.write('data: {this is not json\n\n');
        res.write('data: still not json}\n\n');
        res.end('data: [DONE]\n\n');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "chatcmpl-broken", "choices": [');
      }
      return;
    }

    // Remaining scripts produce a reply text.
    let reply: string;
    let chunkSize: number;
    let delayMs: number;
    let cutAfter: number | undefined;
    let cutDelayMs = 0;
    let finishReason: string = 'stop';
    if ('trickle' in script) {
      ({ reply, delayMsPerChunk: delayMs } = script.trickle);
      chunkSize = script.trickle.chunkSize ?? 1;
    } else if ('cutAfterChunks' in script) {
      reply = script.reply ?? 'This reply is going to be cut off by the server before it ends.';
      chunkSize = script.chunkSize ?? 5;
      delayMs = 0;
      cutAfter = script.cutAfterChunks;
      cutDelayMs = script.cutDelayMs ?? 30;
    } else {
      reply = script.reply;
      chunkSize = script.chunkSize ?? 5;
      delayMs = script.delayMsPerChunk ?? 0;
      finishReason = script.finishReason ?? 'stop';
    }
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: countTokens(reply),
      total_tokens: promptTokens + countTokens(reply),
    };

    if (!stream) {
      const text = JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply, refusal: null }, logprobs: null, finish_reason: finishReason }],
        usage,
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (cutAfter !== undefined) {
        await write(res, text.slice(0, Math.floor(text.length / 2)));
        await sleep(cutDelayMs, closed);
        cut(record, res);
      } else if ('trickle' in script) {
        // Dribble the JSON body out so a client timeout can fire mid-body.
        for (const piece of splitCodePoints(text, Math.max(chunkSize, 8))) {
          if (!(await sleep(delayMs, closed))) return;
          await write(res, piece);
        }
        res.end();
      } else {
        res.end(text);
      }
      return;
    }

    // Streaming: role chunk, content chunks, final chunk with finish_reason, optional usage chunk, [DONE].
    const frame = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;
    const delta = (d: Record<string, unknown>, finish: string | null = null): unknown[] => [
      { index: 0, delta: d, logprobs: null, finish_reason: finish },
    ];

    res.writeHead(200, SSE_HEADERS);
    await write(res, frame(delta({ role: 'assistant', content: '', refusal: null })));
    const pieces = splitCodePoints(reply, chunkSize);
    for (const [i, piece] of pieces.entries()) {
      if (cutAfter !== undefined && i >= cutAfter) break;
      if (!(await sleep(delayMs, closed))) return;
      await write(res, frame(delta({ content: piece })));
    }
    if (cutAfter !== undefined) {
      await sleep(cutDelayMs, closed);
      cut(record, res);
      return;
    }
    if (closed.aborted) return;
    await write(res, frame(delta({}, finishReason)));
    if (includeUsage) await write(res, frame([], { usage }));
    res.end('data: [DONE]\n\n');
  }

  // ---- helpers bound to this server ---------------------------------------

  /** Resolves when the response closes (client abort or server shutdown). */
  function waitUntilClosed(res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      if (res.closed) resolve();
      else res.once('close', () => resolve());
    });
  }

  /** An AbortSignal that fires when this response closes or the server shuts down. */
  function closedSignal(res: ServerResponse): AbortSignal {
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    return AbortSignal.any([controller.signal, shutdown.signal]);
  }

  /** Destroy the socket on purpose, marking the record so it is not mistaken for a client abort. */
  function cut(record: RecordedRequest, res: ServerResponse): void {
    record.cutByServer = true;
    res.socket?.destroy();
    res.destroy();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setChatBehavior(behavior) {
      chatBehavior = behavior;
    },
    setEmbeddingBehavior(behavior) {
      embeddingBehavior = behavior;
    },
    reset() {
      requests.length = 0;
      chatCount = 0;
      embeddingCount = 0;
      completionCount = 0;
      chatBehavior = initialChat;
      embeddingBehavior = initialEmbeddings;
    },
    async close() {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

// ---------------------------------------------------------------------------
// Module helpers
// ---------------------------------------------------------------------------

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
} as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAI's error envelope. */
function openAIError(message: string, type: string, code: string | null = null, param: string | null = null): unknown {
  return { error: { message, type, param, code } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, script: ErrorScript): void {
  const body =
    script.body ?? openAIError(`Fake error with status ${script.status}`, script.status >= 500 ? 'server_error' : 'invalid_request_error');
  sendJson(res, script.status, body, script.headers);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Write and wait for the chunk to be handed to the socket; never rejects. */
function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) {
      resolve();
      return;
    }
    res.write(chunk, () => resolve());
  });
}

/** Sleep `ms` unless `signal` fires first. Resolves `true` if the full time elapsed. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleepTimer(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Split into pieces of `size` code points, so multi-byte characters (Vietnamese, emoji) are never broken. */
function splitCodePoints(text: string, size: number): string[] {
  const points = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += step) pieces.push(points.slice(i, i + step).join(''));
  return pieces;
}

/** A crude, deterministic token count (whitespace-separated words) for `usage`. */
function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Text of the last user message, for the default echo reply. */
function lastUserText(body: ChatRequestBody): string {
  if (!Array.isArray(body.messages)) return '';
  for (let i = body.messages.length - 1; i >= 0; i--) {
    const message: unknown = body.messages[i];
    if (isObject(message) && message.role === 'user') {
      const { content } = message;
      if (typeof content === 'string') return content;
      if (Array.isArray(content)) {
        return content.map((part: unknown) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
      }
    }
  }
  return '';
}
