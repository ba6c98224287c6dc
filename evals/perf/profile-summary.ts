/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and inclusive
 * time of the top frames, so a benchmark miss can be traced to a hot path.
 * Run: npx tsx evals/perf/profile-summary.ts <file.cpuprofile> [--top 25] [--match src/]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function summarise(path: string, top = 25, match = ''): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.endTime - profile.startTime;
  const label = (n: Node) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    const file = url ? relative(process.cwd(), url) : '(native)';
    return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const fmt = (entries: Map<string, number>) =>
    [...entries]
      .filter(([l]) => l.includes(match))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([l, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${l}`)
      .join('\n');
  return `profile ${path}: ${(totalUs / 1e6).toFixed(1)} s\n-- self time --\n${fmt(self)}\n-- inclusive time --\n${fmt(inclusive)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const argv = process.argv.slice(2);
  const topAt = argv.indexOf('--top');
  const matchAt = argv.indexOf('--match');
  const file = argv.find((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1) && (matchAt < 0 || i !== matchAt + 1))!;
  process.stdout.write(summarise(file, topAt >= 0 ? Number(argv[topAt + 1]) : 25, matchAt >= 0 ? argv[matchAt + 1]! : ''));
}
