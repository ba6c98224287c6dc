/**
 * The contract between the server and the web client: what the API sends, as types only. The
 * routes check what they send against these types (`satisfies`), and `web/src` imports them
 * type-only (no bytes in the bundles), so a change on one side that the other does not follow
 * fails `npm run typecheck`.
 */
export type * from './admin-api.js';
export type * from './chat-stream.js';
export type * from './error-body.js';
export type * from './learner-api.js';
export type * from './embed-config.js';
