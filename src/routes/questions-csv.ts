import type { LoggedMessage } from '../store/index.js';

const csvColumns = [
  'created_at', 'message_id', 'conversation_id', 'site_key', 'collection', 'lang', 'question', 'rewritten_question',
  'answer', 'answerable', 'answerability', 'mode', 'rating', 'comment', 'sources', 'latency_ms',
] as const;

/**
 * One CSV cell. A cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
 * `@`, tab or carriage return) gets a leading apostrophe (OWASP "CSV injection"): learners type
 * the questions, teachers open the file in Excel. Excel set to a `;` list separator (common in
 * Vietnamese and European settings) splits lines at `;`, where a quote in the middle of a field
 * means nothing to it, and may start a row at a line break: so the guard applies after every `;`
 * and line break inside a cell too (`hỏi;=cmd` is written `"hỏi;'=cmd"`), and a cell holding `;`
 * is quoted as one holding `,` is. Then RFC 4180 quoting.
 */
export function csvCell(value: string | number | boolean | null): string {
  let s = value === null ? '' : String(value);
  s = s.replace(/(^|[;\r\n])(?=[=+\-@\t\r])/g, "$1'");
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function citationLabel(c: LoggedMessage['citations'][number]): string {
  return c.page === null ? c.title : `${c.title} (tr. ${c.page})`;
}

/**
 * The questions log as CSV for teachers (RFC 4180, CRLF, UTF-8 BOM so Excel reads Vietnamese,
 * formula cells neutralised), from the store's `questionsForExport` rows.
 */
export function questionsCsv(messages: readonly LoggedMessage[]): string {
  const lines = [csvColumns.join(',')];
  for (const m of messages) {
    const cells: Record<(typeof csvColumns)[number], string | number | boolean | null> = {
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
    };
    lines.push(csvColumns.map((c) => csvCell(cells[c])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
