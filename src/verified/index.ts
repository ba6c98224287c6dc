export { VerifiedMatcher, defaultMatchSettings, type MatchSettings, type MatcherDeps, type VerifiedMatch } from './verified-matcher.js';
export { matchScore, cosine } from './match-score.js';
export { matchTerms } from './match-terms.js';
export { todayOf, isValidOn, validityStatus, addDays, type Validity } from './validity.js';
export { matcherDepsOf } from './matcher-deps.js';
export { VerifiedAnswers, verifiedAnswersFor, type VerifiedAnswersOptions } from './verified-answers.js';
export { curatedAnswerDeps } from './curated-answer-deps.js';
