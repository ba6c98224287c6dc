/**
 * Words that ask rather than say (`bao nhiêu`, `là gì`, `how`), compared without diacritics.
 * A passage that answers rarely contains them, so queries weigh them little and answerability
 * does not count them.
 */
export const questionWords: ReadonlySet<string> = new Set(
  (
    'bao nhieu gi nao sao the nhu ai dau khi luc may co khong duoc la cua va cho toi minh em anh chi ban hoi xin vui long a oi nhe vay thi o can phai muon biet ' +
    'what how when where which who whom whose why do does did can could would should is are was were i me my you your we our much many'
  ).split(' '),
);

/**
 * Two-word question phrases whose words also carry content elsewhere (`giờ` in `giờ học`,
 * `gì`, `nào`): only as a pair do they just ask. Folded, space-separated.
 */
export const questionPhrases: ReadonlySet<string> = new Set([
  'may gio',
  'bao gio',
  'bao lau',
  'the nao',
  'tai sao',
  'vi sao',
  'o dau',
  'la gi',
  'khi nao',
  'luc nao',
  'ngay nao',
  'thang nao',
  'nam nao',
  'hom nao',
  'gio nao',
  'bao nhieu',
  'cho nao',
  'noi nao',
  'what time',
  'how long',
  'how much',
  'how many',
]);

/** For each token (by folded form), whether it only asks: a question word or part of a question phrase. */
export function questionTokenMask(folded: readonly string[]): boolean[] {
  const mask = folded.map((w) => questionWords.has(w));
  for (let i = 1; i < folded.length; i++) {
    if (questionPhrases.has(`${folded[i - 1]} ${folded[i]}`)) mask[i - 1] = mask[i] = true;
  }
  return mask;
}
