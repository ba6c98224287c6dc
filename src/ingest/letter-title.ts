import { singleLineText, isAllCaps } from './normalize-text.js';

/**
 * Kinds of Vietnamese administrative documents (the names of Nghị định 30/2020/NĐ-CP, plus the
 * few a school or center also sends). In a letter the kind stands alone, in capitals, under the
 * header; the line after it says what the document is about.
 */
const documentKinds = [
  'THÔNG BÁO',
  'QUYẾT ĐỊNH',
  'KẾ HOẠCH',
  'CÔNG VĂN',
  'TỜ TRÌNH',
  'BÁO CÁO',
  'HƯỚNG DẪN',
  'CHỈ THỊ',
  'QUY CHẾ',
  'QUY ĐỊNH',
  'BIÊN BẢN',
  'GIẤY MỜI',
  'THƯ MỜI',
  'NGHỊ QUYẾT',
  'CHƯƠNG TRÌNH',
  'ĐỀ ÁN',
  'PHƯƠNG ÁN',
  'THÔNG TƯ',
  'NGHỊ ĐỊNH',
  'GIẤY GIỚI THIỆU',
  'THƯ NGỎ',
  'LỊCH',
];
const kindLine = new RegExp(`^(${documentKinds.join('|')})(?=$|[\\s:.,-])`, 'u');

/**
 * Parts of the administrative header ("thể thức") that come before the title: the issuing body
 * in capitals (SỞ…, TRUNG TÂM…, UBND…), the national motto, the number and the place and date.
 */
const headerParts = [
  /^(?:CỘNG HÒA|CỘNG HOÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM$/u,
  /^Độc lập\s*[-–—]\s*Tự do\s*[-–—]\s*Hạnh phúc$/iu,
  /^Số\s*:/iu,
  /^(?:[\p{L}. ]{2,40},\s*)?ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\.?$/iu,
  /^[-_=*~.·]{3,}$/u,
];
const issuingBody =
  /^(?:SỞ|BỘ|UBND|ỦY BAN|UỶ BAN|TRUNG TÂM|TRƯỜNG|PHÒNG|HỘI ĐỒNG|BAN|CÔNG TY|VIỆN|ĐẠI HỌC|CỤC|TỔNG CỤC|CHI CỤC|ĐẢNG ỦY|ĐOÀN)(?=\s|$)/u;

/** Lines set side by side (body left, motto right) are split on runs of three or more spaces. */
const columns = (line: string) =>
  line
    .split(/\s{3,}|\t+/)
    .map(singleLineText)
    .filter(Boolean);

/** True for a line of the administrative header, or of two header columns side by side. */
export function isHeaderLine(line: string): boolean {
  const parts = columns(line);
  return (
    parts.length > 0 &&
    parts.every((p) => headerParts.some((re) => re.test(p)) || (isAllCaps(p) && issuingBody.test(p) && !kindLine.test(p)))
  );
}

/** A subject line can follow the kind: not a header part, a legal basis or an addressee. */
const notSubject = /^(?:Căn cứ|Kính gửi|Số\s*:)/iu;

/** How many leading lines to look through: headers run to six or seven lines, often fewer. */
const SEARCH_LINES = 12;

export interface LetterTitle {
  /**
   * "Thông báo: Lịch nghỉ lễ, Tết năm học 2026-2027", "Quyết định về việc ban hành quy chế thi";
   * undefined when the line after the header is no title ("Kính gửi: …", a long paragraph).
   */
  title?: string;
  /** Index of the kind line among the lines given. */
  start: number;
  /** Index after the last title line (the kind line, and the subject line when there is one). */
  end: number;
}

/**
 * The title of a Vietnamese official letter in plain text, or undefined when `lines` (non-empty
 * lines in order) do not start with an administrative header. The first line after the header
 * that names a kind of document ("THÔNG BÁO", "QUYẾT ĐỊNH", "KẾ HOẠCH"…) is the title, joined
 * with its subject line: the header names who wrote the letter (the same for every letter a
 * center sends), the kind and subject name the letter. The kind alone is written in sentence
 * case ("Thông báo"), the subject as it is; "Về việc"/"V/v" subjects follow without a colon.
 * When no kind line is found, the first line after the header is the title ("V/v …" read as
 * "Về việc …"), unless it is an addressee or too long: then there is none (`title` undefined) and
 * the file name is better than the department's name.
 * @example findLetterTitle(['SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HÒA AN', 'THÔNG BÁO', 'Lịch nghỉ lễ, Tết'])
 *   // { title: 'Thông báo: Lịch nghỉ lễ, Tết', start: 1, end: 3 }
 */
export function findLetterTitle(lines: readonly string[], maxChars = 160): LetterTitle | undefined {
  const head = lines.slice(0, SEARCH_LINES);
  if (!head[0] || !isHeaderLine(head[0])) return undefined;
  let start = 0;
  while (start < head.length && isHeaderLine(head[start]!)) start++;
  const first = singleLineText(head[start] ?? '');
  const kind = kindLine.exec(first)?.[1];
  if (!kind) {
    // A công văn has no kind line: its subject sits under the number as "V/v …".
    if (/^V\/v(?=\s|$)/u.test(first)) return { title: first.replace(/^V\/v\s*/u, 'Về việc '), start, end: start + 1 };
    const usable = first !== '' && first.length <= maxChars && !notSubject.test(first);
    return usable ? { title: first, start, end: start + 1 } : { start, end: start };
  }
  const subject = singleLineText(head[start + 1] ?? '');
  const usable = first === kind && subject !== '' && subject.length <= maxChars && !notSubject.test(subject) && !isHeaderLine(subject);
  if (!usable) return { title: first, start, end: start + 1 };
  const sentenceCase = kind.charAt(0) + kind.slice(1).toLocaleLowerCase('vi');
  const about = /^(?:Về việc|V\/v)(?=\s|$)/iu.test(subject);
  const title = about ? `${sentenceCase} ${subject.replace(/^(?:Về việc|V\/v)/iu, 'về việc')}` : `${sentenceCase}: ${subject}`;
  return { title, start, end: start + 2 };
}
