/**
 * Conversations as a learner holds them, through POST /api/chat of the real service (openService
 * + createApp on a loopback port) over the shipped corpus (corpus/), SQLite and indexes in a
 * temporary folder. Regression tests of issue 14 (items 1-3) and issue 15 (stopwords).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/server/app-deps.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { converse as converseAt, startShippedService, type ChatReply, type ShippedService as Shipped } from '../support/shipped-service.js';

const startShipped = startShippedService;

let deps: AppDeps;
let baseURL: string;
let shipped: Shipped;

beforeAll(async () => {
  shipped = await startShipped();
  ({ deps, baseURL } = shipped);
}, 300_000);

afterAll(async () => {
  await shipped.close();
});

/** Asks the questions in one conversation, as the widget does (JSON answers). */
const converse = (questions: string[], base = baseURL): Promise<ChatReply[]> => converseAt(base, questions);

const searchedAs = async (reply: ChatReply) => (await deps.engine.store.conversations.getMessage(reply.messageId))!.rewrittenQuestion;

describe('a learner conversation over the shipped corpus (issue 14)', () => {
  it('short unrelated questions are not glued to the previous ones; each is answered with its fact', async () => {
    const [fee, morning, english, password] = await converse([
      'Học phí một tháng bao nhiêu?',
      'lop buoi sang hoc may gio',
      'How much does the English course cost?',
      'mat khau manh la gi',
    ]);
    expect(fee!.answerable).toBe(true);
    expect(fee!.answer).toMatch(/\d{3}\.000 đồng/);
    // Searched on its own, it is answered with class hours, not with the fee of the turn before.
    expect(morning!.answer.slice(0, 200)).toMatch(/\d{1,2}h\d{2}/);
    expect(morning!.answer).not.toMatch(/học phí|\.000 đồng/i);
    expect(await searchedAs(morning!)).toBeNull(); // searched as asked
    expect(english!.answer).toMatch(/500,000|2,000,000/);
    expect(await searchedAs(english!)).toBeNull();
    expect(password!.answerable).toBe(true);
    expect(await searchedAs(password!)).toBeNull();
  });

  it('an elliptical follow-up carries the previous topic only, and the log shows it as searched', async () => {
    const [ea, eb] = await converse(['Lớp tiếng Anh EA học vào hôm nào?', 'còn lớp EB thì sao?']);
    expect(ea!.answer).toMatch(/thứ Hai/);
    expect(eb!.answerable).toBe(true);
    expect(eb!.answer.slice(0, 200)).toMatch(/EB: tối thứ Ba/);
    const searched = (await searchedAs(eb!))!;
    expect(searched).toContain('EB');
    expect(searched).not.toContain('EA');
    const log = await deps.engine.store.conversations.questionsLog({});
    expect(log.items.find((m) => m.id === eb!.messageId)?.rewrittenQuestion).toBe(searched);
  });

  it('a question of its own after a follow-up asks anew, not about the class before ("nop hoc phi o dau" after EB)', async () => {
    const [, , fees] = await converse(['Lớp tiếng Anh EA học vào hôm nào?', 'còn lớp EB thì sao?', 'nop hoc phi o dau']);
    expect(await searchedAs(fees!)).toBeNull();
    expect(fees!.answer).not.toMatch(/Lớp EB/);
  });

  it('answers with the fact asked: a phone number, a time after a fee, an evening follow-up', async () => {
    const [phone, admissions] = await converse(['Số điện thoại phòng tư vấn', 'so dien thoai tuyen sinh']);
    expect(phone!.answer.slice(0, 200)).toContain('0978 214 630');
    expect(admissions!.answer.slice(0, 300)).toContain('0263 3 812 580');
    const [, , evening] = await converse([
      'Học phí chương trình THPT một tháng là bao nhiêu?',
      'lop buoi sang hoc may gio',
      'còn lớp buổi tối thì sao?',
    ]);
    expect(evening!.answer).toMatch(/18h00/);
  });
});

describe('elliptical follow-ups of many shapes (round 2)', () => {
  it('a bare "số điện thoại?" and "ở phòng nào?" ask about the office of the turn before', async () => {
    const [email, phone, room] = await converse(['email phòng đào tạo là gì?', 'số điện thoại?', 'ở phòng nào?']);
    expect(email!.answer.slice(0, 200)).toContain('daotao@gdtxhoaan.edu.vn');
    expect(phone!.answerable).toBe(true);
    expect(phone!.answer.slice(0, 200)).toContain('0263 3 812 581');
    expect(await searchedAs(phone!)).toMatch(/đào tạo/);
    expect(room!.answer.slice(0, 200)).toContain('A102');
    const [, counselling] = await converse(['Phòng tư vấn học đường ở đâu?', 'số điện thoại?']);
    expect(counselling!.answer.slice(0, 200)).toContain('0978 214 630');
  });

  it('a follow-up without a marker is recognised when topic and question stand in one sentence', async () => {
    const [hall, seats] = await converse(['Hội trường ở đâu?', 'có bao nhiêu chỗ ngồi?']);
    expect(hall!.answer).toContain('A305');
    expect(seats!.answer.slice(0, 400)).toContain('200 chỗ ngồi'); // the facilities line is long: within 400 characters, as the conversation format scores
    expect(await searchedAs(seats!)).toMatch(/Hội trường/);
  });

  it('a new question sharing a contact list with the topic is not taken for a follow-up', async () => {
    const [, , library] = await converse(['Phòng tư vấn học đường làm việc giờ nào?', 'phòng đó ở đâu?', 'email thu vien la gi']);
    expect(library!.answer.slice(0, 200)).toContain('thuvien@gdtxhoaan.edu.vn');
    expect(await searchedAs(library!)).toBeNull();
  });
});

