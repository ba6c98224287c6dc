export type { AnswerEvent, AnswerMode, Citation, Source } from './answer-events.js';
export { answerMessages } from './messages.js';
export { selectSentences, defaultSelectionSettings, type SelectedSentence, type SelectionSettings } from './select-sentences.js';
export { extractiveAnswer, toSources, toCitation } from './extractive-answerer.js';
