import type { z } from 'zod';
import { collectionCreateSchema, collectionRenameSchema, questionsQuerySchema } from './schemas.js';
import {
  documentValidityPatchSchema,
  expiringQuerySchema,
  verifiedAnswerCreateSchema,
  verifiedAnswerPatchSchema,
} from './verified-schemas.js';

/** One route as the OpenAPI document lists it (the learner routes have their own, fuller entries in openapi.ts). */
export interface ApiOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Hono's form: `/api/admin/documents/:id`. */
  path: string;
  tag: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
}

const op = (
  method: ApiOperation['method'],
  path: string,
  tag: string,
  summary: string,
  extra: Pick<ApiOperation, 'body' | 'query'> = {},
): ApiOperation => ({
  method,
  path,
  tag,
  summary,
  ...extra,
});

/**
 * Every route besides the learner API's, by area (docs/api.md, accounts.md, centers.md, lti.md,
 * curation.md, practice.md). A test checks that `app.routes` and this table plus openapi.ts and
 * the internal list agree.
 */
export const apiOperations: ApiOperation[] = [
  // Accounts and sign-in (docs/accounts.md)
  op('GET', '/api/auth/options', 'accounts', 'Whether accounts exist (the sign-in page chooses its form)'),
  op('POST', '/api/auth/login', 'accounts', 'Sign in with username and password: sets the session cookie'),
  op('POST', '/api/auth/logout', 'accounts', 'Sign out: ends the session'),
  op('GET', '/api/auth/me', 'accounts', 'The signed-in account, its center and role'),
  op('POST', '/api/auth/password', 'accounts', "Change one's own password"),
  op('POST', '/api/auth/invitations/accept', 'accounts', 'Accept an invitation link: choose a username and password'),
  op('POST', '/api/auth/password-reset', 'accounts', 'Set a new password with a reset link'),
  // Centers and their users (docs/centers.md): the operator's routes and a center admin's
  op('GET', '/api/admin/centers', 'centers', 'Centers the caller may see'),
  op('POST', '/api/admin/centers', 'centers', 'Create a center (operator)'),
  op('PATCH', '/api/admin/centers/:id', 'centers', 'Rename, suspend or reactivate a center (operator)'),
  op('POST', '/api/admin/operators', 'centers', 'Create an operator account (operator)'),
  op('GET', '/api/admin/centers/:id/users', 'centers', "A center's users"),
  op('POST', '/api/admin/centers/:id/users', 'centers', 'Create a user in a center'),
  op('PATCH', '/api/admin/centers/:id/users/:userId', 'centers', "Change a user's role, collections or status"),
  op('DELETE', '/api/admin/centers/:id/users/:userId', 'centers', 'Remove a user'),
  op('POST', '/api/admin/centers/:id/invitations', 'centers', 'Invite a user: a one-time link'),
  op('POST', '/api/admin/centers/:id/users/:userId/reset-link', 'centers', 'A one-time password reset link for a user'),
  // Documents and collections (docs/api.md)
  op('GET', '/api/admin/documents', 'documents', "Documents of the center's collections"),
  op('POST', '/api/admin/documents', 'documents', 'Upload documents (multipart: files, collection)'),
  op('GET', '/api/admin/ocr-progress', 'documents', 'Scanned uploads being read by OCR: pages done of total'),
  op('GET', '/api/admin/documents/:id', 'documents', 'One document with its chunks'),
  op('PATCH', '/api/admin/documents/:id', 'documents', "Set a document's validity dates (docs/curation.md)", {
    body: documentValidityPatchSchema,
  }),
  op('DELETE', '/api/admin/documents/:id', 'documents', 'Remove a document'),
  op('POST', '/api/admin/documents/:id/reindex', 'documents', 'Re-read one document from its stored source'),
  op('POST', '/api/admin/reindex', 'documents', 'Rebuild the indexes from the store'),
  op('GET', '/api/admin/expiring', 'documents', 'Documents and verified answers whose validity ends within `days`', {
    query: expiringQuerySchema,
  }),
  op('GET', '/api/admin/collections', 'collections', "The center's collections"),
  op('POST', '/api/admin/collections', 'collections', 'Create a collection', { body: collectionCreateSchema }),
  op('PATCH', '/api/admin/collections/:id', 'collections', 'Rename a collection', { body: collectionRenameSchema }),
  op('DELETE', '/api/admin/collections/:id', 'collections', 'Remove an empty collection'),
  // Sharing between centers (docs/packages.md, docs/centers.md)
  op('GET', '/api/admin/collections/:id/metadata', 'sharing', "A collection's catalogue metadata"),
  op('PUT', '/api/admin/collections/:id/metadata', 'sharing', "Replace a collection's catalogue metadata"),
  op('PATCH', '/api/admin/collections/:id/metadata', 'sharing', "Change some of a collection's catalogue metadata"),
  op('POST', '/api/admin/collections/:id/publish', 'sharing', 'Publish a collection to the shared catalogue'),
  op('POST', '/api/admin/collections/:id/unpublish', 'sharing', 'Withdraw a collection from the catalogue'),
  op('GET', '/api/admin/collections/:id/package', 'sharing', 'Export a collection as a package (ZIP)'),
  op('POST', '/api/admin/collections/import', 'sharing', 'Import a package (multipart: package, collection)'),
  op('GET', '/api/admin/catalogue', 'sharing', 'Collections other centers publish'),
  op('GET', '/api/admin/subscriptions', 'sharing', 'The catalogue collections the center subscribes to'),
  op('POST', '/api/admin/subscriptions', 'sharing', 'Subscribe to a published collection'),
  op('DELETE', '/api/admin/subscriptions/:collection', 'sharing', 'End a subscription'),
  // Site keys (docs/widget.md)
  op('GET', '/api/admin/site-keys', 'site keys', "The center's site keys"),
  op('POST', '/api/admin/site-keys', 'site keys', 'Create a site key with its allowed origins and collections'),
  op('GET', '/api/admin/site-keys/:key', 'site keys', 'One site key'),
  op('PATCH', '/api/admin/site-keys/:key', 'site keys', 'Change a site key'),
  op('DELETE', '/api/admin/site-keys/:key', 'site keys', 'Revoke a site key'),
  op('POST', '/api/admin/site-keys/:key/user-token-secret', 'site keys', 'Set or rotate the secret that signs learner tokens for the key'),
  // Questions, statistics, audit (docs/operations.md)
  op('GET', '/api/admin/questions', 'reports', 'Questions learners asked, with filters', { query: questionsQuerySchema }),
  op('GET', '/api/admin/questions.csv', 'reports', 'The same questions as CSV', { query: questionsQuerySchema }),
  op('GET', '/api/admin/stats', 'reports', 'Counts of documents, chunks, questions and feedback'),
  op('GET', '/api/admin/audit', 'reports', "The center's audit log"),
  op('GET', '/api/admin/audit.csv', 'reports', 'The audit log as CSV'),
  op('POST', '/api/admin/try', 'reports', "Ask as a learner of a collection would (the admin page's try box)"),
  // Verified answers (docs/curation.md)
  op('GET', '/api/admin/verified-answers', 'verified answers', "The center's verified answers"),
  op('POST', '/api/admin/verified-answers', 'verified answers', 'Write a verified answer', { body: verifiedAnswerCreateSchema }),
  op('GET', '/api/admin/verified-answers/:id', 'verified answers', 'One verified answer'),
  op('PATCH', '/api/admin/verified-answers/:id', 'verified answers', 'Change a verified answer', { body: verifiedAnswerPatchSchema }),
  op('DELETE', '/api/admin/verified-answers/:id', 'verified answers', 'Remove a verified answer'),
  // Practice (docs/practice.md)
  op('POST', '/api/admin/practice/generate', 'practice', 'Generate practice items from a collection'),
  op('GET', '/api/admin/practice/items', 'practice', 'Practice items to review'),
  op('PATCH', '/api/admin/practice/items/:id', 'practice', 'Approve, edit or reject an item'),
  op('POST', '/api/admin/practice/exclusions', 'practice', 'Exclude a passage from generation'),
  op('DELETE', '/api/admin/practice/exclusions', 'practice', 'Allow an excluded passage again'),
  op('GET', '/api/admin/practice/export.gift', 'practice', "Approved items in Moodle's GIFT format"),
  op('GET', '/api/admin/practice/export.xml', 'practice', 'Approved items as Moodle XML'),
  op('GET', '/api/practice', 'practice', 'Practice items for a learner (site key)'),
  op('POST', '/api/practice/:id/answer', 'practice', 'Answer a practice item: right or wrong, with the source'),
  // Learner history (docs/accounts.md: user tokens)
  op('GET', '/api/learner/conversations', 'learner', "A signed-in learner's conversations (x-learner-token)"),
  op('GET', '/api/learner/conversations/:id', 'learner', 'One of them with its messages'),
  op('DELETE', '/api/learner/conversations', 'learner', "Delete the learner's history"),
  // LTI 1.3 (docs/lti.md)
  op('GET', '/api/admin/lti/platforms', 'LTI', 'Registered LMS platforms (center admin)'),
  op('POST', '/api/admin/lti/platforms', 'LTI', 'Register an LMS platform'),
  op('DELETE', '/api/admin/lti/platforms/:id', 'LTI', 'Remove a platform'),
  op('POST', '/api/admin/lti/keys/rotate', 'LTI', "Rotate the tool's signing key"),
  op('GET', '/lti/jwks', 'LTI', "The tool's public keys (JWKS)"),
  op('GET', '/lti/login', 'LTI', 'OIDC login initiation from the platform'),
  op('POST', '/lti/login', 'LTI', 'OIDC login initiation (form post)'),
  op('POST', '/lti/launch', 'LTI', "The platform's launch (id_token form post): the course page"),
];

/** Routes the OpenAPI document leaves out on purpose, and why. */
export const internalRoutes: Record<string, string> = {
  'GET /widget.js': 'static asset: the embed script (docs/widget.md)',
  'GET /embed': "the widget's iframe page",
  'GET /embed.js': 'static asset of the iframe page',
  'GET /embed.css': 'static asset of the iframe page',
  'GET /admin': 'the admin page (HTML)',
  'GET /admin.js': 'static asset of the admin page',
  'GET /admin.css': 'static asset of the admin page',
  'GET /demo': 'the demo page (HTML)',
  'GET /api/docs': 'the human-readable rendering of this document',
  'GET /api/docs.js': 'its script',
  'POST /lti/course': "HTML form post inside the LMS: saves the course's collections (a teacher's launch session)",
  'POST /lti/course/chat': "HTML form post inside the LMS: the course's chat page (a teacher's launch session)",
  'POST /lti/course/log': "HTML form post inside the LMS: the course's question log (a teacher's launch session)",
  'POST /lti/course/setup': "HTML form post inside the LMS: the course setup page (a teacher's launch session)",
};
