/**
 * Learners' questions and searches served continuously, over real HTTP, while teachers add and
 * remove documents through the admin API (two teachers, two collections, at the same time).
 *
 * - every request succeeds (no 5xx, no SSE `error` event, no dropped connection);
 * - a request sent after a document's DELETE returned never cites or returns that document
 *   (its sources, citations and search results are all checked);
 * - a search sent after an upload returned (and before its deletion began) finds the new document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { seededRandom } from '../support/fault-workload.js';
import { readSse, startService, type RunningService } from '../support/start-service.js';

/** Upload/delete cycles per teacher. */
const cycles = 25;
/** Documents a teacher keeps before deleting the oldest. */
const keep = 2;
const learners = 4;

interface DocTimes {
  id: string;
  token: string;
  uploaded: number;
  deleteStarted: number;
  deleteReturned: number;
}

interface Served {
  kind: 'search' | 'chat-json' | 'chat-sse';
  token: string;
  sent: number;
  received: number;
  documentIds: string[];
}

let svc: RunningService;
const docs = new Map<string, DocTimes>();
const served: Served[] = [];
const errors: string[] = [];

beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '100000' });
}, 60_000);
afterAll(async () => {
  await svc?.close();
});

/** A short notice about one made-up class; `token` (e.g. `lopq7x`) appears nowhere else. */
function notice(token: string, n: number): string {
  return (
    `# Thông báo lớp ${token}\n\n## Học phí\n\nHọc phí lớp ${token} là ${n * 10 + 300}.000 đồng mỗi tháng, nộp trước ngày ${(n % 20) + 1}.\n\n` +
    `## Lịch học\n\nLớp ${token} học vào thứ ${(n % 5) + 2}, từ ${(n % 4) + 17}h00 đến ${(n % 4) + 19}h00 tại phòng ${n + 100}.\n`
  );
}

async function teacher(collection: string, prefix: string): Promise<void> {
  const alive: DocTimes[] = [];
  for (let n = 0; n < cycles; n++) {
    const token = `lop${prefix}${n}x`;
    const form = new FormData();
    form.append('files', new Blob([notice(token, n)], { type: 'text/markdown' }), `thong-bao-${token}.md`);
    form.append('collection', collection);
    const res = await svc.admin('/documents', { method: 'POST', body: form });
    const body = (await res.json()) as { results: Array<{ status: string; documentId: string }> };
    if (res.status !== 200 || body.results[0]?.status !== 'added')
      throw new Error(`upload ${token}: ${res.status} ${JSON.stringify(body)}`);
    const doc: DocTimes = {
      id: body.results[0].documentId,
      token,
      uploaded: performance.now(),
      deleteStarted: Infinity,
      deleteReturned: Infinity,
    };
    docs.set(doc.id, doc);
    alive.push(doc);
    if (alive.length > keep) {
      const old = alive.shift()!;
      old.deleteStarted = performance.now();
      const del = await svc.admin(`/documents/${encodeURIComponent(old.id)}`, { method: 'DELETE' });
      if (del.status !== 200) throw new Error(`delete ${old.id}: ${del.status} ${await del.text()}`);
      old.deleteReturned = performance.now();
    }
  }
}

