import type { Language } from '../text/index.js';

/** Words the answerers say themselves, in both languages. */
export const answerMessages = {
  notCovered: {
    vi: 'Tài liệu của trung tâm chưa có thông tin này. Bạn hãy hỏi giáo viên hoặc bộ phận hỗ trợ học viên của trung tâm nhé.',
    en: "The center's materials do not cover this yet. Please ask your teacher or the center's learner support office.",
  },
  emptyQuestion: {
    vi: 'Bạn hãy nhập câu hỏi nhé.',
    en: 'Please type a question.',
  },
} as const satisfies Record<string, Record<Language, string>>;
