import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorToken, sqliteOf, startAccountsService, type AccountsService } from '../auth/accounts-service.js';
import { asLearner, asPage, centerSnapshot, makeCenter, markdownForm, newIp, type CenterData } from './center-fixture.js';

/**
 * Center isolation through real HTTP (issue 16, "Done when"): two centers A and B, each with a
 * collection of the same name, a document, a site key, a conversation with feedback and an admin.
 * Every route of the app is called as center B, with B's session cookie, with the operator's
 * bearer token acting for B (`X-Center`), with B's site key (and a user token of B's learner), using A's ids: each answers 403
 * or 404, or (lists) answers without a trace of A, and A's rows are byte for byte the same after.
 * The routes come from the app itself: a new route without a case here fails the test.
 */
let svc: AccountsService;
let a: CenterData;
let b: CenterData;

beforeAll(async () => {
  svc = await startAccountsService({ scrypt: { N: 1024, r: 8, p: 1 } }, { TRUST_PROXY: 'true' });
  a = await makeCenter(
    svc,
    'Trung tâm Hoa Sen',
    'admin.hoasen',
    'https://lms.hoasen.example',
    'Học phí môn Tin học ở Hoa Sen là 350.000 đồng mỗi tháng.',
    'Học phí môn Tin học là bao nhiêu?',
  );
  b = await makeCenter(
    svc,
    'Trung tâm Bình Minh',
    'admin.binhminh',
    'https://lms.binhminh.example',
    'Học phí môn Tiếng Anh ở Bình Minh là 420.000 đồng mỗi tháng.',
    'Học phí môn Tiếng Anh là bao nhiêu?',
  );
}, 120_000);
afterAll(() => svc?.close());

/** How a call is made as center B. */
type As =
  | 'admin' // B's session cookie, and the operator's token with `X-Center: <B>`
  | 'session' // B's session cookie only (account routes: the operator's token is above centers by design)
  | 'learner' // B's site key from B's page
  | 'foreign-key' // A's (public) site key, from B's page
  | 'link' // a plain navigation or form post: no credentials besides what the URL or form carries
  | 'learner-token'; // B's site key with a user token of B's learner (x-learner-token)

/** `refused`: 403 or 404. `no-leak`: any 2xx whose body names nothing of A (lists, B's own questions). */
interface Call {
  as: As;
  method: string;
  path: string;
  body?: unknown;
  expect: 'refused' | 'no-leak';
  /** Other refusals this route answers by design (said at the case), besides 403 and 404. */
  refusedWith?: number[];
}

const fakeZip = () => {
  const form = new FormData();
  form.append('package', new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04])]), 'goi.zip');
  form.append('collection', a.collection);
  return form;
};