/** Asks about recent classes (alive or just deleted) until told to stop. */
async function learner(seed: number, stop: { done: boolean }): Promise<void> {
  const random = seededRandom(seed);
  const chat = (accept: string, token: string) =>
    fetch(`${svc.baseURL}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ message: `Học phí lớp ${token} bao nhiêu một tháng?` }),
    });
  while (!stop.done) {
    const recent = [...docs.values()].slice(-8);
    if (recent.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    const token = recent[Math.floor(random() * recent.length)]!.token;
    const roll = random();
    const kind: Served['kind'] = roll < 0.5 ? 'search' : roll < 0.75 ? 'chat-json' : 'chat-sse';
    const sent = performance.now();
    try {
      let documentIds: string[];
      if (kind === 'search') {
        const res = await fetch(`${svc.baseURL}/api/search?q=${encodeURIComponent(`học phí lớp ${token}`)}&k=8`);
        const body = (await res.json()) as { results: Array<{ documentId: string }> };
        if (res.status !== 200) throw new Error(`search ${res.status} ${JSON.stringify(body)}`);
        documentIds = body.results.map((r) => r.documentId);
      } else if (kind === 'chat-json') {
        const res = await chat('application/json', token);
        const body = (await res.json()) as { sources: Array<{ documentId: string }>; citations: Array<{ documentId: string }> };
        if (res.status !== 200) throw new Error(`chat ${res.status} ${JSON.stringify(body)}`);
        documentIds = [...body.sources, ...body.citations].map((s) => s.documentId);
      } else {
        const res = await chat('text/event-stream', token);
        if (res.status !== 200) throw new Error(`chat (SSE) ${res.status} ${await res.text()}`);
        const events = await readSse(res);
        if (events.at(-1)?.event !== 'done') throw new Error(`chat (SSE) ended with ${JSON.stringify(events.at(-1))}`);
        documentIds = events.flatMap((e) =>
          e.event === 'sources'
            ? e.data.sources.map((s: { documentId: string }) => s.documentId)
            : e.event === 'done'
              ? e.data.citations.map((s: { documentId: string }) => s.documentId)
              : [],
        );
      }
      served.push({ kind, token, sent, received: performance.now(), documentIds });
    } catch (error) {
      errors.push(`${kind} about ${token}: ${(error as Error).message}`);
    }
  }
}

describe('queries served while documents are added and removed', () => {
  it('answers every request, never cites a document after its deletion returned, and sees new ones at once', async () => {
    const stop = { done: false };
    const started = performance.now();
    const readers = Array.from({ length: learners }, (_, i) => learner(7 + i, stop));
    try {
      await Promise.all([teacher('lop-sang', 'a'), teacher('lop-toi', 'b')]);
    } finally {
      stop.done = true;
      await Promise.all(readers);
    }
    const seconds = (performance.now() - started) / 1000;

    expect(errors).toEqual([]);
    const stale = served.flatMap((s) =>
      s.documentIds
        .filter((id) => s.sent > (docs.get(id)?.deleteReturned ?? Infinity))
        .map((id) => `${s.kind} about ${s.token} sent ${(s.sent - docs.get(id)!.deleteReturned).toFixed(1)} ms after ${id} was deleted`),
    );
    expect(stale).toEqual([]);

    // A search for a class's own token, sent once its upload returned and finished before its deletion began, finds it.
    const idByToken = new Map([...docs.values()].map((d) => [d.token, d]));
    const fresh = served.filter((s) => {
      const doc = idByToken.get(s.token)!;
      return s.kind === 'search' && s.sent > doc.uploaded && s.received < doc.deleteStarted;
    });
    const missed = fresh.filter((s) => !s.documentIds.includes(idByToken.get(s.token)!.id));
    expect(missed.map((s) => s.token)).toEqual([]);
    expect(fresh.length).toBeGreaterThan(10);
    const afterDeletion = served.filter((s) => s.sent > idByToken.get(s.token)!.deleteReturned).length;
    expect(afterDeletion, 'requests about already deleted classes').toBeGreaterThan(10);

    // Afterwards: the store and indexes agree, only the kept documents remain, a deleted one's page is gone.
    expect(await storeAndIndexesAgree(svc.deps.engine)).toEqual({ ok: true, problems: [] });
    const remaining = new Set((await svc.deps.engine.store.listDocuments()).map((d) => d.id));
    const removed = [...docs.values()].filter((d) => d.deleteReturned < Infinity);
    expect(removed.length).toBe(2 * (cycles - keep));
    for (const d of removed) expect(remaining.has(d.id)).toBe(false);
    expect((await fetch(`${svc.baseURL}/docs/${encodeURIComponent(removed[0]!.id)}`)).status).toBe(404);

    const byKind = (k: Served['kind']) => served.filter((s) => s.kind === k).length;
    console.log(
      `churn: ${served.length} requests served in ${seconds.toFixed(1)} s (${byKind('search')} searches, ${byKind('chat-json')} JSON chats, ${byKind('chat-sse')} SSE chats) ` +
        `while ${docs.size} documents were uploaded and ${removed.length} deleted; ${afterDeletion} asked about an already deleted class, ${fresh.length} searches checked for a new one; 0 errors`,
    );
  }, 120_000);
});