describe('follow-ups by missing slots, clarifications and topic switches (round 3)', () => {
  it('a question naming no thing of its own ("may gio dong cua") asks about the previous thing', async () => {
    const [, closing, fee] = await converse(['nha xe hoc vien o dau', 'may gio dong cua', 'gui xe co mat tien khong']);
    expect(await searchedAs(closing!)).toMatch(/nha xe/);
    expect(closing!.answer.slice(0, 200)).toContain('21h00');
    expect(fee!.answer.slice(0, 300)).toMatch(/miễn phí/);
  });

  it('a chain of follow-ups keeps the thing: who read the Declaration, where, when', async () => {
    const [, where, when] = await converse(['Ai đọc Tuyên ngôn Độc lập?', 'đọc ở đâu?', 'vào ngày nào?']);
    expect(where!.answer.slice(0, 200)).toContain('Ba Đình');
    expect(await searchedAs(when!)).toMatch(/Tuyên ngôn Độc lập/);
    expect(when!.answer.slice(0, 120)).toContain('2/9/1945');
  });

  it('a new name replaces the old one: Hà Nội, then Huế, then Sài Gòn', async () => {
    const [, , saigon] = await converse([
      'Khởi nghĩa giành chính quyền thắng lợi ở Hà Nội vào ngày nào?',
      'còn ở Huế?',
      'Sài Gòn thì sao?',
    ]);
    expect(await searchedAs(saigon!)).not.toMatch(/Huế|Hà/);
    expect(saigon!.answer.slice(0, 200)).toContain('25/8/1945');
  });

  it('a clarification ("ý tôi là lớp buổi tối", "I mean the weekend group") rewrites the question before', async () => {
    const [, evening] = await converse(['Lớp 10 học ở phòng nào?', 'ý tôi là lớp buổi tối']);
    expect(await searchedAs(evening!)).toMatch(/buổi tối/);
    expect(evening!.answer.slice(0, 400)).toContain('A208');
    const [, weekend] = await converse(['What time do English classes start?', 'I mean the weekend group']);
    expect(weekend!.answerable).toBe(true);
    expect(weekend!.answer.slice(0, 400)).toContain('13:30');
  });

  it('a short question of its own after a history question is not glued to it', async () => {
    const [, card] = await converse(['Tổng tuyển cử bầu Quốc hội khóa I diễn ra ngày nào?', 'lam lai the hoc vien mat bao nhieu tien']);
    expect(await searchedAs(card!)).toBeNull();
    expect(card!.answer).not.toMatch(/1946|Quốc hội/);
  });

  it('the printing fee of the digital room, asked with "ở đó", is the fee, not the session length', async () => {
    const [, , printing] = await converse([
      'Phòng tài liệu số có bao nhiêu máy tính?',
      'mỗi lượt được dùng bao lâu?',
      'in tài liệu ở đó có mất tiền không?',
    ]);
    expect(printing!.answer.slice(0, 200)).toMatch(/500 đồng|20 trang/);
  });
});

describe('procedures are answered with their steps (round 2)', () => {
  it('"Muốn nghỉ học thì phải làm gì?" opens with telling the form teacher', async () => {
    const [reply] = await converse(['Muốn nghỉ học thì phải làm gì?']);
    expect(reply!.answer.slice(0, 200)).toContain('báo cho giáo viên chủ nhiệm');
  });

  it('"Hồ sơ đăng ký thi chứng chỉ CNTT gồm những gì?" names the form', async () => {
    const [reply] = await converse(['Hồ sơ đăng ký thi chứng chỉ CNTT gồm những gì?']);
    expect(reply!.answer.slice(0, 400)).toContain('CC-01');
  });
});

describe('questions the materials do not cover (issue 14 item 3, issue 15)', () => {
  it.each([
    'Thủ đô của Pháp là gì?',
    'Ai là tổng thống Mỹ?',
    'What is the capital of France?',
    'the a an of to is what how why when where who',
  ])('%s is declined', async (question) => {
    const [reply] = await converse([question]);
    expect(reply!.answerable).toBe(false);
  });

  it('an out-of-scope question after a history question is declined, not answered from the history lesson', async () => {
    const [, capital, stopwords] = await converse([
      'Cách mạng tháng Tám diễn ra khi nào?',
      'Thủ đô của Pháp là gì?',
      'the a an of to is what how why when where who',
    ]);
    expect(capital!.answerable).toBe(false);
    expect(await searchedAs(capital!)).toBeNull();
    expect(stopwords!.answerable).toBe(false);
    expect(await searchedAs(stopwords!)).toBeNull();
  });
});

