import { parseArgs } from 'node:util';
import type { RetrievalMode } from '../../src/retrieve/index.js';
import type { AnswererKind, EvalConfig } from './eval-types.js';

export const evalUsage = `npm run eval -- [options]      (npx tsx evals/run-eval.ts [options])

Asks the golden sets (evals/golden/*.jsonl) over corpus/, or BEIR folders, through the server's
answer code, and reports retrieval, answer, citation, grounding, refusal and latency metrics.

  --mode bm25,vector,hybrid     retrieval modes to compare (default: all three)
  --answerer extractive,llm     answerers to compare (default: extractive; llm needs OPENAI_BASE_URL)
  --beir <dir>                  a BEIR folder instead of the golden sets (repeatable)
  --golden <dir>                golden sets folder (default: evals/golden)
  --corpus <dir>                corpus folder (default: corpus)
  --judge                       rate every answer with the LLM judge (needs OPENAI_BASE_URL)
  --judge-model <name>          judge model (default: CHAT_MODEL)
  --embeddings local|config     local offline embedder (default) or the one the settings choose
  --check                       compare with evals/baseline.json; exit 1 on a regression
  --write-baseline              write evals/baseline.json from this run
  --baseline <file>             baseline path (default: evals/baseline.json)
  --reports <dir>               report folder (default: evals/reports)
  --worst <n>                   worst questions listed per configuration (default: 25)
  --limit <n>                   only the first n questions (quick tries; not with --check)
  --dump-runs <file>            write every question's run (retrieved, answer, scores) as JSONL
  --conversations <file>        conversation set asked through POST /api/chat after the golden sets
                                (default: evals/heldout/conversations.jsonl; docs/evaluation.md)
  --no-conversations            skip the conversation evaluation
  --conversations-check         exit 1 when a conversation bar of issue 14 is not met (off by default)
  -h, --help
`;

export interface EvalArgs {
  configs: EvalConfig[];
  beir: string[];
  goldenDir: string;
  corpusDir: string;
  judge: boolean;
  judgeModel: string | undefined;
  embeddings: 'local' | 'config';
  check: boolean;
  writeBaseline: boolean;
  baselinePath: string;
  reportsDir: string;
  worst: number;
  limit: number | undefined;
  dumpRuns: string | undefined;
  /** The conversation set asked through the real service after the golden sets; null: skipped. */
  conversations: string | null;
  conversationsCheck: boolean;
  help: boolean;
}

/** A command-line mistake: the message says what to change. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const modes: readonly RetrievalMode[] = ['bm25', 'vector', 'hybrid'];
const answerers: readonly AnswererKind[] = ['extractive', 'llm'];

function list<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = [
    ...new Set(
      value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  if (items.length === 0) throw new UsageError(`--${what} needs a value: ${allowed.join(', ')}`);
  for (const item of items) if (!allowed.includes(item as T)) throw new UsageError(`unknown ${what} "${item}": use ${allowed.join(', ')}`);
  return items as T[];
}

function positive(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${what} needs a positive integer, not "${value}"`);
  return n;
}

/** Parses the runner's arguments; paths default relative to `root` (the repository). */
export function parseEvalArgs(argv: readonly string[], root: string): EvalArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        mode: { type: 'string' },
        answerer: { type: 'string' },
        beir: { type: 'string', multiple: true },
        golden: { type: 'string' },
        corpus: { type: 'string' },
        judge: { type: 'boolean' },
        'judge-model': { type: 'string' },
        embeddings: { type: 'string' },
        check: { type: 'boolean' },
        'write-baseline': { type: 'boolean' },
        baseline: { type: 'string' },
        reports: { type: 'string' },
        worst: { type: 'string' },
        limit: { type: 'string' },
        'dump-runs': { type: 'string' },
        conversations: { type: 'string' },
        'no-conversations': { type: 'boolean' },
        'conversations-check': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const modeList = list(v.mode ?? modes.join(','), modes, 'mode');
  const answererList = list(v.answerer ?? 'extractive', answerers, 'answerer');
  const embeddings = v.embeddings ?? 'local';
  if (embeddings !== 'local' && embeddings !== 'config') throw new UsageError(`unknown embeddings "${embeddings}": use local or config`);
  const limit = positive(v.limit, 'limit');
  if (limit !== undefined && (v.check || v['write-baseline']))
    throw new UsageError('--limit cannot be combined with --check or --write-baseline');
  if ((v.check || v['write-baseline']) && v.beir?.length)
    throw new UsageError('--check and --write-baseline work on the golden sets, not with --beir');
  if (v['no-conversations'] && (v.conversations || v['conversations-check']))
    throw new UsageError('--no-conversations cannot be combined with --conversations or --conversations-check');
  return {
    configs: answererList.flatMap((answerer) => modeList.map((mode) => ({ mode, answerer }))),
    beir: v.beir ?? [],
    goldenDir: v.golden ?? `${root}/evals/golden`,
    corpusDir: v.corpus ?? `${root}/corpus`,
    judge: Boolean(v.judge),
    judgeModel: v['judge-model'],
    embeddings,
    check: Boolean(v.check),
    writeBaseline: Boolean(v['write-baseline']),
    baselinePath: v.baseline ?? `${root}/evals/baseline.json`,
    reportsDir: v.reports ?? `${root}/evals/reports`,
    worst: positive(v.worst, 'worst') ?? 25,
    limit,
    dumpRuns: v['dump-runs'],
    conversations: v['no-conversations'] || v.beir?.length ? null : (v.conversations ?? `${root}/evals/heldout/conversations.jsonl`),
    conversationsCheck: Boolean(v['conversations-check']),
    help: Boolean(v.help),
  };
}
