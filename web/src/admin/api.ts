/**
 * The admin page's calls to `/api/admin`: one function per endpoint, each typed with the server's
 * response (src/contract, imported type-only), and one error, {@link ApiError}, carrying the
 * server's code and both wordings. A 401 signs the page out first (see {@link configureApi}).
 */
import type { AdminResponse as R, ErrorBody, PlatformRequest, SiteKeyPatchRequest, SiteKeyRequest } from '../../../src/contract/index.js';
import { errorOf } from '../error-body.js';
import { accountHeaders } from './account.js';

/** A failed call: `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The server's error, when it sent one: `code`, `messageVi`, `field`… */
    readonly error?: Partial<ErrorBody['error']>,
  ) {
    super(message);
  }

  get code(): string | undefined {
    return this.error?.code;
  }

  /** The server's Vietnamese wording of the error, when it sent one. */
  get messageVi(): string | undefined {
    return this.error?.messageVi;
  }
}

interface ApiSession {
  /** The ADMIN_TOKEN, or '' when signed in with an account (the session cookie). */
  token: () => string;
  /** Signs the page out after a 401; returns the message the error carries. */
  unauthorized: () => string;
  /** The message of a call that did not reach the server. */
  offline: () => string;
}

let session: ApiSession = { token: () => '', unauthorized: () => 'unauthorized', offline: () => 'offline' };

/** Sets how calls authenticate and what a 401 or a failed connection does. */
export function configureApi(next: ApiSession): void {
  session = next;
}

/** Headers of a call that sends a file with XMLHttpRequest (uploads show their progress). */
export const uploadHeaders = (): Record<string, string> => accountHeaders(session.token());

/** Says the session ended (after an upload's 401), and gives the message. */
export const unauthorized = (): string => session.unauthorized();

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  let r: Response;
  try {
    const json: Record<string, string> = typeof init.body === 'string' ? { 'content-type': 'application/json' } : {};
    r = await fetch(`/api/admin${path}`, { ...init, headers: { ...accountHeaders(session.token()), ...json } });
  } catch {
    throw new ApiError(0, session.offline());
  }
  if (r.status === 401) throw new ApiError(401, session.unauthorized());
  if (!r.ok) {
    const body: unknown = (r.headers.get('content-type') || '').includes('json') ? await r.json().catch(() => null) : null;
    const error = errorOf(body);
    throw new ApiError(r.status, error?.message || r.statusText, error);
  }
  return r;
}

const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await call(path, init)).json()) as T;
const file = async (path: string): Promise<Blob> => (await call(path)).blob();
const send = (method: 'POST' | 'PATCH' | 'DELETE', body?: unknown): RequestInit => ({
  method,
  ...(body !== undefined && { body: JSON.stringify(body) }),
});
const id = encodeURIComponent;
const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
};

// Documents and collections.
export const listDocuments = () => json<R<'GET /documents'>>('/documents');
export const getDocument = (docId: string) => json<R<'GET /documents/:id'>>(`/documents/${id(docId)}`);
export const deleteDocument = (docId: string) => json<R<'DELETE /documents/:id'>>(`/documents/${id(docId)}`, send('DELETE'));
export const reindexDocument = (docId: string) => json<R<'POST /documents/:id/reindex'>>(`/documents/${id(docId)}/reindex`, send('POST'));
export const reindexAll = () => json<R<'POST /reindex'>>('/reindex', send('POST'));
export const listCollections = () => json<R<'GET /collections'>>('/collections');

// Try a question.
export const tryQuestion = (body: { question: string; collection?: string; k?: number }) =>
  json<R<'POST /try'>>('/try', send('POST', body));

// Questions log and statistics. `filter` is the query string of the log's filters.
export const listQuestions = (filter: string, limit: number) =>
  json<R<'GET /questions'>>(`/questions?${filter}${filter ? '&' : ''}limit=${limit}`);
export const questionsCsv = (filter: string) => file(`/questions.csv?${filter}`);
export const getStats = (days: string) => json<R<'GET /stats'>>(`/stats?${query({ days })}`);

// Site keys.
export const listSiteKeys = () => json<R<'GET /site-keys'>>('/site-keys');
export const createSiteKey = (body: SiteKeyRequest) => json<R<'POST /site-keys'>>('/site-keys', send('POST', body));
export const updateSiteKey = (key: string, body: SiteKeyPatchRequest) =>
  json<R<'PATCH /site-keys/:key'>>(`/site-keys/${id(key)}`, send('PATCH', body));
export const deleteSiteKey = (key: string) => json<R<'DELETE /site-keys/:key'>>(`/site-keys/${id(key)}`, send('DELETE'));

