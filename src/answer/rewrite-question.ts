import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import { foldDiacritics, hasDiacritics, normalizeToneMarks, type Language } from '../text/index.js';

/** One earlier exchange of the conversation. */
export interface Turn {
  /** The learner's question (ideally as rewritten to stand alone, when it was a follow-up). */
  question: string;
  answer: string;
}

const maxTurns = 3;
const maxAnswerChars = 300;

function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const rewritePrompts = {
  vi: {
    system:
      'Bạn viết lại câu hỏi nối tiếp của học viên thành MỘT câu hỏi đầy đủ, đọc riêng vẫn hiểu được mà không cần xem cuộc trò chuyện. ' +
      'Viết bằng tiếng Việt, giữ nguyên tên riêng và con số. Không trả lời câu hỏi. Chỉ viết ra câu hỏi, không thêm gì khác. ' +
      'Nếu câu hỏi đã đầy đủ, chép lại nguyên văn.',
    conversation: 'Cuộc trò chuyện:',
    learner: 'Học viên',
    assistant: 'Trợ giảng',
    followUp: 'Câu hỏi nối tiếp:',
    standalone: 'Câu hỏi đầy đủ:',
  },
  en: {
    system:
      "Rewrite the learner's follow-up question as ONE standalone question that can be understood without the conversation. " +
      'Write it in English, keep names and numbers. Do not answer it. Output only the question, nothing else. ' +
      'If the question already stands alone, copy it unchanged.',
    conversation: 'Conversation:',
    learner: 'Learner',
    assistant: 'Assistant',
    followUp: 'Follow-up question:',
    standalone: 'Standalone question:',
  },
} as const;

/** Strips what models wrap around a one-line answer: reasoning, labels, quotes. */
export function cleanRewrite(output: string): string {
  const withoutThinking = output.replace(/<think>[\s\S]*?<\/think>/gi, '');
  const line = withoutThinking.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line
    .replace(/^(câu hỏi đầy đủ|câu hỏi|standalone question|question)\s*:\s*/i, '')
    .replace(/^["'“”‘’«»「」`*]+|["'“”‘’«»「」`*]+$/g, '')
    .trim();
}

/**
 * Asks the model to rewrite a follow-up question into a standalone one, in the same language,
 * from the last three turns (answers cut to about 300 characters). Falls back to the question
 * itself when the output is empty or suspiciously long. Throws on a model error or abort.
 */
export async function rewriteWithModel(
  model: ChatOpenAI,
  history: readonly Turn[],
  question: string,
  lang: Language,
  signal?: AbortSignal,
): Promise<string> {
  const prompt = rewritePrompts[lang];
  const turns = history.slice(-maxTurns).flatMap((turn) => [
    `${prompt.learner}: ${truncate(turn.question, maxAnswerChars)}`,
    `${prompt.assistant}: ${truncate(turn.answer, maxAnswerChars)}`,
  ]);
  const messages = [
    new SystemMessage(prompt.system),
    new HumanMessage([prompt.conversation, ...turns, '', `${prompt.followUp} ${question.trim()}`, '', prompt.standalone].join('\n')),
  ];
  const reply = await model.invoke(messages, signal ? { signal } : {});
  const text = typeof reply.content === 'string' ? reply.content : reply.text;
  const rewritten = cleanRewrite(text);
  if (rewritten === '' || rewritten.length > question.length * 3 + 200) return question;
  return rewritten;
}

/** Words that open a follow-up ("còn lớp tối?", "what about…"). */
const leadingMarkers = ['còn', 'thế còn', 'vậy', 'vậy thì', 'thế thì', 'nhưng', 'what about', 'how about', 'and', 'also', 'what if'];
/** Words that point back at something said before ("thì sao", "nó", "it"). */
const pointingMarkers = ['thì sao', 'thế nào nữa', 'nó', 'cái đó', 'cái này', 'điều đó', 'việc đó', 'chỗ đó', 'lớp đó', 'khóa đó', 'it', 'that', 'this one', 'them', 'those'];
const maxFollowUpSyllables = 8;

function normalizeForMarkers(text: string, fold: boolean): string {
  const lower = normalizeToneMarks(text.normalize('NFC').toLowerCase());
  const base = fold ? foldDiacritics(lower) : lower;
  return ` ${base.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/**
 * The offline stand-in for the rewrite: a question that looks like a follow-up (at most eight
 * syllables, or with a marker such as "còn", "thì sao", "nó", "what about", "it") gets the
 * previous question put in front of it, so retrieval sees the topic; any other question is
 * returned unchanged. Typed with diacritics, markers are compared with their diacritics (so
 * "nợ" is not "nó"); typed without, on folded text ("con lop buoi toi thi sao").
 */
export function rewriteOffline(history: readonly Turn[], question: string): string {
  const previous = history.at(-1)?.question.trim();
  if (!previous) return question;
  const fold = !hasDiacritics(question);
  const text = normalizeForMarkers(question, fold);
  const syllables = text.trim() === '' ? 0 : text.trim().split(' ').length;
  const marker = (m: string) => normalizeForMarkers(m, fold);
  const followUp =
    syllables <= maxFollowUpSyllables ||
    leadingMarkers.some((m) => text.startsWith(marker(m))) ||
    pointingMarkers.some((m) => text.includes(marker(m)));
  return followUp ? `${previous} ${question.trim()}` : question;
}
