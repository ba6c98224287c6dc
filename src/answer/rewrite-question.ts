import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Language } from '../text/index.js';
import {
  contentWords,
  followUpMarker,
  genericIdf,
  isFollowUp,
  joinWithTopic,
  ownSubjectWords,
  ownThingWords,
  stripMarkers,
  topicCoverage,
  topicOf,
} from './follow-up.js';

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
  const line =
    withoutThinking
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
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
  model: BaseChatModel,
  history: readonly Turn[],
  question: string,
  lang: Language,
  signal?: AbortSignal,
): Promise<string> {
  const prompt = rewritePrompts[lang];
  const turns = history
    .slice(-maxTurns)
    .flatMap((turn) => [
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

/**
 * The offline rewrite without retrieval evidence: a question with an ellipsis or pointing marker
 * ("còn lớp EB thì sao?", "what about EC?", "which room is it in") or with no content word of
 * its own ("Mấy giờ?") is joined to the previous turn's topic ({@link joinWithTopic}); any
 * other question is returned unchanged. {@link resolveFollowUp} adds the retrieval evidence.
 */
export function rewriteOffline(history: readonly Turn[], question: string, idf: (term: string) => number = () => 1): string {
  const previous = history.at(-1)?.question.trim();
  if (!previous) return question;
  const own = contentWords(question).length;
  const functionWordsOnly = own === 0 && question.trim().split(/\s+/).length > 4;
  if (followUpMarker(question) === null && (own > 0 || functionWordsOnly)) return question;
  return joinWithTopic(previous, question, idf);
}

export interface FollowUpResolution<R> {
  /** The question as searched: the question itself, or joined to the previous topic. */
  searched: string;
  followUp: boolean;
  /** The retrieval of `searched`, already made. */
  retrieval: R;
}

/**
 * Decides from evidence whether a question follows up on the previous turn ({@link isFollowUp}):
 * retrieves the question alone and joined to the previous topic, and returns the one chosen with
 * its retrieval (so the answer does not retrieve again).
 */
export async function resolveFollowUp<
  R extends {
    answerability: number;
    threshold?: number;
    results?: ReadonlyArray<{ chunk: { text: string; headingPath: readonly string[] } }>;
  },
>(
  history: readonly Turn[],
  question: string,
  retrieve: (query: string) => Promise<R>,
  idf: (term: string) => number,
  defaultThreshold: number,
  /** The answer's decision on a search (the answer-or-decline model): weighed when both searches were made. */
  answers?: (searched: string, retrieval: R) => boolean,
): Promise<FollowUpResolution<R>> {
  const previous = history.at(-1)?.question.trim();
  const standalone = async () => ({ searched: question, followUp: false, retrieval: await retrieve(question) });
  if (!previous) return standalone();
  // A string of function words ("the a an of to is what how…") is no ellipsis: it stands alone.
  if (contentWords(question).length === 0 && question.trim().split(/\s+/).length > 4) return standalone();
  const joinedText = joinWithTopic(previous, question, idf);
  if (joinedText === question.trim()) return standalone();
  // What the question names of its own: nothing in "mấy giờ đóng cửa?", "có mất tiền không?"
  // (only what is asked about a thing), so the thing is the previous turn's.
  const own = ownThingWords(question);
  const marker = followUpMarker(question) !== null;
  // Decided without retrieval evidence: one search, not two (the latency of later turns).
  if (marker || own.length === 0) return { searched: joinedText, followUp: true, retrieval: await retrieve(joinedText) };
  if (ownSubjectWords(question, previous).length > 0) return standalone();
  const [alone, joined] = [await retrieve(question), await retrieve(joinedText)];
  const passages = (r: R) => (r.results ?? []).slice(0, 3).map((x) => ({ heading: x.chunk.headingPath.at(-1) ?? '', text: x.chunk.text }));
  const topic = () => topicOf(previous, stripMarkers(question), idf).map((w) => w.text);
  const words = contentWords(question);
  const followUp = isFollowUp({
    marker,
    contentWords: own.length,
    genericOnly: words.every((w) => idf(w.folded) < genericIdf),
    namesOwnSubject: false,
    alone: alone.answerability,
    joined: joined.answerability,
    threshold: alone.threshold ?? defaultThreshold,
    ...(answers ? { answered: { alone: answers(question, alone), joined: answers(joinedText, joined) } } : {}),
    // Measured only if the cheaper evidence leaves the decision open (rule 6 of isFollowUp).
    get coverage() {
      return topicCoverage(
        topic(),
        words.map((w) => w.text),
        passages(alone),
        passages(joined),
        idf,
      );
    },
  });
  return followUp ? { searched: joinedText, followUp, retrieval: joined } : { searched: question, followUp, retrieval: alone };
}
