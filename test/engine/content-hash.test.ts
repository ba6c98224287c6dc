import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash, contentHashInSlices } from '../../src/engine/document-id.js';

describe('content hash in slices', () => {
  it('gives the same SHA-256 as the one-call hash, for empty, small, exact-megabyte and odd sizes', async () => {
    for (const size of [0, 1, 1000, 1 << 20, (3 << 20) + 17]) {
      const bytes = randomBytes(size);
      expect(await contentHashInSlices(bytes)).toBe(contentHash(bytes));
    }
  });

  it('lets timers run while it hashes 8 MB (one yield per megabyte)', async () => {
    const bytes = randomBytes(8 << 20);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await contentHashInSlices(bytes);
    clearInterval(timer);
    // A single-call hash gives a timer no turn at all; here there is one turn per megabyte at most.
    expect(ticks).toBeGreaterThan(0);
  });
});
