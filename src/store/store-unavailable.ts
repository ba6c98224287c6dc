/**
 * PostgreSQL SQLSTATE codes that mean "the server cannot be used right now", not "this request
 * is wrong": connection exceptions (class 08), operator intervention (57P01 admin shutdown,
 * 57P02 crash shutdown, 57P03 cannot connect now: starting up), too many connections (53300).
 */
const unavailableSqlStates = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);

/** Socket errors of a connection to the store's server. */
const unavailableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Messages of node-postgres for a connection lost or never made (it gives them no code). */
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];

/**
 * True when `error` (or its cause) says the store's server cannot be reached or is restarting:
 * the request may succeed a moment later, so the API answers 503 with Retry-After, not a 500
 * (src/server/error-map.ts `store_unavailable`). A client that hung up (`ECONNRESET` with
 * `aborted`) is not the store.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && unavailableSqlStates.has(code)) return true;
    if (typeof code === 'string' && unavailableSocketCodes.has(code) && e.message !== 'aborted') return true;
    if (unavailableMessages.some((m) => m.test(e.message))) return true;
    // AggregateError of a connection attempt to every address of a host name.
    if (e instanceof AggregateError && e.errors.length > 0 && e.errors.every((inner) => isStoreUnavailable(inner))) return true;
  }
  return false;
}
