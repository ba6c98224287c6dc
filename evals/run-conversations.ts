/**
 * The conversation evaluation: asks a conversation set (default: the held-out set,
 * evals/heldout/conversations.jsonl) turn by turn through `POST /api/chat` of a real running
 * service, as the widget does, and reports accuracy per kind, per answer type and overall.
 * Without `--base-url` it starts the service itself (loopback, port 0, temporary data folder,
 * shipped corpus). `npm run eval` runs it after the golden sets. Docs: docs/evaluation.md.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderConversationTable } from './lib/conversation-report.js';
import { ConversationSetError } from './lib/conversation-schema.js';
import { runConversationEval } from './lib/conversation-eval.js';

const root = resolve(import.meta.dirname, '..');
const err = (text: string) => process.stderr.write(text);

export const conversationsUsage = `npx tsx evals/run-conversations.ts [options]

Asks a conversation set through POST /api/chat of a real service and reports accuracy per kind,
per answer type and overall; writes conversations-latest.{json,md}.

  --set <file>              the set (default: evals/heldout/conversations.jsonl)
  --base-url <url>          ask a service already running there (default: start one on
                            127.0.0.1, port 0, temporary data folder, the corpus below)
  --admin-token <token>     with --base-url: read the rewritten questions back (else ADMIN_TOKEN)
  --corpus <dir>            what the own service ingests (default: corpus)
  --use-env-settings        own service: LLM and embedding settings from the environment
                            (default: a fresh install's defaults, offline and extractive)
  --reports <dir>           report folder (default: evals/reports)
  --json                    print the report as JSON on stdout instead of the table
  --wrong <n>               wrong turns printed in the table (default: 15; all are in the report)
  --conversations-check     exit 1 when a bar of issue 14 is not met (off by default)
  -h, --help
`;

export async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        set: { type: 'string' },
        'base-url': { type: 'string' },
        'admin-token': { type: 'string' },
        corpus: { type: 'string' },
        'use-env-settings': { type: 'boolean' },
        reports: { type: 'string' },
        json: { type: 'boolean' },
        wrong: { type: 'string' },
        'conversations-check': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    err(`eval: ${(error as Error).message}\n\n${conversationsUsage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(conversationsUsage);
    return 0;
  }
  const wrong = values.wrong === undefined ? 15 : Number(values.wrong);
  if (!Number.isInteger(wrong) || wrong < 0) {
    err(`eval: --wrong needs a whole number, not "${values.wrong}"\n`);
    return 2;
  }
  if (values['base-url'] && !/^https?:\/\//.test(values['base-url'])) {
    err(`eval: --base-url needs an http(s) URL, not "${values['base-url']}"\n`);
    return 2;
  }
  let report;
  try {
    report = await runConversationEval({
      setPath: resolve(values.set ?? `${root}/evals/heldout/conversations.jsonl`),
      baseUrl: values['base-url'],
      adminToken: values['admin-token'] ?? (values['base-url'] ? process.env.ADMIN_TOKEN : undefined),
      corpusDir: resolve(values.corpus ?? `${root}/corpus`),
      useEnvSettings: Boolean(values['use-env-settings']),
      reportsDir: resolve(values.reports ?? `${root}/evals/reports`),
      root,
      log: err,
    });
  } catch (error) {
    if (error instanceof ConversationSetError) {
      err(`eval: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  else process.stdout.write(renderConversationTable(report, { wrong }));
  if (values['conversations-check'] && report.summary.bars.some((b) => !b.pass)) {
    err(
      `conversation bars not met: ${report.summary.bars
        .filter((b) => !b.pass)
        .map((b) => b.name)
        .join(', ')}\n`,
    );
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`eval: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
