import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { collectFiles } from '../../src/engine/index.js';
import { loadDocument } from '../../src/ingest/index.js';
import { askConversations } from './ask-conversations.js';
import { loadConversations } from './conversation-schema.js';
import { conversationReport, renderConversationMarkdown, type ConversationReport } from './conversation-report.js';
import { lintConversations } from './lint-conversations.js';
import { startEvalService } from './start-eval-service.js';
import { summarizeConversations } from './summarize-conversations.js';

export interface ConversationEvalOptions {
  /** The JSONL set (default: evals/heldout/conversations.jsonl). */
  setPath: string;
  /** Ask a service already running there instead of starting one. */
  baseUrl?: string | undefined;
  /** That service's admin token, to read back the rewritten questions (optional). */
  adminToken?: string | undefined;
  /** The materials the own service ingests, and the set is linted against. */
  corpusDir: string;
  /** Own service only: take the LLM and embedding settings from the environment. */
  useEnvSettings?: boolean;
  /** Where `conversations-latest.{json,md}` go; none when undefined. */
  reportsDir?: string | undefined;
  /** Paths in the report are shown relative to this folder. */
  root: string;
  log?: (text: string) => void;
}

/** Every document's text under `corpusDir`, as the service's loaders read it. */
async function corpusTexts(corpusDir: string): Promise<string[]> {
  const texts: string[] = [];
  for (const file of collectFiles([corpusDir])) {
    try {
      const doc = await loadDocument(readFileSync(file), basename(file));
      texts.push(doc.blocks.map((b) => b.text).join('\n'));
    } catch {
      // A file the service cannot load either: nothing to lint against.
    }
  }
  return texts;
}

/**
 * The whole conversation evaluation: reads the set, warns about expected strings the materials
 * do not contain (own service only), asks every conversation through `POST /api/chat`, scores
 * and writes `conversations-latest.json` and `.md`. Returns the report.
 */
export async function runConversationEval(options: ConversationEvalOptions): Promise<ConversationReport> {
  const log = options.log ?? (() => {});
  const conversations = loadConversations(options.setPath);
  const started = performance.now();
  let service: { baseUrl: string; adminToken?: string | undefined; description: string; close?: () => Promise<void> };
  if (options.baseUrl) {
    service = { baseUrl: options.baseUrl, adminToken: options.adminToken, description: options.baseUrl };
  } else {
    for (const warning of lintConversations(conversations, await corpusTexts(options.corpusDir)))
      log(`conversation-set warning: ${warning}\n`);
    service = await startEvalService({ corpusDir: options.corpusDir, ...(options.useEnvSettings ? { useEnvSettings: true } : {}) });
  }
  try {
    const tty = process.stderr.isTTY;
    const asked = await askConversations(conversations, {
      baseUrl: service.baseUrl,
      adminToken: service.adminToken,
      onProgress: (done, total) => {
        if (tty) log(`\rconversations: ${done}/${total}${done === total ? '\n' : ''}`);
        else if (done === total) log(`conversations: ${done}/${total} turns\n`);
      },
    });
    const report = conversationReport({
      set: relative(options.root, options.setPath) || options.setPath,
      service: service.description,
      rewritesKnown: Boolean(service.adminToken),
      runtimeMs: Math.round(performance.now() - started),
      summary: summarizeConversations(asked),
      asked,
    });
    if (options.reportsDir) {
      mkdirSync(options.reportsDir, { recursive: true });
      writeFileSync(join(options.reportsDir, 'conversations-latest.json'), `${JSON.stringify(report, null, 1)}\n`);
      writeFileSync(join(options.reportsDir, 'conversations-latest.md'), renderConversationMarkdown(report));
      log(`reports: ${join(options.reportsDir, 'conversations-latest.json')}, .md\n`);
    }
    return report;
  } finally {
    await service.close?.();
  }
}
