/**
 * Sentences no item may come from: a question (its answer is not in it), an example list (what it
 * names are instances, not facts to remember), a heading or label, a fragment too short to give
 * a blank its context, or one too long to read as a question.
 */
export function unfitReason(
  sentence: string,
): 'question' | 'example-list' | 'too-short' | 'too-long' | 'not-a-sentence' | 'needs-context' | null {
  if (/[?？]["'”»)*]*\s*$/.test(sentence) || /[?？]\s/.test(sentence)) return 'question';
  if (/(?:^|[\s(])(?:ví dụ|vd\.|chẳng hạn|for example|for instance|such as|e\.g\.)(?=[\s:,)]|$)/iu.test(sentence)) return 'example-list';
  if (/[:：]\s*$/.test(sentence)) return 'example-list';
  // A list of four or more short items is a list to recognise, not a fact to recall.
  if ((sentence.match(/[,;]/g) ?? []).length >= 4) return 'example-list';
  // "Như vậy, …", "Therefore …": the fact is the previous sentence's, the blank would be unclear alone.
  if (/^(?:Như vậy|Do đó|Vì vậy|Vì thế|Khi đó|Therefore|Thus|So|This means)\b/u.test(sentence)) return 'needs-context';
  // A sample message quoted in a lesson (a scam, an e-mail) is an example, not a fact.
  if (/^["“]|["”]$/u.test(sentence)) return 'example-list';
  const words = sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length < 6) return 'too-short';
  if (words.length > 45) return 'too-long';
  // Table rows and labels: separators, no verb-like length, or mostly digits.
  // Two sentences the splitter could not part (formulas, a heading run into its text).
  if (/[\p{Ll}\d)]{2,}[.!]\s+[\p{Lu}=]/u.test(sentence) || /=\p{Lu}+\(/u.test(sentence)) return 'not-a-sentence';
  if (/\|/.test(sentence) || /^[#>]/.test(sentence)) return 'not-a-sentence';
  return null;
}
