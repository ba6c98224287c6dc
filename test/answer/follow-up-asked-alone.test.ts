/**
 * A follow-up decided by its marker alone that the answer would decline joined to the previous
 * topic is asked alone too (round 7): the learner may have changed the subject with a
 * follow-up's opening words.
 */
import { describe, expect, it, vi } from 'vitest';
import { answerQuestion, type AnswerDeps } from '../../src/answer/index.js';
import { fakeRetrieval, run } from './answer-fixtures.js';

const history = [{ question: 'Lịch học lớp tin học thế nào?', answer: 'Có lớp sáng và lớp tối.' }];

function deps(answersAlone: boolean) {
  const asked = 'Còn lớp buổi tối thì sao?';
  // Joined to the topic the materials do not answer; asked as written, they do (or not).
  const retrieve = vi.fn(async (query: string) => fakeRetrieval(query, query === asked && answersAlone));
  const d: AnswerDeps = { retrieve, idf: () => 1, chat: null, timeoutMs: 1_000 };
  return { d, retrieve, asked };
}

describe('a follow-up declined joined to the topic', () => {
  it('is answered as asked when the materials answer it alone', async () => {
    const { d, retrieve, asked } = deps(true);
    const { record } = await run(answerQuestion({ question: asked, history }, d));
    expect(retrieve.mock.calls.map((c) => c[0]).at(-1)).toBe(asked);
    expect(record.rewrittenQuestion).toBe(asked);
    expect(record.answerable).toBe(true);
  });

  it('stays the joined search, declined, when the question alone is not answered either', async () => {
    const { d, asked } = deps(false);
    const { record } = await run(answerQuestion({ question: asked, history }, d));
    expect(record.rewrittenQuestion).not.toBe(asked);
    expect(record.answerable).toBe(false);
  });
});
