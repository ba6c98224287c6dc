import type { Conversation } from './conversation-schema.js';
import { expectedPattern, foldForMatch } from './score-turn.js';

/**
 * Checks a set against the materials it is asked over: every turn that expects facts must have at
 * least one of its `any` strings, and every `all` string, somewhere in the documents' text. A
 * string found nowhere is a typo or a spelling the materials do not use, and the turn could never
 * be scored right. Returns one warning per such turn.
 */
export function lintConversations(conversations: readonly Conversation[], documentTexts: readonly string[]): string[] {
  const folded = documentTexts.map(foldForMatch);
  const found = (expected: string) => {
    const pattern = expectedPattern(expected);
    return pattern !== null && folded.some((text) => pattern.test(text));
  };
  const warnings: string[] = [];
  for (const c of conversations) {
    c.turns.forEach((t, i) => {
      if (t.expect === 'decline') return;
      if (!t.expect.any.some(found)) warnings.push(`${c.id} turn ${i + 1}: none of ${JSON.stringify(t.expect.any)} is in the materials`);
      for (const e of t.expect.all ?? []) if (!found(e)) warnings.push(`${c.id} turn ${i + 1}: "${e}" (all) is not in the materials`);
    });
  }
  return warnings;
}
