/** Minutes after midnight of a time as the materials write it (`7h30`, `18:00`, `7 giờ`, `8:00 am`); NaN when none. */
export function minutesOf(text: string): number {
  const m = /(\d{1,2})\s?(?:h|:|giờ)?\s?(\d{2})?\s*(am|pm)?/i.exec(text);
  if (!m) return NaN;
  const hour = (Number(m[1]) % 12) + (m[3]?.toLowerCase() === 'pm' ? 12 : m[3] ? 0 : Number(m[1]) >= 12 ? 12 : 0);
  return hour * 60 + Number(m[2] ?? 0);
}

const time = String.raw`\d{1,2}(?:\s?h\s?\d{0,2}|:\d{2}|\s?giờ(?:\s?\d{1,2})?)`;
const endAfter = new RegExp(String.raw`^\s*(?:–|-|đến|tới|to|until)\s*(${time})`, 'iu');
const startBefore = new RegExp(String.raw`(${time})\s*(?:–|-|đến|tới|to|until)\s*$`, 'iu');

/**
 * What a time distractor must satisfy in its sentence: a time opening a range ("___–16h05",
 * "từ ___ đến 21h00") comes before the range's end, one closing it after its start, and "tối",
 * "evening" ask for an evening time. (The review found 21h00 offered as the start of "___–16h05".)
 */
export function timeFits(sentence: string, keyStart: number, keyEnd: number): (candidate: string) => boolean {
  const end = endAfter.exec(sentence.slice(keyEnd))?.[1];
  const start = startBefore.exec(sentence.slice(0, keyStart))?.[1];
  const evening = /(?:^|\s)(?:tối|buổi tối|evening|evenings)(?=\s|[,.;:)]|$)/iu.test(sentence);
  return (candidate) => {
    const t = minutesOf(candidate);
    if (!Number.isFinite(t)) return false;
    if (end !== undefined && t >= minutesOf(end)) return false;
    if (start !== undefined && t <= minutesOf(start)) return false;
    if (evening && t < 16 * 60) return false;
    return true;
  };
}
