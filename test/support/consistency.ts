import { checkConsistency } from '../../src/engine/check-consistency.js';
import type { Engine } from '../../src/engine/index.js';

/** The store and both indexes hold the same chunks (see `checkConsistency`). */
export async function storeAndIndexesAgree(engine: Engine): Promise<{ ok: boolean; problems: string[] }> {
  const { ok, problems } = await checkConsistency(engine);
  return { ok, problems };
}
