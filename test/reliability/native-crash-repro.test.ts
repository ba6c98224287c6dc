/**
 * Issue 15's reproduction (evals/reliability/native-crash-repro.ts) at a fifth of its size, so
 * it runs in CI: the real service in its own process on loopback, a large Markdown upload
 * (about 2,000 chunks), two full re-indexes, eight uploads in turn, then eight concurrent
 * uploads of a Markdown file and a 400-page PDF each, searches, a clean stop, `trogiang check`
 * and a restart. The report had the service die with SIGSEGV in hnswlib's addPoint on this
 * path at full size. At this size the old code (43694ca) also passed when tried (184 s), so this
 * guards the path end to end rather than proving the fix; the tests that fail on the old code are
 * test/indexes/vector-index-ownership.test.ts (hand-over hangs), validate-index-files.test.ts,
 * corrupt-index-files.test.ts and faults-disk.test.ts ("an index save that cannot be written").
 * The full-size run and its figures are in docs/reliability.md.
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
