/**
 * What held the event loop in each of its longest gaps: `ingest-stalls.ts` records the gaps (on
 * the monotonic clock V8's profiles use), and this prints the heaviest frames among the profile's
 * samples inside each. (Runs of non-idle samples would not do: a loop yielding with setImmediate
 * never idles, yet serves requests between its slices.)
 *
 *   GAP_MS=40 GAPS_JSON=/tmp/gaps.json node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx evals/perf/ingest-stalls.ts 10
 *   npx tsx evals/perf/profile-stalls.ts /tmp/prof/<main thread's>.cpuprofile --gaps /tmp/gaps.json [--over 50] [--top 20]
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

const { values, positionals } = parseArgs({ allowPositionals: true, options: { gaps: { type: 'string' }, over: { type: 'string', default: '50' }, top: { type: 'string', default: '20' } } });
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${relative(process.cwd(), url)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};
// A gap ends when the timer fires, so its samples are those in [end - ms, end] on the profile's clock.
const gaps = JSON.parse(readFileSync(values.gaps!, 'utf8')) as Array<{ endUs: number; ms: number }>;
const times: number[] = [];
let t = profile.startTime;
profile.samples.forEach((_, i) => times.push((t += profile.timeDeltas[i] ?? 0)));
interface Stretch { startMs: number; ms: number; samples: number[] }
const long: Stretch[] = gaps
  .filter((g) => g.ms >= Number(values.over))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, Number(values.top))
  .map((g) => {
    const from = g.endUs - g.ms * 1000;
    const samples = profile.samples.filter((_, i) => times[i]! >= from && times[i]! <= g.endUs);
    return { startMs: (from - profile.startTime) / 1000, ms: g.ms, samples };
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
  const frames = [...inclusive].filter(([l]) => l.includes('src/') || l.startsWith('(')).sort((a, b) => b[1] - a[1]).slice(0, 6);
  const selfTop = [...selfCount].sort((a, b) => b[1] - a[1]).slice(0, 3);
  process.stdout.write(`${(s.startMs / 1000).toFixed(2)} s  ${s.ms.toFixed(0)} ms\n`);
  process.stdout.write(`   self: ${selfTop.map(([l, n]) => `${share(n)} ${l}`).join(' | ')}\n`);
  process.stdout.write(`   under: ${frames.map(([l, n]) => `${share(n)} ${l}`).join(' | ')}\n`);
}
