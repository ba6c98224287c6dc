/**
 * trogiang's Vietnamese-aware retrieval inside a LangChain chain (LCEL), offline:
 *
 *   npx tsx examples/langchain-retriever.ts ["question"]
 *
 * Ingests the shipped sample corpus (corpus/) into a temporary data folder, then pipes
 * `TrogiangRetriever` into a prompt and a chat model. The model here is LangChain's
 * `FakeChatModel`, which answers with the prompt it was given, so the run needs no key and no
 * network and shows exactly what a real model would read. For a real one, replace it with
 * `new ChatOpenAI({ model: 'gpt-4o-mini' })` from `@langchain/openai` (docs/langchain.md).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { FakeChatModel } from '@langchain/core/utils/testing';
import { collectFiles } from '../src/engine/index.js';
import { TrogiangRetriever, type TrogiangDocumentMetadata } from '../src/langchain/index.js';

const corpusDir = fileURLToPath(new URL('../corpus', import.meta.url));
const question = process.argv.slice(2).join(' ').trim() || 'hoc phi mot thang bao nhieu';

/** The retrieved passages as numbered sources, each with where it comes from. */
function formatSources(docs: Array<Document<TrogiangDocumentMetadata>>): string {
  if (docs.length === 0) return '(no source: the materials do not cover this question)';
  return docs
    .map((d) => {
      const m = d.metadata;
      const where = [m.page !== null ? `trang ${m.page}` : null, m.headingPath.at(-1) ?? null].filter(Boolean).join(' · ');
      return `[${m.rank}] ${m.title}${where ? ` (${where})` : ''} ${m.link ?? ''}\n${d.pageContent}`;
    })
    .join('\n\n');
}

const prompt = ChatPromptTemplate.fromMessages([
  [
    'system',
    'Answer in the language of the question, only from the sources below, citing them as [n]. If they do not cover it, say so.\n\n{sources}',
  ],
  ['human', '{question}'],
]);

const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-langchain-'));
// answerableOnly: a question the materials do not cover reaches the model with no source at all.
const retriever = await TrogiangRetriever.open({ dataDir, k: 3, baseUrl: 'http://127.0.0.1:8787', answerableOnly: true });
try {
  const files = collectFiles([corpusDir]);
  const outcomes = await retriever.engine.ingest(
    files.map((file) => ({ bytes: readFileSync(file), fileName: basename(file), collection: 'chung' })),
  );
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length) throw new Error(`could not ingest ${failed.map((f) => f.fileName).join(', ')}`);
  console.log(`ingested ${outcomes.length} files from ${corpusDir}\n`);

  const docs = await retriever.invoke(question);
  console.log(`retriever.invoke(${JSON.stringify(question)}):`);
  for (const d of docs) {
    const m = d.metadata;
    console.log(
      `  [${m.rank}] ${m.title} | page ${m.page ?? '-'} | ${m.headingPath.join(' > ')} | score ${m.score.toFixed(3)} | ${m.link}`,
    );
  }
  if (docs.length === 0) console.log('  (none: not covered by the materials)');

  const chain = RunnableSequence.from([
    { sources: retriever.pipe(formatSources), question: new RunnablePassthrough() },
    prompt,
    new FakeChatModel({}),
    new StringOutputParser(),
  ]);
  console.log('\nchain output (FakeChatModel repeats its prompt):\n');
  console.log(await chain.invoke(question));
} finally {
  await retriever.close();
  rmSync(dataDir, { recursive: true, force: true });
}
