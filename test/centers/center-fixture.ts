import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { sessionCookie, sqliteOf, type AccountsService } from '../auth/accounts-service.js';

export const password = 'mat-khau-rat-dai-1';
let ipCounter = 0;
/** A fresh client address per request (TRUST_PROXY is on), so no test runs into a rate limit. */
export const newIp = () => `198.51.100.${(++ipCounter % 250) + 1}`;

/** What one center holds in the isolation tests. */
export interface CenterData {
  id: string;
  name: string;
  username: string;
  cookie: string;
  collection: string;
  documentId: string;
  siteKey: string;
  origin: string;
  conversationId: string;
  messageId: string;
  question: string;
  /** A verified answer of the center. */
  verifiedAnswerId: string;
  /** A registered LTI platform (issuer `origin`). */
  platformId: string;
  /** Practice items generated from the document (one approved). */
  practiceItemId: string;
  /** A learner signed in by the host page (user token): their conversation, and a fresh token. */
  learnerConversationId: string;
  learnerToken: () => Promise<string>;
}

/** A request as the admin page sends it: the session cookie, its own Origin, X-Requested-With. */
export function asPage(
  svc: AccountsService,
  cookie: string,
  path: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = body instanceof FormData;
  return fetch(`${svc.baseURL}${path}`, {
    method,
    headers: {
      cookie,
      origin: svc.baseURL,
      'x-requested-with': 'XMLHttpRequest',
      'x-forwarded-for': newIp(),
      ...(body === undefined || form ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
  });
}

/** A learner request from a page at `origin` with `siteKey`. */
export function asLearner(
  svc: AccountsService,
  siteKey: string | null,
  origin: string | null,
  path: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${svc.baseURL}${path}`, {
    method,
    headers: {
      'x-forwarded-for': newIp(),
      accept: 'application/json',
      ...(siteKey ? { 'x-site-key': siteKey } : {}),
      ...(origin ? { origin } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export function markdownForm(fileName: string, text: string, collection: string): FormData {
  const form = new FormData();
  form.append('files', new Blob([text], { type: 'text/markdown' }), fileName);
  form.append('collection', collection);
  return form;
}

async function ok(res: Response, status = 200): Promise<any> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text);
}

/**
 * A center with an admin account (signed in), a collection `so-tay` (every center has one of that
 * name), one document valid for a month more, a site key for `origin`, a conversation with one
 * answered question and its feedback, a verified answer, an LTI platform, practice items (one
 * approved), and a conversation of a learner signed in by the host page's user token.
 */
export async function makeCenter(
  svc: AccountsService,
  name: string,
  username: string,
  origin: string,
  fact: string,
  question: string,
): Promise<CenterData> {
  const center = await ok(await svc.operator('/api/admin/centers', 'POST', { name }), 201);
  await ok(await svc.operator(`/api/admin/centers/${center.id}/users`, 'POST', { username, password, role: 'center_admin' }), 201);
  const login = await fetch(`${svc.baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': newIp() },
    body: JSON.stringify({ username, password }),
  });
  expect(login.status).toBe(200);
  const cookie = sessionCookie(login)!;
  const collection = (await ok(await asPage(svc, cookie, '/api/admin/collections', 'POST', { id: 'so-tay', name: `Sổ tay ${name}` }), 201))
    .collection.id;
  const upload = await ok(
    await asPage(
      svc,
      cookie,
      '/api/admin/documents',
      'POST',
      markdownForm('so-tay.md', `# Sổ tay học viên\n\n## Học phí\n\n${fact}\n`, 'so-tay'),
    ),
  );
  const documentId = upload.results[0].documentId as string;
  const siteKey = (
    await ok(await asPage(svc, cookie, '/api/admin/site-keys', 'POST', { title: `Khoá ${name}`, allowedOrigins: [origin] }), 201)
  ).siteKey.key as string;
  const chat = await ok(await asLearner(svc, siteKey, origin, '/api/chat', 'POST', { message: question }));
  expect(chat.citations.length, JSON.stringify(chat)).toBeGreaterThan(0);
  await ok(
    await asLearner(svc, siteKey, origin, '/api/feedback', 'POST', { messageId: chat.messageId, rating: 'down', comment: 'cần rõ hơn' }),
  );
  const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await ok(await asPage(svc, cookie, `/api/admin/documents/${documentId}`, 'PATCH', { validUntil: inAMonth }));
  const verified = await ok(
    await asPage(svc, cookie, '/api/admin/verified-answers', 'POST', {
      question: `${question} (đã xác nhận)`,
      answer: fact,
      collections: ['so-tay'],
      documentId,
      validUntil: '2099-12-31',
    }),
    201,
  );
  const platform = await ok(
    await asPage(svc, cookie, '/api/admin/lti/platforms', 'POST', {
      moodleUrl: origin,
      clientId: `client-${center.id}`,
      deploymentIds: ['1'],
    }),
    201,
  );
  await ok(await asPage(svc, cookie, '/api/admin/practice/generate', 'POST', { collection: 'so-tay' }));
  const items = (await ok(await asPage(svc, cookie, '/api/admin/practice/items?collection=so-tay'))).items as Array<{ id: string }>;
  expect(items.length, 'practice items generated').toBeGreaterThan(0);
  await ok(await asPage(svc, cookie, `/api/admin/practice/items/${items[0]!.id}`, 'PATCH', { status: 'approved' }));
  const secret = (await ok(await asPage(svc, cookie, `/api/admin/site-keys/${siteKey}/user-token-secret`, 'POST'), 201)).secret as string;
  const learnerToken = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`hoc-vien-${center.id}`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
  const learnerChat = await ok(
    await asLearner(svc, siteKey, origin, '/api/chat', 'POST', { message: question }, { 'x-learner-token': await learnerToken() }),
  );
  return {
    id: center.id,
    name,
    username,
    cookie,
    collection,
    documentId,
    siteKey,
    origin,
    conversationId: chat.conversationId,
    messageId: chat.messageId,
    question,
    verifiedAnswerId: verified.id,
    platformId: platform.platform.id,
    practiceItemId: items[0]!.id,
    learnerConversationId: learnerChat.conversationId,
    learnerToken,
  };
}

/** Every row that belongs to a center, read straight from SQLite: compared before and after. */
export function centerSnapshot(svc: AccountsService, centerId: string): Record<string, unknown[]> {
  const db = sqliteOf(svc);
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params);
  const collections = all('SELECT * FROM collections WHERE center_id = ? ORDER BY id', centerId) as Array<{ id: string }>;
  const ids = JSON.stringify(collections.map((c) => c.id));
  const conversations = all('SELECT * FROM conversations WHERE center_id = ? ORDER BY id', centerId) as Array<{ id: string }>;
  const convIds = JSON.stringify(conversations.map((c) => c.id));
  return {
    center: all('SELECT * FROM centers WHERE id = ?', centerId),
    collections,
    documents: all(
      'SELECT id, collection, title, file_name, content_hash, bytes, chunk_count, created_at, updated_at FROM documents WHERE collection IN (SELECT value FROM json_each(?)) ORDER BY id',
      ids,
    ),
    chunks: all('SELECT seq, id, text FROM chunks WHERE collection IN (SELECT value FROM json_each(?)) ORDER BY seq', ids),
    siteKeys: all('SELECT * FROM site_keys WHERE center_id = ? ORDER BY key', centerId),
    conversations,
    messages: all('SELECT * FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY id', convIds),
    feedback: all(
      'SELECT f.* FROM feedback f JOIN messages m ON m.id = f.message_id WHERE m.conversation_id IN (SELECT value FROM json_each(?)) ORDER BY f.id',
      convIds,
    ),
    users: all(
      'SELECT id, username, role, collections, disabled, password_hash, updated_at FROM users WHERE center_id = ? ORDER BY id',
      centerId,
    ),
    links: all('SELECT * FROM user_links WHERE center_id = ? ORDER BY token_hash', centerId),
    subscriptions: all(
      'SELECT * FROM collection_subscriptions WHERE center_id = ? OR collection_id IN (SELECT value FROM json_each(?)) ORDER BY center_id, collection_id',
      centerId,
      ids,
    ),
    audit: all('SELECT * FROM audit_log WHERE center_id = ? ORDER BY id', centerId),
    validity: all(
      'SELECT id, valid_from, valid_until, last_checked, replaces FROM documents WHERE collection IN (SELECT value FROM json_each(?)) ORDER BY id',
      ids,
    ),
    verifiedAnswers: all('SELECT * FROM verified_answers WHERE center_id = ? ORDER BY id', centerId),
    ltiPlatforms: all('SELECT * FROM lti_platforms WHERE center_id = ? ORDER BY id', centerId),
    ltiCourses: all(
      'SELECT * FROM lti_courses WHERE platform_id IN (SELECT id FROM lti_platforms WHERE center_id = ?) ORDER BY platform_id, context_id',
      centerId,
    ),
    learnerConversations: all(
      'SELECT * FROM learner_conversations WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY conversation_id',
      convIds,
    ),
    siteKeySecrets: all(
      'SELECT * FROM site_key_secrets WHERE site_key IN (SELECT key FROM site_keys WHERE center_id = ?) ORDER BY site_key',
      centerId,
    ),
    practiceItems: all(
      'SELECT * FROM practice_items WHERE center_id = ? OR collection IN (SELECT value FROM json_each(?)) ORDER BY id',
      centerId,
      ids,
    ),
    practiceSources: all(
      'SELECT * FROM practice_sources WHERE center_id = ? OR collection IN (SELECT value FROM json_each(?)) ORDER BY document_id',
      centerId,
      ids,
    ),
    practiceExclusions: all('SELECT * FROM practice_exclusions WHERE center_id = ? ORDER BY document_id, heading', centerId),
  };
}
