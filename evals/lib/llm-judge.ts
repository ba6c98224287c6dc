import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import type { JudgeScore } from './eval-types.js';

/** What the judge sees of one answer. */
export interface JudgeInput {
  question: string;
  answer: string;
  /** The sources the answer cites (or, for a refusal, the passages retrieved). */
  sources: Array<{ n: number; title: string; text: string }>;
}

/**
 * The fixed rubric, in the spirit of RAGAS faithfulness and answer relevance, scored on a
 * 1–5 scale by one model call per answer. Changing it changes every judged score: keep it
 * fixed between runs that are compared.
 */
export const judgeRubric = `You evaluate answers that a study assistant gave to adult learners of a continuing-education center. The assistant must answer only from the numbered sources it was given and must say so when the sources do not cover the question.

Rate ONE answer on two criteria with this fixed rubric.

faithfulness (is every claim of the answer supported by the sources below?):
5 = every claim is stated in the sources
4 = the main claims are supported; one minor detail is not in the sources
3 = some claims are supported, others are not in the sources
2 = most claims are not in the sources
1 = the answer contradicts the sources or invents facts
A refusal ("the materials do not cover this") scores 5 if the sources indeed do not contain the answer, 1 if they plainly do.

relevance (does the answer address the question that was asked?):
5 = answers the question directly and completely
4 = answers it, with a small omission or some unneeded material
3 = answers part of the question
2 = mostly beside the point
1 = does not address the question
A refusal scores 5 if the sources do not contain the answer, 1 if they plainly do.

Judge the text only; the answer may be in Vietnamese or English. Citation markers like [1] refer to the numbered sources.
Reply with ONE JSON object and nothing else, exactly in this form:
{"faithfulness": <integer 1-5>, "relevance": <integer 1-5>, "reason": "<one short sentence>"}`;

/** The messages of one judge call: the rubric, then the question, the sources (fenced) and the answer. */
export function buildJudgeMessages(input: JudgeInput): BaseMessage[] {
  const fence = (text: string) => text.replace(/<<<|>>>/g, '');
  const sources = input.sources.length
    ? input.sources.map((s) => `[${s.n}] ${fence(s.title)}\n<<<\n${fence(s.text)}\n>>>`).join('\n\n')
    : '(no sources)';
  const user = `Question:\n<<<\n${fence(input.question)}\n>>>\n\nSources:\n${sources}\n\nAnswer to rate:\n<<<\n${fence(input.answer)}\n>>>\n\nReply with the JSON object only.`;
  return [new SystemMessage(judgeRubric), new HumanMessage(user)];
}

const replySchema = z.object({
  faithfulness: z.coerce.number().int().min(1).max(5),
  relevance: z.coerce.number().int().min(1).max(5),
  reason: z.string().optional(),
});

/** A judge reply that is not the JSON the rubric asks for. */
export class JudgeReplyError extends Error {
  override readonly name = 'JudgeReplyError';
}

/**
 * Reads the judge's reply: the first `{…}` object (after any `<think>` block or code fence),
 * with integer `faithfulness` and `relevance` from 1 to 5.
 * @throws JudgeReplyError when there is no such object.
 */
export function parseJudgeReply(text: string): JudgeScore {
  const cleaned = text.replace(/<think>[\s\S]*?<\/think>/gi, '');
  const start = cleaned.indexOf('{');
  if (start < 0 || cleaned.indexOf('}', start) < 0) throw new JudgeReplyError(`no JSON object in the judge's reply: ${text.slice(0, 120)}`);
  // The shortest `{…}` from the first brace that parses (a "}" may sit inside the reason).
  let json: unknown;
  for (let end = cleaned.indexOf('}', start); end >= 0 && json === undefined; end = cleaned.indexOf('}', end + 1)) {
    try {
      json = JSON.parse(cleaned.slice(start, end + 1));
    } catch {
      // keep looking
    }
  }
  if (json === undefined) throw new JudgeReplyError(`the judge's reply is not valid JSON: ${cleaned.slice(start, start + 120)}`);
  const parsed = replySchema.safeParse(json);
  if (!parsed.success)
    throw new JudgeReplyError(
      `the judge's reply does not follow the rubric: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { faithfulness: parsed.data.faithfulness, relevance: parsed.data.relevance, reason: parsed.data.reason ?? '' };
}

/** Rates one answer (one non-streamed model call). Throws on an HTTP error or an unusable reply. */
export async function judgeAnswer(chat: ChatOpenAI, input: JudgeInput, signal?: AbortSignal): Promise<JudgeScore> {
  const reply = await chat.invoke(buildJudgeMessages(input), signal ? { signal } : {});
  const text = typeof reply.content === 'string' ? reply.content : reply.text;
  return parseJudgeReply(text);
}

/** Means of the usable ratings; `failed` counts the answers the judge could not rate. */
export function averageJudgeScores(scores: ReadonlyArray<JudgeScore | null>): {
  faithfulness: number | null;
  relevance: number | null;
  judged: number;
  failed: number;
} {
  const ok = scores.filter((s): s is JudgeScore => s !== null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return {
    faithfulness: mean(ok.map((s) => s.faithfulness)),
    relevance: mean(ok.map((s) => s.relevance)),
    judged: ok.length,
    failed: scores.length - ok.length,
  };
}
