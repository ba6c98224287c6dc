import type { Store } from '../store/index.js';

/**
 * The store's registry of processes that follow its change log (`TrogiangStore.followers`), as
 * the engine uses it: SQLite's answers at once, a PostgreSQL one with promises, so every result
 * is awaited.
 */
export interface FollowerRegistry {
  report(id: string, pid: number, generation: number): boolean | Promise<boolean>;
  remove(id: string): unknown;
  /** The lowest generation a live follower has applied; undefined when none is live. */
  oldestNeeded(): number | undefined | Promise<number | undefined>;
}

/** The store's follower registry (both adapters have one, `store.followers`); undefined for a bare `Store` without it. */
export function followerRegistryOf(store: Store): FollowerRegistry | undefined {
  const registry = (store as { followers?: FollowerRegistry }).followers;
  return registry && typeof registry.report === 'function' && typeof registry.oldestNeeded === 'function' ? registry : undefined;
}

/**
 * Trims the change log up to `generation` (a replica saved its indexes there), never past what
 * another live replica still has to apply. Without a registry nothing is trimmed: the log is
 * kept whole rather than cut under a replica nobody knows about.
 */
export async function trimForReplicas(store: Store, generation: number): Promise<void> {
  const registry = followerRegistryOf(store);
  if (!registry) return;
  const needed = await registry.oldestNeeded();
  await store.trimChanges(needed === undefined ? generation : Math.min(generation, needed));
}
