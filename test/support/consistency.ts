import { checkConsistency } from '../../src/engine/check-consistency.js';
import type { Engine } from '../../src/engine/index.js';

/** The store and both indexes hold the same chunks (see `checkConsistency`). */
export function storeAndIndexesAgree(engine: Engine): { ok: boolean; problems: string[] } {
  const { ok, problems } = checkConsistency(engine);
  return { ok, problems };
}
