import type { LoggedMessage } from '../store/index.js';
import { csvFile } from './csv.js';

const csvColumns = [
  'created_at',
  'message_id',
  'conversation_id',
  'site_key',
  'collection',
  'lang',
  'question',
  'rewritten_question',
  'answer',
  'answerable',
  'answerability',
  'mode',
  'rating',
  'comment',
  'sources',
  'latency_ms',
] as const;

function citationLabel(c: LoggedMessage['citations'][number]): string {
  return c.page === null ? c.title : `${c.title} (tr. ${c.page})`;
}

/**
 * The questions log as CSV for teachers (RFC 4180, CRLF, UTF-8 BOM so Excel reads Vietnamese,
 * formula cells neutralised), from the store's `questionsForExport` rows.
 */
export function questionsCsv(messages: readonly LoggedMessage[]): string {
  return csvFile(
    csvColumns,
    messages.map((m) => ({
      created_at: m.createdAt,
      message_id: m.id,
      conversation_id: m.conversationId,
      site_key: m.siteKey,
      collection: m.collection,
      lang: m.lang,
      question: m.question,
      rewritten_question: m.rewrittenQuestion,
      answer: m.answer,
      answerable: m.answerable ? 1 : 0,
      answerability: Math.round(m.answerability * 1000) / 1000,
      mode: m.mode,
      rating: m.feedback?.rating ?? null,
      comment: m.feedback?.comment ?? null,
      sources: m.citations.map(citationLabel).join('; '),
      latency_ms: m.latencyMs,
    })),
  );
}