/** The calls for each route, made with A's ids. */
const cases = (): Record<string, Call[]> => ({
  // Accounts and centers (their own checks: another center's is a 404, the operator's routes a 403).
  'GET /api/admin/centers': [{ as: 'session', method: 'GET', path: '/api/admin/centers', expect: 'no-leak' }],
  'POST /api/admin/centers': [
    { as: 'session', method: 'POST', path: '/api/admin/centers', body: { name: 'Trung tâm mới' }, expect: 'refused' },
  ],
  'PATCH /api/admin/centers/:id': [
    { as: 'session', method: 'PATCH', path: `/api/admin/centers/${a.id}`, body: { status: 'suspended' }, expect: 'refused' },
  ],
  'POST /api/admin/operators': [
    {
      as: 'session',
      method: 'POST',
      path: '/api/admin/operators',
      body: { username: 'op.moi', password: 'mat-khau-rat-dai-2' },
      expect: 'refused',
    },
  ],
  'GET /api/admin/centers/:id/users': [{ as: 'session', method: 'GET', path: `/api/admin/centers/${a.id}/users`, expect: 'refused' }],
  'POST /api/admin/centers/:id/users': [
    {
      as: 'session',
      method: 'POST',
      path: `/api/admin/centers/${a.id}/users`,
      body: { username: 'ke.gian', password: 'mat-khau-rat-dai-3', role: 'center_admin' },
      expect: 'refused',
    },
  ],
  'PATCH /api/admin/centers/:id/users/:userId': [
    {
      as: 'session',
      method: 'PATCH',
      path: `/api/admin/centers/${a.id}/users/${userIdOf(a)}`,
      body: { disabled: true },
      expect: 'refused',
    },
  ],
  'DELETE /api/admin/centers/:id/users/:userId': [
    { as: 'session', method: 'DELETE', path: `/api/admin/centers/${a.id}/users/${userIdOf(a)}`, expect: 'refused' },
  ],
  'POST /api/admin/centers/:id/invitations': [
    { as: 'session', method: 'POST', path: `/api/admin/centers/${a.id}/invitations`, body: { role: 'center_admin' }, expect: 'refused' },
  ],
  'POST /api/admin/centers/:id/users/:userId/reset-link': [
    { as: 'session', method: 'POST', path: `/api/admin/centers/${a.id}/users/${userIdOf(a)}/reset-link`, expect: 'refused' },
  ],
  'GET /api/admin/audit': [
    { as: 'session', method: 'GET', path: `/api/admin/audit?center=${a.id}`, expect: 'refused' },
    { as: 'admin', method: 'GET', path: '/api/admin/audit', expect: 'no-leak' },
  ],
  'GET /api/admin/audit.csv': [
    { as: 'session', method: 'GET', path: `/api/admin/audit.csv?center=${a.id}`, expect: 'refused' },
    { as: 'admin', method: 'GET', path: '/api/admin/audit.csv', expect: 'no-leak' },
  ],
  // Documents.
  'GET /api/admin/documents': [{ as: 'admin', method: 'GET', path: '/api/admin/documents', expect: 'no-leak' }],
  'GET /api/admin/ocr-progress': [{ as: 'admin', method: 'GET', path: '/api/admin/ocr-progress', expect: 'no-leak' }],
  'POST /api/admin/documents': [
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/documents',
      body: () => markdownForm('chen.md', '# Chèn\n\nNội dung lạ.', a.collection),
      expect: 'refused',
    },
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/documents',
      body: () => markdownForm('so-tay.md', '# Ghi đè\n\nNội dung lạ.', a.collection),
      expect: 'refused',
    },
  ],
  'GET /api/admin/documents/:id': [{ as: 'admin', method: 'GET', path: `/api/admin/documents/${a.documentId}`, expect: 'refused' }],
  'DELETE /api/admin/documents/:id': [{ as: 'admin', method: 'DELETE', path: `/api/admin/documents/${a.documentId}`, expect: 'refused' }],
  'POST /api/admin/documents/:id/reindex': [
    { as: 'admin', method: 'POST', path: `/api/admin/documents/${a.documentId}/reindex`, expect: 'refused' },
  ],
  'POST /api/admin/reindex': [{ as: 'admin', method: 'POST', path: '/api/admin/reindex', expect: 'no-leak' }],
  // Collections, their metadata, packages and sharing.
  'GET /api/admin/collections': [{ as: 'admin', method: 'GET', path: '/api/admin/collections', expect: 'no-leak' }],
  'POST /api/admin/collections': [
    { as: 'admin', method: 'POST', path: '/api/admin/collections', body: { id: `${a.id}.moi`, name: 'Chen vao A' }, expect: 'refused' },
  ],
  'PATCH /api/admin/collections/:id': [
    { as: 'admin', method: 'PATCH', path: `/api/admin/collections/${a.collection}`, body: { name: 'Đổi tên' }, expect: 'refused' },
  ],
  'DELETE /api/admin/collections/:id': [
    { as: 'admin', method: 'DELETE', path: `/api/admin/collections/${a.collection}`, expect: 'refused' },
  ],
  'GET /api/admin/collections/:id/metadata': [
    { as: 'admin', method: 'GET', path: `/api/admin/collections/${a.collection}/metadata`, expect: 'refused' },
  ],
  'PUT /api/admin/collections/:id/metadata': [
    {
      as: 'admin',
      method: 'PUT',
      path: `/api/admin/collections/${a.collection}/metadata`,
      body: { licence: 'CC-BY-4.0' },
      expect: 'refused',
    },
  ],
  'PATCH /api/admin/collections/:id/metadata': [
    {
      as: 'admin',
      method: 'PATCH',
      path: `/api/admin/collections/${a.collection}/metadata`,
      body: { attribution: 'x' },
      expect: 'refused',
    },
  ],
  'GET /api/admin/collections/:id/package': [
    { as: 'admin', method: 'GET', path: `/api/admin/collections/${a.collection}/package`, expect: 'refused' },
  ],
  'POST /api/admin/collections/import': [
    { as: 'admin', method: 'POST', path: '/api/admin/collections/import', body: fakeZip, expect: 'refused' },
  ],
  'POST /api/admin/collections/:id/publish': [
    {
      as: 'admin',
      method: 'POST',
      path: `/api/admin/collections/${a.collection}/publish`,
      body: { licence: 'CC-BY-4.0' },
      expect: 'refused',
    },
  ],
  'POST /api/admin/collections/:id/unpublish': [
    { as: 'admin', method: 'POST', path: `/api/admin/collections/${a.collection}/unpublish`, expect: 'refused' },
  ],
  'GET /api/admin/catalogue': [{ as: 'admin', method: 'GET', path: '/api/admin/catalogue', expect: 'no-leak' }],
  'GET /api/admin/subscriptions': [{ as: 'admin', method: 'GET', path: '/api/admin/subscriptions', expect: 'no-leak' }],
  'POST /api/admin/subscriptions': [
    { as: 'admin', method: 'POST', path: '/api/admin/subscriptions', body: { collection: a.collection }, expect: 'refused' },
  ],
  'DELETE /api/admin/subscriptions/:collection': [
    { as: 'admin', method: 'DELETE', path: `/api/admin/subscriptions/${a.collection}`, expect: 'refused' },
  ],
  // Site keys.
  'GET /api/admin/site-keys': [{ as: 'admin', method: 'GET', path: '/api/admin/site-keys', expect: 'no-leak' }],
  'POST /api/admin/site-keys': [
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/site-keys',
      body: { title: 'Khoá lạ', collections: [a.collection] },
      expect: 'refused',
    },
  ],
  'GET /api/admin/site-keys/:key': [{ as: 'admin', method: 'GET', path: `/api/admin/site-keys/${a.siteKey}`, expect: 'refused' }],
  'PATCH /api/admin/site-keys/:key': [
    { as: 'admin', method: 'PATCH', path: `/api/admin/site-keys/${a.siteKey}`, body: { allowedOrigins: [b.origin] }, expect: 'refused' },
  ],
  'DELETE /api/admin/site-keys/:key': [{ as: 'admin', method: 'DELETE', path: `/api/admin/site-keys/${a.siteKey}`, expect: 'refused' }],
  // Questions log, stats, try.
  'GET /api/admin/questions': [
    { as: 'admin', method: 'GET', path: '/api/admin/questions', expect: 'no-leak' },
    { as: 'admin', method: 'GET', path: `/api/admin/questions?collection=${a.collection}`, expect: 'no-leak' },
  ],
  'GET /api/admin/questions.csv': [{ as: 'admin', method: 'GET', path: '/api/admin/questions.csv', expect: 'no-leak' }],
  'GET /api/admin/stats': [{ as: 'admin', method: 'GET', path: '/api/admin/stats', expect: 'no-leak' }],
  'POST /api/admin/try': [
    { as: 'admin', method: 'POST', path: '/api/admin/try', body: { question: a.question, collection: a.collection }, expect: 'refused' },
    { as: 'admin', method: 'POST', path: '/api/admin/try', body: { question: a.question }, expect: 'no-leak' },
  ],
  // Learners.
  'POST /api/chat': [
    {
      as: 'learner',
      method: 'POST',
      path: '/api/chat',
      body: { message: a.question, conversationId: a.conversationId },
      expect: 'refused',
    },
    { as: 'learner', method: 'POST', path: '/api/chat', body: { message: a.question, collection: a.collection }, expect: 'refused' },
    { as: 'learner', method: 'POST', path: '/api/chat', body: { message: a.question }, expect: 'no-leak' },
    { as: 'foreign-key', method: 'POST', path: '/api/chat', body: { message: a.question }, expect: 'refused' },
  ],
  'GET /api/search': [
    { as: 'learner', method: 'GET', path: `/api/search?q=${encodeURIComponent(a.question)}&collection=${a.collection}`, expect: 'refused' },
    { as: 'learner', method: 'GET', path: `/api/search?q=${encodeURIComponent('học phí môn Tin học mỗi tháng')}`, expect: 'no-leak' },
    { as: 'foreign-key', method: 'GET', path: `/api/search?q=${encodeURIComponent(a.question)}`, expect: 'refused' },
  ],
  'POST /api/feedback': [
    { as: 'learner', method: 'POST', path: '/api/feedback', body: { messageId: a.messageId, rating: 'up' }, expect: 'refused' },
    { as: 'foreign-key', method: 'POST', path: '/api/feedback', body: { messageId: a.messageId, rating: 'up' }, expect: 'refused' },
  ],
  'GET /embed': [{ as: 'link', method: 'GET', path: `/embed?site=${a.siteKey}&parent=${encodeURIComponent(b.origin)}`, expect: 'refused' }],
  // Verified answers, documents' validity, what expires soon (docs/curation.md).
  'GET /api/admin/verified-answers': [{ as: 'admin', method: 'GET', path: '/api/admin/verified-answers', expect: 'no-leak' }],
  'POST /api/admin/verified-answers': [
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/verified-answers',
      body: { question: 'Câu lạ?', answer: 'Trả lời lạ.', collections: [a.collection] },
      expect: 'refused',
    },
    // A's document: the same 400 (documentId) as an unknown one.
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/verified-answers',
      body: { question: 'Câu lạ?', answer: 'Trả lời lạ.', documentId: a.documentId },
      expect: 'refused',
      refusedWith: [400],
    },
  ],
  'GET /api/admin/verified-answers/:id': [
    { as: 'admin', method: 'GET', path: `/api/admin/verified-answers/${a.verifiedAnswerId}`, expect: 'refused' },
  ],
  'PATCH /api/admin/verified-answers/:id': [
    {
      as: 'admin',
      method: 'PATCH',
      path: `/api/admin/verified-answers/${a.verifiedAnswerId}`,
      body: { answer: 'Đổi lời.' },
      expect: 'refused',
    },
    {
      as: 'admin',
      method: 'PATCH',
      path: `/api/admin/verified-answers/${b.verifiedAnswerId}`,
      body: { collections: [a.collection] },
      expect: 'refused',
    },
  ],
  'DELETE /api/admin/verified-answers/:id': [
    { as: 'admin', method: 'DELETE', path: `/api/admin/verified-answers/${a.verifiedAnswerId}`, expect: 'refused' },
  ],
  'PATCH /api/admin/documents/:id': [
    { as: 'admin', method: 'PATCH', path: `/api/admin/documents/${a.documentId}`, body: { validUntil: '2027-01-31' }, expect: 'refused' },
    // B's document may not name A's as the one it replaces: the same 400 as an unknown document.
    {
      as: 'admin',
      method: 'PATCH',
      path: `/api/admin/documents/${b.documentId}`,
      body: { replaces: a.documentId },
      expect: 'refused',
      refusedWith: [400],
    },
  ],
  'GET /api/admin/expiring': [{ as: 'admin', method: 'GET', path: '/api/admin/expiring?days=366', expect: 'no-leak' }],
  // LTI registrations and the user-token secret (docs/lti.md).
  'GET /api/admin/lti/platforms': [{ as: 'admin', method: 'GET', path: '/api/admin/lti/platforms', expect: 'no-leak' }],
  // An issuer and client id route launches across the service: A's may not be taken over (409, naming only what was sent).
  'POST /api/admin/lti/platforms': [
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/lti/platforms',
      body: { moodleUrl: a.origin, clientId: `client-${a.id}`, deploymentIds: ['1'] },
      expect: 'refused',
      refusedWith: [409],
    },
  ],
  'DELETE /api/admin/lti/platforms/:id': [
    { as: 'admin', method: 'DELETE', path: `/api/admin/lti/platforms/${a.platformId}`, expect: 'refused' },
  ],
  'POST /api/admin/site-keys/:key/user-token-secret': [
    { as: 'admin', method: 'POST', path: `/api/admin/site-keys/${a.siteKey}/user-token-secret`, expect: 'refused' },
  ],
  // The tool key is the service's, not a center's: only the operator rotates it (B's account: 403).
  'POST /api/admin/lti/keys/rotate': [{ as: 'session', method: 'POST', path: '/api/admin/lti/keys/rotate', expect: 'refused' }],
  // LTI pages: the credential is the signed launch or teacher-session token; a forged one names no center.
  // (their refusals are 400 and 401 pages, docs/lti.md)
  'POST /lti/launch': [
    {
      as: 'link',
      method: 'POST',
      path: '/lti/launch',
      body: { id_token: 'gia.mao.token', state: 'gia-mao' },
      expect: 'refused',
      refusedWith: [400, 401],
    },
  ],
  'POST /lti/course': [
    {
      as: 'link',
      method: 'POST',
      path: '/lti/course',
      body: { token: 'gia.mao.token', collections: a.collection },
      expect: 'refused',
      refusedWith: [400, 401],
    },
  ],
  'POST /lti/course/setup': [
    { as: 'link', method: 'POST', path: '/lti/course/setup', body: { token: 'gia.mao.token' }, expect: 'refused', refusedWith: [400, 401] },
  ],
  'POST /lti/course/log': [
    { as: 'link', method: 'POST', path: '/lti/course/log', body: { token: 'gia.mao.token' }, expect: 'refused', refusedWith: [400, 401] },
  ],
  'POST /lti/course/chat': [
    { as: 'link', method: 'POST', path: '/lti/course/chat', body: { token: 'gia.mao.token' }, expect: 'refused', refusedWith: [400, 401] },
  ],
  // A known learner's own history.
  'GET /api/learner/conversations': [{ as: 'learner-token', method: 'GET', path: '/api/learner/conversations', expect: 'no-leak' }],
  'GET /api/learner/conversations/:id': [
    { as: 'learner-token', method: 'GET', path: `/api/learner/conversations/${a.learnerConversationId}`, expect: 'refused' },
  ],
  'DELETE /api/learner/conversations': [{ as: 'learner-token', method: 'DELETE', path: '/api/learner/conversations', expect: 'no-leak' }],
  // Practice: learners, and the teachers' review (docs/practice.md).
  'GET /api/practice': [
    { as: 'learner', method: 'GET', path: `/api/practice?collection=${a.collection}`, expect: 'refused' },
    { as: 'learner', method: 'GET', path: '/api/practice?n=50', expect: 'no-leak' },
    { as: 'foreign-key', method: 'GET', path: '/api/practice', expect: 'refused' },
  ],
  'POST /api/practice/:id/answer': [
    { as: 'learner', method: 'POST', path: `/api/practice/${a.practiceItemId}/answer`, body: { answer: 'x' }, expect: 'refused' },
    { as: 'foreign-key', method: 'POST', path: `/api/practice/${a.practiceItemId}/answer`, body: { answer: 'x' }, expect: 'refused' },
  ],
  'GET /api/admin/practice/items': [
    { as: 'admin', method: 'GET', path: `/api/admin/practice/items?collection=${a.collection}`, expect: 'refused' },
  ],
  'POST /api/admin/practice/generate': [
    { as: 'admin', method: 'POST', path: '/api/admin/practice/generate', body: { collection: a.collection }, expect: 'refused' },
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/practice/generate',
      body: { collection: 'so-tay', documentId: a.documentId },
      expect: 'refused',
    },
  ],
  'PATCH /api/admin/practice/items/:id': [
    {
      as: 'admin',
      method: 'PATCH',
      path: `/api/admin/practice/items/${a.practiceItemId}`,
      body: { status: 'rejected' },
      expect: 'refused',
    },
  ],
  'POST /api/admin/practice/exclusions': [
    {
      as: 'admin',
      method: 'POST',
      path: '/api/admin/practice/exclusions',
      body: { documentId: a.documentId, heading: 'Học phí' },
      expect: 'refused',
    },
  ],
  'DELETE /api/admin/practice/exclusions': [
    {
      as: 'admin',
      method: 'DELETE',
      path: '/api/admin/practice/exclusions',
      body: { documentId: a.documentId, heading: 'Học phí' },
      expect: 'refused',
    },
  ],
  'GET /api/admin/practice/export.gift': [
    { as: 'admin', method: 'GET', path: `/api/admin/practice/export.gift?collection=${a.collection}`, expect: 'refused' },
  ],
  'GET /api/admin/practice/export.xml': [
    { as: 'admin', method: 'GET', path: `/api/admin/practice/export.xml?collection=${a.collection}`, expect: 'refused' },
  ],
  'GET /docs/:id': [
    { as: 'link', method: 'GET', path: `/docs/${a.documentId}?site=${b.siteKey}`, expect: 'refused' },
    { as: 'link', method: 'GET', path: `/docs/${a.documentId}`, expect: 'refused' },
    { as: 'admin', method: 'GET', path: `/docs/${a.documentId}`, expect: 'refused' },
  ],
});

