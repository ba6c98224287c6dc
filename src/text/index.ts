export { foldDiacritics, hasDiacritics } from './fold-diacritics.js';
export { normalizeToneMarks } from './normalize-tone-marks.js';
export { nfcWithoutControls, normalizeForMatch } from './normalize-text.js';
export { tokenize, englishStopwords, type Token } from './tokenize.js';
export { splitSentences, type Sentence } from './split-sentences.js';
export { detectLanguage, type Language } from './detect-language.js';
export { questionPhrases, questionTokenMask, questionWords } from './question-words.js';
export { findLongCombiningRun, limitCombiningRuns, maxCombiningRun, normalizeBounded } from './combining-marks.js';
export { escapeHtml } from './escape-html.js';
