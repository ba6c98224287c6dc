/**
 * The answer-quality evaluation: `npm run eval` asks the golden sets (evals/golden/*.jsonl) over
 * the shipped corpus through the server's answer code, prints every metric, writes the JSON,
 * Markdown and HTML reports to evals/reports/, and prints one JSON line per dataset ×
 * configuration last on stdout. `--check` gates on evals/baseline.json; `--beir <dir>` runs a
 * BEIR folder instead. Usage: `npx tsx evals/run-eval.ts --help`; definitions: evals/README.md.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ChatOpenAI } from '@langchain/openai';
import { createChatModel } from '../src/answer/index.js';
import { createEmbeddingsFromConfig } from '../src/embed/index.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import type { EngineOptions } from '../src/engine/index.js';
import { readBeirDataset } from '../src/eval/index.js';
import { askQuestions } from './lib/ask-questions.js';
import { checkBaseline, describeCheck, makeBaseline, type Baseline } from './lib/baseline-gate.js';
import { openBeirCorpus, openCorpus, type CorpusView } from './lib/corpus-engine.js';
import { beirQuestions, goldenToEval } from './lib/eval-questions.js';
import { configLabel, type EvalQuestion } from './lib/eval-types.js';
import { loadGoldenSets } from './lib/golden-schema.js';
import { lintGolden } from './lib/lint-golden.js';
import { judgeAnswer } from './lib/llm-judge.js';
import { evalUsage, parseEvalArgs, UsageError, type EvalArgs } from './lib/parse-eval-args.js';
import { checkBars } from './lib/quality-bars.js';
import { runConversationEval } from './lib/conversation-eval.js';
import { checkConversationBaseline, makeConversationBaseline, type ConversationBaseline } from './lib/conversation-baseline.js';
import { renderConversationTable } from './lib/conversation-report.js';
import { configReport, machineInfo, primaryConfig, type DatasetReport, type EvalReport } from './lib/report-data.js';
import { renderHtml } from './lib/report-html.js';
import { formatMetric, metricRows, renderMarkdown } from './lib/report-markdown.js';
import { metricSampleSizes, resultLine } from './lib/result-line.js';
import { summarizeRuns } from './lib/summarize.js';
import { renderVerifiedEval, runVerifiedEval, type VerifiedEvalReport } from './verified/verified-eval.js';
import { matcherDepsOf } from '../src/verified/index.js';

const root = resolve(import.meta.dirname, '..');
const err = (text: string) => process.stderr.write(text);

interface Models {
  chat: ChatOpenAI | null;
  judge: ChatOpenAI | null;
  timeoutMs: number;
}

function progress(label: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  return (done, total) => {
    if (tty) err(`\r${label}: ${done}/${total}${done === total ? '\n' : ''}`);
    else if (done === total) err(`${label}: ${done}/${total}\n`);
  };
}

async function evaluate(
  kind: 'golden' | 'beir',
  corpus: CorpusView,
  questions: EvalQuestion[],
  args: EvalArgs,
  models: Models,
  warnings: string[],
  sampleSizes: Map<string, Record<string, number>>,
): Promise<DatasetReport> {
  const configs = [];
  let llmErrors = 0;
  for (const config of args.configs) {
    const label = `${corpus.name} ${configLabel(config)}`;
    const runs = await askQuestions(corpus, questions, config, {
      chat: models.chat,
      timeoutMs: models.timeoutMs,
      onProgress: progress(label),
      onLlmError: () => llmErrors++,
      ...(models.judge
        ? {
            judge: async (input) => {
              try {
                return await judgeAnswer(models.judge!, input, AbortSignal.timeout(models.timeoutMs));
              } catch (error) {
                err(`judge: ${(error as Error).message}\n`);
                return null;
              }
            },
          }
        : {}),
    });
    if (args.dumpRuns)
      for (const run of runs)
        appendFileSync(args.dumpRuns, `${JSON.stringify({ dataset: corpus.name, config: configLabel(config), ...run })}\n`);
    const summary = summarizeRuns(corpus.name, config, runs);
    const line = resultLine(summary);
    if (kind === 'golden') sampleSizes.set(configLabel(config), metricSampleSizes(summary));
    configs.push(configReport(config, line, summary, kind === 'golden' ? checkBars(line) : null, runs, args.worst));
  }
  if (llmErrors) err(`${corpus.name}: the model failed ${llmErrors} times; those answers fell back to the extractive answerer\n`);
  return { name: corpus.name, kind, documents: corpus.documents, chunks: corpus.chunks, questions: questions.length, configs, warnings };
}

function engineOptions(args: EvalArgs, config: Config): Partial<EngineOptions> {
  if (args.embeddings === 'local') return {};
  const { embeddings, embedderId, dimensions } = createEmbeddingsFromConfig(config);
  return { ...(embeddings ? { embeddings, embedderId } : {}), ...(dimensions ? { dimensions } : {}), limits: config.limits };
}

function printTables(report: EvalReport): void {
  const out: string[] = [];
  for (const dataset of report.datasets) {
    const labels = dataset.configs.map((c) => configLabel(c.config));
    const width = Math.max(12, ...labels.map((l) => l.length + 2));
    out.push('', `${dataset.name}: ${dataset.questions} questions, ${dataset.documents} documents, ${dataset.chunks} chunks`);
    out.push(`${'metric'.padEnd(28)}${labels.map((l) => l.padStart(width)).join('')}`);
    for (const [label, key] of metricRows)
      out.push(`${label.padEnd(28)}${dataset.configs.map((c) => formatMetric(key, c.line[key]).padStart(width)).join('')}`);
    const primary = primaryConfig(dataset);
    if (primary?.bars) {
      out.push('', `quality bars (${configLabel(primary.config)}):`);
      for (const b of primary.bars) out.push(`  ${b.pass ? 'pass' : 'FAIL'}  ${b.name}: ${b.value === null ? '–' : b.value.toFixed(3)}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n\n`);
}

function writeReports(report: EvalReport, dir: string, base: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}.json`), `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(join(dir, `${base}.md`), renderMarkdown(report));
  writeFileSync(join(dir, `${base}.html`), renderHtml(report));
  err(`reports: ${join(dir, `${base}.json`)}, .md, .html\n`);
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: EvalArgs;
  try {
    args = parseEvalArgs(argv, root);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`eval: ${error.message}\n\n${evalUsage}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(evalUsage);
    return 0;
  }
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`eval: ${error.message}\n`);
    return 2;
  }
  const wantsLlm = args.configs.some((c) => c.answerer === 'llm');
  if ((wantsLlm || args.judge) && !config.llm) {
    err(
      `eval: ${wantsLlm ? '--answerer llm' : '--judge'} needs an OpenAI-compatible endpoint: set OPENAI_BASE_URL ` +
        '(for example http://localhost:11434/v1 for Ollama) and OPENAI_API_KEY if the endpoint needs one, and CHAT_MODEL. ' +
        '(LLM must not be none). Offline runs use --answerer extractive without --judge.\n',
    );
    return 2;
  }
  const llm = config.llm;
  const chatOptions = llm ? { ...(llm.baseURL ? { baseURL: llm.baseURL } : {}), ...(llm.apiKey ? { apiKey: llm.apiKey } : {}) } : {};
  const models: Models = {
    chat: wantsLlm && llm ? createChatModel({ model: llm.model, ...chatOptions }) : null,
    judge: args.judge && llm ? createChatModel({ model: args.judgeModel ?? llm.model, temperature: 0, ...chatOptions }) : null,
    timeoutMs: llm?.timeoutMs ?? 20_000,
  };

  if (args.dumpRuns) writeFileSync(args.dumpRuns, '');
  const started = performance.now();
  const datasets: DatasetReport[] = [];
  const sampleSizes = new Map<string, Record<string, number>>();
  const options = engineOptions(args, config);
  let verified: VerifiedEvalReport | null = null;
  if (args.beir.length) {
    for (const dir of args.beir) {
      const dataset = readBeirDataset(dir);
      let questions = beirQuestions(dataset);
      if (args.limit) questions = questions.slice(0, args.limit);
      err(`${dataset.name}: ingesting ${dataset.passages.length} passages\n`);
      const corpus = await openBeirCorpus(dataset, options);
      try {
        datasets.push(await evaluate('beir', corpus, questions, args, models, [], sampleSizes));
      } finally {
        corpus.close();
      }
    }
  } else {
    let questions = loadGoldenSets(args.goldenDir).map(goldenToEval);
    if (args.limit) {
      // Keep the turns a kept follow-up needs.
      const kept = new Set(questions.slice(0, args.limit).map((q) => q.id));
      for (const q of questions) if (kept.has(q.id) && q.followUpOf) kept.add(q.followUpOf);
      questions = questions.filter((q) => kept.has(q.id));
    }
    const corpus = await openCorpus('golden', args.corpusDir, config.defaultCollection, options);
    try {
      err(
        `golden: ${questions.length} questions over ${corpus.documents} documents (${corpus.chunks} chunks, ingested in ${(corpus.ingestMs / 1000).toFixed(1)} s)\n`,
      );
      const lint = lintGolden(questions, [...corpus.allChunks()]);
      for (const w of lint.warnings) err(`golden-set warning: ${w}\n`);
      if (lint.errors.length) {
        for (const e of lint.errors) err(`golden-set error: ${e}\n`);
        err('eval: fix the golden sets (a gold passage must name a real page or heading)\n');
        return 2;
      }
      datasets.push(await evaluate('golden', corpus, questions, args, models, lint.warnings, sampleSizes));
      // Verified-answer matching over the same corpus's statistics (evals/verified, docs/curation.md).
      verified = await runVerifiedEval(matcherDepsOf(corpus.engine));
    } finally {
      corpus.close();
    }
  }

  const report: EvalReport = {
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    runtimeMs: Math.round(performance.now() - started),
    datasets,
    baseline: { checked: false, ok: null, problems: [] },
  };
  const lines = datasets.flatMap((d) => d.configs.map((c) => c.line));
  let exitCode = 0;
  if (args.check) {
    if (!existsSync(args.baselinePath)) {
      report.baseline = { checked: true, ok: false, problems: [`no baseline at ${args.baselinePath}: write one with --write-baseline`] };
      exitCode = 1;
    } else {
      const baseline = JSON.parse(readFileSync(args.baselinePath, 'utf8')) as Baseline;
      const result = checkBaseline(baseline, lines);
      report.baseline = { checked: true, ok: result.ok, problems: describeCheck(result, baseline.dataset) };
      if (!result.ok) exitCode = 1;
      err(result.ok ? `baseline check passed (${result.checked} metrics)\n` : '');
    }
    for (const p of report.baseline.problems) err(`${p}\n`);
  }
  if (args.writeBaseline) {
    const baseline = makeBaseline('golden', lines, sampleSizes);
    writeFileSync(args.baselinePath, `${JSON.stringify(baseline, null, 2)}\n`);
    err(`baseline written to ${args.baselinePath}\n`);
  }
  writeReports(report, args.reportsDir, args.beir.length ? 'beir-latest' : 'latest');
  printTables(report);
  if (verified) process.stdout.write(`${renderVerifiedEval(verified)}\n`);
  if (args.conversations) {
    // The held-out conversations, asked through a real service (docs/evaluation.md). Printed on
    // every run, `npm test` included; a gate only with --conversations-check.
    // With `--answerer llm` the service answers with the configured model, as deployed.
    const useEnvSettings = args.configs.some((c) => c.answerer === 'llm');
    const conversations = await runConversationEval({
      setPath: resolve(args.conversations),
      corpusDir: args.corpusDir,
      useEnvSettings,
      reportsDir: args.reportsDir,
      root,
      log: err,
    });
    // Figures only: the wrong turns name held-out questions, and this output is everyone's
    // (`npm test`); they are in the report file, which git ignores.
    process.stdout.write(
      `${renderConversationTable(conversations, { wrong: 0 })}  wrong turns, with the answers given: ${join(args.reportsDir, 'conversations-latest.md')}\n\n`,
    );
    const conversationBaselinePath = join(dirname(args.baselinePath), 'conversations-baseline.json');
    if (args.check) {
      const problems = existsSync(conversationBaselinePath)
        ? checkConversationBaseline(
            JSON.parse(readFileSync(conversationBaselinePath, 'utf8')) as ConversationBaseline,
            conversations.summary,
          )
        : [`no conversation baseline at ${conversationBaselinePath}: write one with --write-baseline`];
      for (const p of problems) err(`${p}\n`);
      if (problems.length) exitCode = 1;
      else err(`conversation baseline check passed\n`);
    }
    if (args.writeBaseline) {
      writeFileSync(
        conversationBaselinePath,
        `${JSON.stringify(makeConversationBaseline(relative(root, resolve(args.conversations)), conversations.summary), null, 2)}\n`,
      );
      err(`conversation baseline written to ${conversationBaselinePath}\n`);
    }
    if (args.conversationsCheck && conversations.summary.bars.some((b) => !b.pass)) {
      err(
        `conversation bars not met: ${conversations.summary.bars
          .filter((b) => !b.pass)
          .map((b) => b.name)
          .join(', ')}\n`,
      );
      exitCode = 1;
    }
  }
  err(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
  return exitCode;
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
