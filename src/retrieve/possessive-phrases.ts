import { foldDiacritics, questionTokenMask, tokenize } from '../text/index.js';
import { vietnameseFunctionWords } from './answerability.js';

/** "X của Y": what the question asks of (`attribute`, "thủ đô") and whose it is (`owner`, "Pháp"), folded, in question order. */
export interface PossessivePhrase {
  attribute: string[];
  owner: string[];
}

const foldedFunctionWords = new Set([...vietnameseFunctionWords].map((w) => foldDiacritics(w)));

/**
 * The "X của Y" phrases of a question, in any case and with or without marks ("Thủ đô của
 * Pháp", "thu do cua nhat ban"): up to two words on each side of "của" ("cua" typed without
 * marks), stopping at punctuation, question words and function words. A capital tells names
 * only in questions typed with care; "của" ties the attribute to its owner in every question,
 * so materials covering it put the two side by side (`Retriever.salientCovered`).
 *
 * Typed without marks, a syllable may be a function word or part of the attribute ("do" of
 * "thu do" is "đô"): it stays in the attribute when `isPhrase` says it forms, with the word
 * before it, a phrase the materials use.
 *
 * @example possessivePhrases('thu do cua nhat ban la gi', (p) => p === 'thu do')
 *   // [{ attribute: ['thu', 'do'], owner: ['nhat', 'ban'] }]
 */
export function possessivePhrases(query: string, isPhrase: (bigram: string) => boolean = () => false): PossessivePhrase[] {
  const tokens = tokenize(query.normalize('NFC')).filter((t) => !t.extra);
  const asks = questionTokenMask(tokens.map((t) => t.folded));
  const marked = (i: number) => tokens[i]!.exact !== tokens[i]!.folded;
  // A word that only asks or links: judged with its marks when it has them ("đô" is neither).
  const linking = (i: number) => {
    const t = tokens[i]!;
    if (marked(i)) return vietnameseFunctionWords.has(t.exact) || (asks[i]! && foldDiacritics(t.exact) === t.exact);
    return foldedFunctionWords.has(t.folded) || asks[i]!;
  };
  const phrases: PossessivePhrase[] = [];
  tokens.forEach((t, k) => {
    if (t.folded !== 'cua' || (marked(k) && t.exact !== 'của')) return;
    const attribute: string[] = [];
    for (let j = k - 1, next = k; j >= 0 && attribute.length < 2 && !tokens[next]!.breakBefore; next = j, j--) {
      // An unmarked linking word stays when it ends a phrase with the word before it ("thu do").
      const kept =
        !linking(j) ||
        (!marked(j) && j > 0 && !tokens[j]!.breakBefore && !linking(j - 1) && isPhrase(`${tokens[j - 1]!.folded} ${tokens[j]!.folded}`));
      if (!kept) break;
      attribute.unshift(tokens[j]!.folded);
    }
    const owner: string[] = [];
    for (let j = k + 1; j < tokens.length && owner.length < 2 && !tokens[j]!.breakBefore && !linking(j); j++) owner.push(tokens[j]!.folded);
    if (attribute.length > 0 && owner.length > 0) phrases.push({ attribute, owner });
  });
  return phrases;
}