/** Routes without center data, and why. */
const exempt: Record<string, string> = {
  'GET /api/auth/options': 'whether any account exists: no center data',
  'POST /api/auth/login': "the caller's own credentials",
  'POST /api/auth/logout': "ends the caller's own session",
  'GET /api/auth/me': "the caller's own account",
  'POST /api/auth/password': "the caller's own password",
  'POST /api/auth/invitations/accept': 'acts on the link token only (tested in accounts-http)',
  'POST /api/auth/password-reset': 'acts on the link token only (tested in accounts-http)',
  'GET /widget.js': 'static asset',
  'GET /embed.js': 'static asset',
  'GET /embed.css': 'static asset',
  'GET /admin.js': 'static asset',
  'GET /admin.css': 'static asset',
  'GET /admin': 'the sign-in page shell, no data',
  'GET /demo': "the default center's demo page",
  'GET /healthz': 'process health',
  'GET /readyz': 'index readiness (counts only)',
  'GET /metrics': 'service counters, no center data',
  'GET /api/openapi.json': 'the API description',
  'GET /api/docs': 'the API description',
  'GET /api/docs.js': 'the API description',
  'GET /lti/jwks': "the tool's public keys: the same for every center, public by design",
  'GET /lti/login':
    "OIDC login initiation, public by design: redirects to the auth URL of the platform the issuer and client id name (the platform's own), no center data",
  'POST /lti/login': 'the same handler as GET /lti/login',
};

