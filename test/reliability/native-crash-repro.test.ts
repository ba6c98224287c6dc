/**
 * Issue 15's reproduction (evals/reliability/native-crash-repro.ts) at a fifth of its size, so
 * it runs in CI: the real service in its own process on loopback, a large Markdown upload
 * (about 2,000 chunks), two full re-indexes, eight uploads in turn, then eight concurrent
 * uploads of a Markdown file and a 400-page PDF each, searches, a clean stop, `trogiang check`
 * and a restart. Before the fix the service died with SIGSEGV in hnswlib's addPoint on this
 * path (at full size); the full-size run is documented in docs/reliability.md.
 */
import { describe, expect, it } from 'vitest';
import { runRepro } from '../../evals/reliability/native-crash-repro.js';

describe('the native crash reproduction, scaled down', () => {
  it('the service survives re-indexes and concurrent large uploads, stops cleanly, and check agrees', async () => {
    const lines: string[] = [];
    const failure = await runRepro({ scale: 0.2, rounds: 1, log: (l) => lines.push(l) });
    expect(failure, lines.join('\n')).toBeNull();
    expect(lines.join('\n')).toMatch(/"step":"check","status":0/);
  }, 600_000);
});
