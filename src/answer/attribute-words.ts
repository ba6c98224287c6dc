import { foldDiacritics, normalizeToneMarks } from '../text/index.js';

/**
 * Words that name what is asked *about* a thing rather than the thing: its hours ("mở cửa",
 * "đóng cửa", "làm việc", "giờ"), its price ("phí", "tiền", "giá", "cost"), its contact ("số điện
 * thoại", "email", "địa chỉ"), its place ("phòng", "tầng", "ở đâu"), its schedule ("ngày",
 * "hạn", "khai giảng", "diễn ra"), a count or a length ("lượt", "bao lâu", "chỗ ngồi"), who
 * runs it ("trưởng", "phụ trách"), how to do it ("cách", "thủ tục", "hồ sơ").
 *
 * A learner's question is a thing and something asked about it ("thư viện" + "mở cửa mấy
 * giờ"). A later question made only of such words ("mấy giờ đóng cửa?", "có mất tiền không?",
 * "trưởng phòng là ai?") names no thing of its own: its thing is the previous turn's, whatever
 * it retrieves alone (alone, "mấy giờ đóng cửa?" finds the library's Sunday closing, about any
 * thing but the one meant). A closed class, like question words: it lists relations, never the
 * things of a centre's materials, so it does not grow with them.
 *
 * Written with marks, a word is looked up with them ("cửa" is not "cua"); without, folded.
 */
const attributeWordsVi =
  'giờ ngày tháng lịch hạn lúc thời gian mở đóng cửa làm việc hoạt động bắt đầu kết thúc diễn khai giảng kéo dài trực ' +
  'phí tiền giá mất tốn trả nộp miễn giảm lệ ' +
  'số điện thoại email mail địa chỉ sdt sđt hotline gọi liên hệ trang web website ' +
  'phòng tầng chỗ nơi ngồi ' +
  'lượt lần mỗi tiết buổi bao lâu ' +
  'học thi dùng sử dụng đăng ký được cần đọc xảy ' +
  'người trưởng phụ trách ' +
  'cách thủ tục hồ sơ gồm những bước';
const attributeWordsEn =
  'time times hour hours open opens opening close closes closing start starts begin begins end ends held hold meet meets ' +
  'cost costs price fee fees pay paid charge free tuition ' +
  'phone number email address contact call website ' +
  'room floor located place ' +
  'date day days deadline long many much ' +
  'register registration apply study studies taught teach ' +
  'head charge who person ' +
  'how way steps need';

const marked = new Set(attributeWordsVi.split(' ').map((w) => normalizeToneMarks(w)));
const english = new Set(attributeWordsEn.split(' '));
const folded = new Set([...attributeWordsVi.split(' '), ...attributeWordsEn.split(' ')].map((w) => foldDiacritics(normalizeToneMarks(w))));

/**
 * Whether a word (as written) only names what is asked about a thing. In a text typed with marks
 * (`markedText`) it is compared with its marks ("gia" of "gia hạn" is not "giá"); without, folded.
 * English words are compared as they are.
 */
export function isAttributeWord(word: string, markedText: boolean): boolean {
  const lower = normalizeToneMarks(word.normalize('NFC')).toLowerCase();
  const plain = foldDiacritics(lower);
  if (markedText || plain !== lower) return marked.has(lower) || english.has(lower);
  return folded.has(plain);
}
