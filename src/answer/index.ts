export type { AnswerEvent, AnswerMode, Citation, Source } from './answer-events.js';
export { answerMessages } from './messages.js';
export { selectSentences, defaultSelectionSettings, type SelectedSentence, type SelectionSettings } from './select-sentences.js';
export { extractiveAnswer, toSources, toCitation } from './extractive-answerer.js';
export { createChatModel, createChatModelFromConfig, type ChatModelOptions } from './chat-model.js';
export { createCitationFilter, filterCitations, citedNumbers, maxCitationLength, type CitationFilter } from './citation-filter.js';
export { buildGroundedMessages, escapeSourceText, fenceSource, type GroundedPromptOptions } from './grounded-prompt.js';
export { rewriteWithModel, rewriteOffline, resolveFollowUp, cleanRewrite, type Turn, type FollowUpResolution } from './rewrite-question.js';
export { isFollowUp, joinWithTopic, topicOf, followUpMarker, type FollowUpEvidence } from './follow-up.js';
export { detectAnswerType, findAnswerSpans, answerSpanStrength, type AnswerType, type DetectedAnswerType } from './answer-type.js';
export {
  answerQuestion,
  isRefusal,
  LlmAnswerError,
  type AnswerRequest,
  type AnswerDeps,
  type AnswerRecord,
  type VerifiedHit,
} from './answer-question.js';
export { validityNote, narrowestValidity } from './validity-note.js';
