/**
 * The `LISTEN/NOTIFY` channel on which each write of chunks announces its generation when it
 * commits. The payload is `<schema>:<generation>`: deployments (and test files) sharing one
 * database in separate schemas ignore each other's notices.
 */
export const changesChannel = 'trogiang_changes';

/** The schema and generation of a notice's payload; undefined when it is not one of ours. */
export function parseChangeNotice(payload: string | undefined): { schema: string; generation: number } | undefined {
  const at = payload?.lastIndexOf(':') ?? -1;
  if (!payload || at <= 0) return undefined;
  const generation = Number(payload.slice(at + 1));
  return Number.isSafeInteger(generation) ? { schema: payload.slice(0, at), generation } : undefined;
}