// Verified answers and what expires.
export interface VerifiedAnswerRequest {
  question: string;
  answer: string;
  phrasings: string[];
  collections: string[];
  validUntil: string | null;
}
export const listVerified = () => json<R<'GET /verified-answers'>>('/verified-answers');
export const createVerified = (body: VerifiedAnswerRequest) => json<R<'POST /verified-answers'>>('/verified-answers', send('POST', body));
export const updateVerified = (answerId: string, body: VerifiedAnswerRequest) =>
  json<R<'PATCH /verified-answers/:id'>>(`/verified-answers/${id(answerId)}`, send('PATCH', body));
export const deleteVerified = (answerId: string) =>
  json<R<'DELETE /verified-answers/:id'>>(`/verified-answers/${id(answerId)}`, send('DELETE'));
export const listExpiring = (days: number) => json<R<'GET /expiring'>>(`/expiring?${query({ days })}`);

// Practice items.
export const listPracticeItems = (collection: string) => json<R<'GET /practice/items'>>(`/practice/items?${query({ collection })}`);
export const generatePractice = (collection: string) =>
  json<R<'POST /practice/generate'>>('/practice/generate', send('POST', { collection }));
export const updatePracticeItem = (itemId: string, body: { prompt?: string; answer?: string; distractors?: string[]; status?: string }) =>
  json<R<'PATCH /practice/items/:id'>>(`/practice/items/${itemId}`, send('PATCH', body));
export const excludeSection = (documentId: string, heading: string) =>
  json<R<'POST /practice/exclusions'>>('/practice/exclusions', send('POST', { documentId, heading }));
export const includeSection = (documentId: string, heading: string) =>
  json<R<'DELETE /practice/exclusions'>>('/practice/exclusions', send('DELETE', { documentId, heading }));
export const exportPractice = (kind: 'gift' | 'xml', collection: string) => file(`/practice/export.${kind}?${query({ collection })}`);

// LTI platforms.
export const listPlatforms = () => json<R<'GET /lti/platforms'>>('/lti/platforms');
export const registerPlatform = (body: PlatformRequest) => json<R<'POST /lti/platforms'>>('/lti/platforms', send('POST', body));
export const removePlatform = (platformId: string) =>
  json<R<'DELETE /lti/platforms/:id'>>(`/lti/platforms/${id(platformId)}`, send('DELETE'));

// Audit log.
export const listAudit = (filter: string, before: number | null) =>
  json<R<'GET /audit'>>(`/audit?${filter}${filter ? '&' : ''}limit=50${before ? `&before=${before}` : ''}`);
export const auditCsv = (filter: string) => file(`/audit.csv?${filter}`);

// The catalogue of open collections.
export const listCatalogue = (q: string) => json<R<'GET /catalogue'>>(`/catalogue${q ? `?q=${id(q)}` : ''}`);
export const subscribe = (collection: string) => json<R<'POST /subscriptions'>>('/subscriptions', send('POST', { collection }));
export const unsubscribe = (collection: string) =>
  json<R<'DELETE /subscriptions/:collection'>>(`/subscriptions/${id(collection)}`, send('DELETE'));
export const publishCollection = (collection: string, body: { licence: string; attribution?: string }) =>
  json<R<'POST /collections/:id/publish'>>(`/collections/${id(collection)}/publish`, send('POST', body));
export const unpublishCollection = (collection: string) =>
  json<R<'POST /collections/:id/unpublish'>>(`/collections/${id(collection)}/unpublish`, send('POST'));

// Centers and accounts.
export interface AccountRequest {
  role: string;
  collections?: string[];
}
export const listCenters = () => json<R<'GET /centers'>>('/centers');
export const createCenter = (name: string) => json<R<'POST /centers'>>('/centers', send('POST', { name }));
export const setCenterStatus = (centerId: string, status: 'active' | 'suspended') =>
  json<R<'PATCH /centers/:id'>>(`/centers/${id(centerId)}`, send('PATCH', { status }));
export const listUsers = (centerId: string) => json<R<'GET /centers/:id/users'>>(`/centers/${id(centerId)}/users`);
export const createUser = (centerId: string, body: AccountRequest & { username: string; password: string }) =>
  json<R<'POST /centers/:id/users'>>(`/centers/${id(centerId)}/users`, send('POST', body));
export const setUserDisabled = (centerId: string, userId: string, disabled: boolean) =>
  json<R<'PATCH /centers/:id/users/:userId'>>(`/centers/${id(centerId)}/users/${id(userId)}`, send('PATCH', { disabled }));
export const deleteUser = (centerId: string, userId: string) =>
  json<R<'DELETE /centers/:id/users/:userId'>>(`/centers/${id(centerId)}/users/${id(userId)}`, send('DELETE'));
export const resetLink = (centerId: string, userId: string) =>
  json<R<'POST /centers/:id/users/:userId/reset-link'>>(`/centers/${id(centerId)}/users/${id(userId)}/reset-link`, send('POST'));
export const invite = (centerId: string, body: AccountRequest) =>
  json<R<'POST /centers/:id/invitations'>>(`/centers/${id(centerId)}/invitations`, send('POST', body));
