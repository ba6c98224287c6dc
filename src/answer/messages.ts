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

/** The opening of a decline when the materials cover the topic but not the fact asked. */
export const missingFactMessages: Record<Language, (what: string) => string> = {
  vi: (what) => `Tài liệu của trung tâm không nêu ${what} bạn hỏi. Điều gần nhất tài liệu có nói:`,
  en: (what) => `The center's materials do not give ${what} you asked for. The closest thing they say:`,
};
