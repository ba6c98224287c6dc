import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** What kind of question a golden line is, for the per-type breakdown. */
export const questionTypes = ['factoid', 'procedure', 'no-diacritics', 'typo', 'follow-up', 'unanswerable', 'english'] as const;
export type QuestionType = (typeof questionTypes)[number];

/**
 * Where the answer is: a corpus file name and, for PDFs, the 1-based page; for other formats a
 * heading text (`section`); neither for a plain-text file without headings (any chunk of the
 * document counts). `grade` is the graded relevance used by nDCG (default 1; 2 = states the
 * answer fully, 1 = also states it, in passing or in a duplicate).
 */
export const goldPassageSchema = z
  .object({
    doc: z.string().min(1),
    page: z.number().int().positive().optional(),
    section: z.string().min(1).optional(),
    grade: z.number().int().min(1).max(3).optional(),
  })
  .strict()
  .refine((g) => g.page === undefined || g.section === undefined, { message: 'a gold passage has a page or a section, not both' });
export type GoldPassage = z.infer<typeof goldPassageSchema>;

/** One line of `evals/golden/*.jsonl`. */
export const goldenQuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    question: z.string().min(1),
    lang: z.enum(['vi', 'en']),
    type: z.enum(questionTypes),
    answerable: z.boolean(),
    gold: z.array(goldPassageSchema),
    /** A reference answer written from the source (token F1 is measured against it). */
    reference: z.string(),
    /** Short gold answers: the answer contains one of them (containment). */
    answers: z.array(z.string().min(1)).default([]),
    /** Phrases a complete answer contains (key-phrase recall). */
    keyphrases: z.array(z.string().min(1)),
    /** Id of the previous turn: this question is asked with that turn as the conversation. */
    followUpOf: z.string().optional(),
    /** Id of the same question typed with diacritics (for the diacritics gap). */
    variantOf: z.string().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const issue = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (q.answerable && q.gold.length === 0) issue('an answerable question needs at least one gold passage', 'gold');
    if (!q.answerable && q.gold.length > 0) issue('an unanswerable question has no gold passage', 'gold');
    if ((q.type === 'unanswerable') === q.answerable) issue('type "unanswerable" if and only if answerable is false', 'type');
    if (q.answerable && q.answers.length === 0) issue('an answerable question needs at least one short answer', 'answers');
    if (q.answerable && q.keyphrases.length === 0) issue('an answerable question needs key phrases', 'keyphrases');
    if (q.type === 'follow-up' && !q.followUpOf) issue('a follow-up names the question it follows (followUpOf)', 'followUpOf');
    if ((q.type === 'no-diacritics' || q.type === 'typo') && !q.variantOf)
      issue(`a ${q.type} question names its original (variantOf)`, 'variantOf');
  });
export type GoldenQuestion = z.infer<typeof goldenQuestionSchema> & { /** File it came from. */ file: string };

/** Parses one JSONL file; errors name the file and line. */
export function parseGoldenFile(text: string, file: string): GoldenQuestion[] {
  const out: GoldenQuestion[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = goldenQuestionSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((p) => `${p.path.join('.') || '(line)'}: ${p.message}`).join('; ');
      throw new Error(`${file}:${i + 1}: ${problems}`);
    }
    out.push({ ...parsed.data, file });
  });
  return out;
}

/**
 * Checks what one line cannot: ids are unique, `followUpOf` and `variantOf` name existing
 * questions, follow-up chains have no cycle, and a no-diacritics variant really has none.
 */
export function checkGoldenReferences(questions: readonly GoldenQuestion[]): void {
  const byId = new Map<string, GoldenQuestion>();
  for (const q of questions) {
    if (byId.has(q.id)) throw new Error(`duplicate question id "${q.id}" (${byId.get(q.id)!.file} and ${q.file})`);
    byId.set(q.id, q);
  }
  for (const q of questions) {
    if (q.followUpOf !== undefined && !byId.has(q.followUpOf)) throw new Error(`${q.id}: followUpOf "${q.followUpOf}" is not a question`);
    if (q.variantOf !== undefined) {
      const original = byId.get(q.variantOf);
      if (!original) throw new Error(`${q.id}: variantOf "${q.variantOf}" is not a question`);
      if (original.variantOf !== undefined) throw new Error(`${q.id}: variantOf must name an original, not another variant`);
      if (q.type === 'no-diacritics' && q.question.normalize('NFD').replace(/[\u0300-\u036f]/g, '') !== q.question.normalize('NFD')) {
        throw new Error(`${q.id}: a no-diacritics question has diacritics`);
      }
      if (q.type === 'no-diacritics' && /[đĐ]/.test(q.question)) throw new Error(`${q.id}: a no-diacritics question has "đ"`);
    }
    const seen = new Set<string>([q.id]);
    for (let at = q.followUpOf; at !== undefined; at = byId.get(at)?.followUpOf) {
      if (seen.has(at)) throw new Error(`${q.id}: follow-up chain loops at "${at}"`);
      seen.add(at);
    }
  }
}

/** Loads and checks every `*.jsonl` of a folder, files in name order, lines in file order. */
export function loadGoldenSets(dir: string): GoldenQuestion[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) throw new Error(`no *.jsonl golden set in ${dir}`);
  const questions = files.flatMap((f) => parseGoldenFile(readFileSync(join(dir, f), 'utf8'), f));
  checkGoldenReferences(questions);
  return questions;
}
