/**
 * Words that ask rather than say (`bao nhiêu`, `là gì`, `how`), compared without diacritics.
 * A passage that answers rarely contains them, so queries weigh them little and answerability
 * does not count them.
 */
export const questionWords: ReadonlySet<string> = new Set(
  ('bao nhieu gi nao sao the nhu ai dau khi may co khong duoc la cua va cho toi minh em anh chi ban hoi xin vui long a oi nhe vay thi o can phai muon biet ' +
    'what how when where which who whom whose why do does did can could would should is are was were i me my you your we our much many').split(' '),
);