describe('out-of-scope questions sharing words with the materials (issue 14 item 3, round 3)', () => {
  it.each([
    'Học phí trường Cao đẳng Sư phạm Hòa An bao nhiêu?',
    'Thư viện Quốc gia Việt Nam mở cửa mấy giờ?',
    'Làm thẻ Thư viện Khoa học Tổng hợp cần giấy tờ gì?',
  ])('a named institution whose words are in the materials, never side by side, is declined: %s', async (question) => {
    const [reply] = await converse([question]);
    expect(reply!.answerable).toBe(false);
  });

  it('a word written with marks the materials never use ("bơi", "Triều") is not covered by its folded twin ("bởi", "triệu")', async () => {
    const [swim, korea] = await converse(['Lớp học bơi buổi tối học mấy giờ?', 'Chiến tranh Triều Tiên bắt đầu năm nào?']);
    expect(swim!.answerable).toBe(false);
    expect(korea!.answerable).toBe(false);
  });

  it('"Thủ đô Pháp là gì?" without "của" is declined like "Thủ đô của Pháp là gì?"', async () => {
    const [reply] = await converse(['Thủ đô Pháp là gì?']);
    expect(reply!.answerable).toBe(false);
  });

  it('the questions the materials answer around them still are, a mark typed wrong included', async () => {
    const [fee, library, countif] = await converse([
      'Học phí tin học cơ bản một tháng bao nhiêu?',
      'Ngày hội đọc sách tổ chức ở đâu?',
      'hàm countif dùng đê làm gì',
    ]);
    expect(fee!.answerable).toBe(true);
    expect(fee!.answer.slice(0, 400)).toContain('450.000');
    expect(library!.answer.slice(0, 400)).toContain('A305');
    expect(countif!.answerable).toBe(true);
    expect(countif!.answer.slice(0, 400)).toContain('COUNTIF');
  });
});

describe('with a model configured (fake OpenAI-compatible server)', () => {
  let fake: FakeOpenAI;
  let withModel: Shipped;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    // Rewrites come back as the standalone question; answers cite source 1.
    fake.setChatBehavior((body) =>
      body.stream ? { reply: 'Lớp buổi tối học từ 18h00 đến 20h30 [1].' } : { reply: 'Lớp học buổi tối học lúc mấy giờ?' },
    );
    withModel = await startShipped({
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-test',
      LLM: 'openai',
      EMBEDDINGS: 'local',
      CHAT_MODEL: 'fake-chat',
    });
  }, 120_000);
  afterAll(async () => {
    await withModel?.close();
    await fake?.close();
  });

  it('asks the model to rewrite only the follow-up, never a new question of another topic', async () => {
    fake.reset();
    fake.setChatBehavior((body) =>
      body.stream ? { reply: 'Lớp buổi tối học từ 18h00 đến 20h30 [1].' } : { reply: 'Lớp học buổi tối học lúc mấy giờ?' },
    );
    const replies = await converse(
      ['Học phí một tháng bao nhiêu?', 'lop buoi sang hoc may gio', 'còn lớp buổi tối thì sao?'],
      withModel.baseURL,
    );
    const chats = fake.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => r.body as { stream?: boolean; messages: Array<{ content: string }> });
    const rewrites = chats.filter((b) => !b.stream);
    expect(rewrites).toHaveLength(1);
    expect(rewrites[0]!.messages.at(-1)!.content).toContain('còn lớp buổi tối thì sao?');
    expect(chats.filter((b) => b.stream)).toHaveLength(3);
    const stored = await Promise.all(
      replies.map(async (r) => (await withModel.deps.engine.store.conversations.getMessage(r.messageId))!.rewrittenQuestion),
    );
    expect(stored).toEqual([null, null, 'Lớp học buổi tối học lúc mấy giờ?']);
  });
});

describe('follow-ups and spans (round 5)', () => {
  it('"còn lớp buổi tối thì sao?" after the library hours asks the evening class hours, and the log shows it', async () => {
    const [library, evening] = await converse(['Thư viện mở cửa mấy giờ?', 'còn lớp buổi tối thì sao?']);
    expect(library!.answer.slice(0, 200)).toMatch(/Thư viện/);
    const searched = (await searchedAs(evening!))!;
    expect(searched).toMatch(/lớp buổi tối/);
    expect(searched).not.toMatch(/Thư viện|mở cửa/i); // the thing is replaced, the hours are kept
    expect(evening!.answer.slice(0, 200)).toMatch(/lớp buổi tối[^.]*18h00/i);
    expect(evening!.answer.slice(0, 200)).not.toMatch(/Thư viện mở/);
  });

  it('answers a fee per month with the monthly amount first, and the morning class with class times', async () => {
    const [fee, morning] = await converse(['Học phí một tháng bao nhiêu?', 'lop buoi sang hoc may gio']);
    expect(fee!.answer.slice(0, 60)).toContain('350.000 đồng');
    expect(morning!.answer.slice(0, 120)).toMatch(/lớp/i);
    expect(morning!.answer.slice(0, 120)).not.toContain('7h00-11h30');
  });
});