let userIds: Map<string, string>;
const userIdOf = (center: CenterData) => userIds.get(center.username)!;

/** Markers of A that must not appear in anything B reads. */
const leakMarkers = () => [
  a.id,
  a.collection,
  a.documentId,
  a.siteKey,
  a.conversationId,
  a.messageId,
  a.username,
  '350.000',
  'Hoa Sen',
  a.verifiedAnswerId,
  a.platformId,
  a.practiceItemId,
  a.learnerConversationId,
  `client-${a.id}`,
];

async function call(c: Call, variant: 'session' | 'bearer'): Promise<Response> {
  const body = typeof c.body === 'function' ? (c.body as () => FormData)() : c.body;
  switch (c.as) {
    case 'admin':
    case 'session':
      if (variant === 'session') return asPage(svc, b.cookie, c.path, c.method, body);
      return fetch(`${svc.baseURL}${c.path}`, {
        method: c.method,
        headers: {
          authorization: `Bearer ${operatorToken}`,
          'x-center': b.id,
          'x-forwarded-for': newIp(),
          ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
      });
    case 'learner':
      return asLearner(svc, b.siteKey, b.origin, c.path, c.method, body);
    case 'foreign-key':
      return asLearner(svc, a.siteKey, b.origin, c.path, c.method, body);
    case 'learner-token':
      return asLearner(svc, b.siteKey, b.origin, c.path, c.method, body, { 'x-learner-token': await b.learnerToken() });
    case 'link':
      return fetch(`${svc.baseURL}${c.path}`, {
        method: c.method,
        headers: { 'x-forwarded-for': newIp() },
        redirect: 'manual',
        ...(body === undefined ? {} : { body: new URLSearchParams(body as Record<string, string>) }),
      });
  }
}

describe('center isolation matrix', () => {
  it('has a case (or a stated exemption) for every route of the app, and no case for a route that does not exist', () => {
    const routes = [...new Set(svc.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
    userIds = new Map();
    const table = cases();
    const missing = routes.filter((r) => !(r in table) && !(r in exempt));
    expect(missing, 'routes without an isolation case').toEqual([]);
    const stale = [...Object.keys(table), ...Object.keys(exempt)].filter((k) => !routes.includes(k));
    expect(stale, 'cases for routes that do not exist').toEqual([]);
  });

  it("refuses every route called as center B with A's ids (session, bearer with X-Center, site key), and leaves A's data unchanged", async () => {
    const db = sqliteOf(svc);
    userIds = new Map(
      (db.prepare('SELECT username, id FROM users').all() as Array<{ username: string; id: string }>).map((u) => [u.username, u.id]),
    );
    const before = centerSnapshot(svc, a.id);
    expect(before.documents!.length).toBe(1);
    expect(before.messages!.length).toBe(2); // the site key's learner and the signed-in learner
    expect(before.verifiedAnswers!.length).toBe(1);
    expect(before.ltiPlatforms!.length).toBe(1);
    expect(before.practiceItems!.length).toBeGreaterThan(0);
    expect(before.learnerConversations!.length).toBe(1);
    expect(before.siteKeySecrets!.length).toBe(1);
    expect(before.feedback!.length).toBe(1);
    const failures: string[] = [];
    let calls = 0;
    for (const [route, list] of Object.entries(cases())) {
      for (const c of list) {
        const variants = c.as === 'admin' ? (['session', 'bearer'] as const) : (['session'] as const);
        for (const variant of variants) {
          const res = await call(c, variant);
          const text = await res.text();
          calls++;
          const label = `${route} [${c.as === 'admin' ? variant : c.as}] ${c.method} ${c.path} → ${res.status}`;
          if (c.expect === 'refused' && ![403, 404, ...(c.refusedWith ?? [])].includes(res.status))
            failures.push(`${label}: expected 403/404; ${text.slice(0, 200)}`);
          if (c.expect === 'no-leak') {
            if (res.status < 200 || res.status > 299) failures.push(`${label}: expected 2xx; ${text.slice(0, 200)}`);
            const leaked = leakMarkers().filter((m) => text.includes(m));
            if (leaked.length > 0) failures.push(`${label}: shows A's ${leaked.join(', ')}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(60);
    expect(centerSnapshot(svc, a.id)).toEqual(before);
  }, 120_000);

  it("refuses B's session acting for A with X-Center (403), and the operator naming an unknown center (404)", async () => {
    const before = centerSnapshot(svc, a.id);
    const asB = await asPage(svc, b.cookie, '/api/admin/documents', 'GET', undefined, { 'x-center': a.id });
    expect(asB.status).toBe(403);
    expect((await asB.json()).error.reason).toBe('center');
    const unknown = await fetch(`${svc.baseURL}/api/admin/documents`, {
      headers: { authorization: `Bearer ${operatorToken}`, 'x-center': 'khong-co' },
    });
    expect(unknown.status).toBe(404);
    expect(centerSnapshot(svc, a.id)).toEqual(before);
  });
});

describe("center B's own calls", () => {
  it('gives both centers a collection named so-tay, each under its own id', () => {
    expect(a.collection).toBe(`${a.id}.so-tay`);
    expect(b.collection).toBe(`${b.id}.so-tay`);
  });

  it("lists, reads and answers from B's own materials with every credential", async () => {
    const session = await asPage(svc, b.cookie, '/api/admin/documents');
    expect((await session.json()).documents.map((d: { id: string }) => d.id)).toEqual([b.documentId]);
    const bearer = await fetch(`${svc.baseURL}/api/admin/documents/${b.documentId}`, {
      headers: { authorization: `Bearer ${operatorToken}`, 'x-center': b.id },
    });
    expect(bearer.status).toBe(200);
    expect((await asPage(svc, b.cookie, '/api/admin/collections/so-tay/metadata')).status).toBe(200);
    const chat = await (await asLearner(svc, b.siteKey, b.origin, '/api/chat', 'POST', { message: b.question })).json();
    expect(chat.citations[0].documentId).toBe(b.documentId);
    expect(chat.citations[0].link).toContain(`?site=${b.siteKey}`);
    expect(chat.citations[0].sharedFrom).toBeUndefined();
    const link = new URL(chat.citations[0].link);
    const page = await fetch(`${svc.baseURL}${link.pathname}${link.search}`, { headers: { 'x-forwarded-for': newIp() } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('420.000');
    expect((await asPage(svc, b.cookie, `/docs/${b.documentId}`)).status).toBe(200);
    const search = await (await asLearner(svc, b.siteKey, b.origin, `/api/search?q=${encodeURIComponent('học phí Tiếng Anh')}`)).json();
    expect(search.results[0].documentId).toBe(b.documentId);
    const continued = await asLearner(svc, b.siteKey, b.origin, '/api/chat', 'POST', {
      message: 'Còn môn khác?',
      conversationId: b.conversationId,
    });
    expect(continued.status).toBe(200);
    const questions = await (await asPage(svc, b.cookie, '/api/admin/questions')).json();
    expect(questions.items.map((m: { question: string }) => m.question)).toContain(b.question);
    expect(questions.items.every((m: { conversationId: string }) => m.conversationId !== a.conversationId)).toBe(true);
    const stats = await (await asPage(svc, b.cookie, '/api/admin/stats')).json();
    const aQuestions = sqliteOf(svc)
      .prepare('SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.center_id = ?')
      .pluck()
      .get(b.id) as number;
    expect(stats.totals.questions).toBe(aQuestions);
  });

  it("lists B's own verified answers, expiring documents, LTI platforms, practice items and signed-in learner's history (the lists above are not empty by accident)", async () => {
    const verified = await (await asPage(svc, b.cookie, '/api/admin/verified-answers')).json();
    expect(verified.verifiedAnswers.map((v: { id: string }) => v.id)).toEqual([b.verifiedAnswerId]);
    expect(verified.verifiedAnswers[0].collections).toEqual([b.collection]);
    const expiring = await (await asPage(svc, b.cookie, '/api/admin/expiring?days=366')).json();
    expect(expiring.documents.map((d: { id: string }) => d.id)).toEqual([b.documentId]);
    const platforms = await (await asPage(svc, b.cookie, '/api/admin/lti/platforms')).json();
    expect(platforms.platforms.map((p: { id: string }) => p.id)).toEqual([b.platformId]);
    const items = await (await asPage(svc, b.cookie, '/api/admin/practice/items?collection=so-tay')).json();
    expect(items.items.map((i: { id: string }) => i.id)).toContain(b.practiceItemId);
    const practice = await (await asLearner(svc, b.siteKey, b.origin, '/api/practice?n=50')).json();
    expect(practice.items.map((i: { id: string }) => i.id)).toContain(b.practiceItemId);
    // The matrix's DELETE as B's learner emptied B's history: a new conversation is listed.
    const signedIn = { 'x-learner-token': await b.learnerToken() };
    const chat = await (await asLearner(svc, b.siteKey, b.origin, '/api/chat', 'POST', { message: b.question }, signedIn)).json();
    const history = await (await asLearner(svc, b.siteKey, b.origin, '/api/learner/conversations', 'GET', undefined, signedIn)).json();
    expect(JSON.stringify(history.conversations)).toContain(chat.conversationId);
  });

  it("records B's actions in B's audit log, also when the operator acts for B", async () => {
    const res = await fetch(`${svc.baseURL}/api/admin/collections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'x-center': b.id, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'bai-tap', name: 'Bài tập' }),
    });
    expect(res.status).toBe(201);
    expect((await res.json()).collection.id).toBe(`${b.id}.bai-tap`);
    const entry = sqliteOf(svc)
      .prepare("SELECT center_id, actor FROM audit_log WHERE action = 'collection.create' AND target = ?")
      .get(`${b.id}.bai-tap`);
    expect(entry).toEqual({ center_id: b.id, actor: 'ADMIN_TOKEN' });
  });

  it('suspends a center: its site keys, embed page and sessions stop with a clear error; resumed, they work again', async () => {
    expect((await svc.operator(`/api/admin/centers/${b.id}`, 'PATCH', { status: 'suspended' })).status).toBe(200);
    const chat = await asLearner(svc, b.siteKey, b.origin, '/api/chat', 'POST', { message: b.question });
    expect(chat.status).toBe(403);
    const body = await chat.json();
    expect(body.error.reason).toBe('center_suspended');
    expect(body.error.messageVi).toMatch(/tạm ngưng/);
    expect((await fetch(`${svc.baseURL}/embed?site=${b.siteKey}`)).status).toBe(403);
    expect((await fetch(`${svc.baseURL}/docs/${b.documentId}?site=${b.siteKey}`)).status).toBe(404);
    expect([401, 403]).toContain((await asPage(svc, b.cookie, '/api/admin/documents')).status);
    // A is untouched.
    expect((await asLearner(svc, a.siteKey, a.origin, '/api/chat', 'POST', { message: a.question })).status).toBe(200);
    expect((await svc.operator(`/api/admin/centers/${b.id}`, 'PATCH', { status: 'active' })).status).toBe(200);
    expect((await asLearner(svc, b.siteKey, b.origin, '/api/chat', 'POST', { message: b.question })).status).toBe(200);
  });
});
