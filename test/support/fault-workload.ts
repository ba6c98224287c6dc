/**
 * The ingest workload of the crash fault tests, shared by the child that gets SIGKILLed
 * (`fault-ingest-child.ts`) and the test that re-runs it to completion. Each step is one engine
 * call; the child prints a marker line around each, so the parent knows where a kill landed.
 */
import { contentHash, documentId, type Engine, type IngestItem, type IngestOutcome } from '../../src/engine/index.js';
import { lessonFile } from './lesson-files.js';
import { mulberry32 } from '../../evals/perf/corpus-gen.js';

export const workloadCollection = 'bai-hoc';

/** Lesson `i` at version `v` (0 = the original; a later version changes the text, so it replaces the chunks). */
export function lessonVersion(i: number, v: number): IngestItem {
  const base = lessonFile(i);
  if (v === 0) return { ...base, collection: workloadCollection };
  const extra =
    `\n## Cập nhật lần ${v}\n\nBản sửa ${v} của bài ${i}: giáo viên bổ sung ${v + 2} bài tập mới và thay lịch kiểm tra sang tuần thứ ${v + 5}. ` +
    `Học viên nộp bài qua thư điện tử trước ${17 + v} giờ ngày thứ Sáu.\n`;
  return {
    bytes: Buffer.concat([Buffer.from(base.bytes), Buffer.from(extra, 'utf8')]),
    fileName: base.fileName,
    collection: workloadCollection,
  };
}

export type Step = { op: 'ingest'; files: Array<[lesson: number, version: number]> } | { op: 'remove'; lesson: number } | { op: 'save' };

/** Adds, replacements (alone and inside a batch), removals, a re-add, and explicit index saves. */
export const workload: readonly Step[] = [
  {
    op: 'ingest',
    files: [
      [0, 0],
      [1, 0],
      [2, 0],
    ],
  },
  { op: 'save' },
  { op: 'ingest', files: [[3, 0]] },
  { op: 'ingest', files: [[1, 1]] },
  { op: 'remove', lesson: 0 },
  {
    op: 'ingest',
    files: [
      [4, 0],
      [5, 0],
      [2, 1],
    ],
  },
  { op: 'save' },
  { op: 'remove', lesson: 3 },
  {
    op: 'ingest',
    files: [
      [0, 1],
      [6, 0],
    ],
  },
  { op: 'ingest', files: [[7, 0]] },
  { op: 'save' },
  { op: 'remove', lesson: 5 },
  {
    op: 'ingest',
    files: [
      [4, 2],
      [8, 0],
    ],
  },
  { op: 'remove', lesson: 1 },
  { op: 'save' },
];

export const lessonDocumentId = (i: number): string => documentId(workloadCollection, lessonVersion(i, 0).fileName);

/** Every (lesson, version) the workload writes, keyed by content hash. */
export const versionsByHash: ReadonlyMap<string, { lesson: number; version: number }> = new Map(
  workload
    .flatMap((s) => (s.op === 'ingest' ? s.files : []))
    .map(([lesson, version]) => [contentHash(lessonVersion(lesson, version).bytes), { lesson, version }]),
);

/** What the store should hold: lesson → version. */
export type Model = ReadonlyMap<number, number>;

export const modelKey = (m: Model): string =>
  [...m]
    .sort((a, b) => a[0] - b[0])
    .map(([l, v]) => `${l}@${v}`)
    .join(' ') || '(empty)';

/**
 * Every state the store may be in while the workload runs from `start`: the start, then one
 * state after each committed file or removal (each is one SQLite transaction).
 */
export function reachableStates(start: Model = new Map()): Model[] {
  const states: Model[] = [start];
  let current = new Map(start);
  for (const step of workload) {
    if (step.op === 'ingest') {
      for (const [lesson, version] of step.files) {
        current = new Map(current).set(lesson, version);
        states.push(current);
      }
    } else if (step.op === 'remove') {
      current = new Map(current);
      current.delete(step.lesson);
      states.push(current);
    }
  }
  return states;
}

/** Lines the child prints in a full run: `ready`, per step `begin`, one `file` per ingested file and `end`, then `close` and `done`. */
export const markerCount = 1 + workload.reduce((n, s) => n + 2 + (s.op === 'ingest' ? s.files.length : 0), 0) + 2;

/** Runs the workload on an open engine, calling `mark` before and after each step (and per file). */
export async function runWorkload(engine: Engine, mark: (line: string) => void = () => {}): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  for (const [k, step] of workload.entries()) {
    mark(`begin ${k} ${step.op}`);
    if (step.op === 'ingest') {
      const items = step.files.map(([lesson, version]) => lessonVersion(lesson, version));
      outcomes.push(...(await engine.ingest(items, (_done, _total, o) => mark(`file ${k} ${o.fileName} ${o.status}`))));
    } else if (step.op === 'remove') {
      await engine.removeDocument(lessonDocumentId(step.lesson));
    } else {
      await engine.save();
    }
    mark(`end ${k}`);
  }
  return outcomes;
}

/** mulberry32 (the benchmark's seeded generator), so a failing seed replays the same kill. */
export const seededRandom = mulberry32;

/**
 * Seeds from a list such as `7`, `1,5,9` or `1-200` (the on-demand longer run), else `fallback`.
 */
export function parseSeeds(spec: string | undefined, fallback: number[]): number[] {
  if (!spec?.trim()) return fallback;
  return spec.split(',').flatMap((part) => {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
    const n = Number(part.trim());
    if (!Number.isInteger(n)) throw new Error(`bad seed "${part}" in ${spec}`);
    return [n];
  });
}
