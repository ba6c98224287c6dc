/**
 * What held the event loop in each of its longest gaps: `ingest-stalls.ts` records the gaps (on
 * the monotonic clock V8's profiles use), and this prints the heaviest frames among the profile's
 * samples inside each. (Runs of non-idle samples would not do: a loop yielding with setImmediate
 * never idles, yet serves requests between its slices.)
 *
 *   GAP_MS=40 GAPS_JSON=/tmp/gaps.json node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx evals/perf/ingest-stalls.ts 10
 *   npx tsx evals/perf/profile-stalls.ts /tmp/prof/<main thread's>.cpuprofile --gaps /tmp/gaps.json [--over 50] [--top 20]
 *
 * The gaps may also be JSON lines (`trace-stalls.mjs`, preloaded into the server by
 * `bench-responsiveness.ts --trace-stalls DIR`); `--phases DIR/phases.jsonl` then names the
 * benchmark phase of each stretch and prints, per phase, how many gaps passed 20, 50 and 100 ms.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    gaps: { type: 'string' },
    phases: { type: 'string' },
    run: { type: 'string', default: '1' },
    over: { type: 'string', default: '50' },
    top: { type: 'string', default: '20' },
  },
});
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${relative(process.cwd(), url)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};
// A gap ends when the timer fires, so its samples are those in [end - ms, end] on the profile's clock.
const readJsonOrLines = <T>(file: string): T[] => {
  const text = readFileSync(file, 'utf8').trim();
  return text.startsWith('[')
    ? (JSON.parse(text) as T[])
    : text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T);
};
const gaps = readJsonOrLines<{ endUs: number; ms: number }>(values.gaps!);
const phases = values.phases
  ? readJsonOrLines<{ run: number; phase: string; startUs: number; endUs: number }>(values.phases).filter(
      (p) => String(p.run) === values.run,
    )
  : [];
const phaseAt = (us: number) => phases.find((p) => us >= p.startUs && us <= p.endUs)?.phase ?? 'between phases';
for (const p of phases) {
  const inside = gaps.filter((g) => g.endUs >= p.startUs && g.endUs <= p.endUs).map((g) => g.ms);
  const over = (ms: number) => inside.filter((x) => x > ms).length;
  process.stdout.write(
    `${p.phase}: ${((p.endUs - p.startUs) / 1e6).toFixed(1)} s, gaps > 20 ms ${over(20)}, > 50 ms ${over(50)}, > 100 ms ${over(100)}, longest ${Math.max(0, ...inside).toFixed(0)} ms, total over 20 ms ${(inside.filter((x) => x > 20).reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s\n`,
  );
}
const times: number[] = [];
let t = profile.startTime;
profile.samples.forEach((_, i) => times.push((t += profile.timeDeltas[i] ?? 0)));
interface Stretch {
  startMs: number;
  ms: number;
  samples: number[];
  phase: string;
}
const long: Stretch[] = gaps
  .filter((g) => g.ms >= Number(values.over))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, Number(values.top))
  .map((g) => {
    const from = g.endUs - g.ms * 1000;
    const samples = profile.samples.filter((_, i) => times[i]! >= from && times[i]! <= g.endUs);
    return { startMs: (from - profile.startTime) / 1000, ms: g.ms, samples, phase: phaseAt(g.endUs) };
  });
for (const s of long) {
  // Inclusive sample counts per frame within the stretch; the deepest frames covering most of it say what it was.
  const inclusive = new Map<string, number>();
  const selfCount = new Map<string, number>();
  for (const id of s.samples) {
    selfCount.set(label(byId.get(id)!), (selfCount.get(label(byId.get(id)!)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (!seen.has(l)) inclusive.set(l, (inclusive.get(l) ?? 0) + 1);
      seen.add(l);
    }
  }
  const share = (n: number) => `${Math.round((100 * n) / Math.max(1, s.samples.length))}%`;
  const frames = [...inclusive]
    .filter(([l]) => l.includes('src/') || l.startsWith('('))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6);
  const selfTop = [...selfCount].sort((a, b) => b[1] - a[1]).slice(0, 3);
  process.stdout.write(`${(s.startMs / 1000).toFixed(2)} s  ${s.ms.toFixed(0)} ms${phases.length ? `  (${s.phase})` : ''}\n`);
  process.stdout.write(`   self: ${selfTop.map(([l, n]) => `${share(n)} ${l}`).join(' | ')}\n`);
  process.stdout.write(`   under: ${frames.map(([l, n]) => `${share(n)} ${l}`).join(' | ')}\n`);
}
