import { containsPhrase } from './normalize-answer.js';
import type { ChunkInfo } from './corpus-engine.js';
import type { EvalQuestion } from './eval-types.js';
import { matchesGold } from './gold-match.js';

/**
 * Checks the golden sets against the ingested corpus before asking anything:
 * - error: a gold passage that no chunk matches (a wrong page, a misspelt section);
 * - warning: an answerable question whose gold passages contain none of its short answers, or a
 *   passage graded 2 that does not (the gold points at the wrong place, or the short answer is
 *   worded differently).
 */
export function lintGolden(questions: readonly EvalQuestion[], chunks: readonly ChunkInfo[]): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const holdsAnswer = (q: EvalQuestion, c: ChunkInfo) => q.answers.some((a) => containsPhrase(`${c.headingPath.join('\n')}\n${c.text}`, a));
  for (const q of questions) {
    let answered = false;
    q.gold.forEach((g, i) => {
      const where = g.page !== undefined ? `page ${g.page}` : g.section !== undefined ? `section "${g.section}"` : 'the document';
      const matching = chunks.filter((c) => matchesGold(c, g));
      if (matching.length === 0) {
        errors.push(`${q.id}: gold[${i}] ${g.doc} ${where} matches no chunk`);
        return;
      }
      const holds = matching.some((c) => holdsAnswer(q, c));
      answered ||= holds;
      // A passage graded 1 may state the fact in other words or in the other language.
      if (!holds && q.answerable && q.answers.length && (g.grade ?? 1) >= 2)
        warnings.push(`${q.id}: gold[${i}] ${g.doc} ${where} (grade ${g.grade}) contains none of the short answers`);
    });
    if (q.answerable && q.answers.length && q.gold.length && !answered)
      warnings.push(`${q.id}: no gold passage contains any of the short answers`);
  }
  return { errors, warnings };
}
