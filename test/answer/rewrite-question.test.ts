import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanRewrite, createChatModel, rewriteOffline, rewriteWithModel, type Turn } from '../../src/answer/index.js';
import { resolveFollowUp } from '../../src/answer/rewrite-question.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

const history: Turn[] = [{ question: 'Học phí lớp tin học cơ bản là bao nhiêu?', answer: 'Là 1.200.000 đồng mỗi khóa [1].' }];
const historyEn: Turn[] = [{ question: 'When does the evening computer class start?', answer: 'At 6 pm [1].' }];

describe('rewriteOffline', () => {
  // A marker or a question with no content word of its own follows up: it is joined to the
  // previous turn's topic words, never to the whole previous question (issue 14).
  it.each([
    ['Còn lớp buổi tối thì sao?', 'Học phí tin cơ bản lớp buổi tối'],
    ['con lop buoi toi thi sao', 'Học phí tin cơ bản lop buoi toi'],
    ['Thế còn lệ phí thi chứng chỉ ứng dụng công nghệ thông tin cơ bản?', 'lớp lệ phí thi chứng chỉ ứng dụng công nghệ thông tin cơ bản'],
    [
      'Nó có được giảm cho học viên cũ của trung tâm trong năm nay không?',
      'phí lớp tin cơ bản có được giảm cho học viên cũ của trung tâm trong năm nay không hoc phi',
    ],
    // Asking another kind of fact, the words that asked for the fee are left behind.
    ['Mấy giờ?', 'lớp tin cơ bản Mấy giờ'],
  ])('vi follow-up: %s → %s', (question, searched) => {
    expect(rewriteOffline(history, question)).toBe(searched);
  });

  it.each([
    'Học viên phải nộp những giấy tờ gì khi đăng ký lớp học buổi tối của trung tâm?',
    'Nợ học phí quá hạn một tháng thì học viên có được dự thi cuối khóa hay không?',
    'Muốn đăng ký học lớp kế toán doanh nghiệp nhỏ thì cần làm những thủ tục nào?',
    // Short, without diacritics, no marker: a new question, not glued (issue 14).
    'lop buoi sang hoc may gio',
    'mat khau manh la gi',
    'Vậy học viên phải nộp những giấy tờ gì khi đăng ký lớp học buổi tối?',
    // A string of function words is no ellipsis (issue 15).
    'the a an of to is what how why when where who',
  ])('vi new question: %s', (question) => {
    expect(rewriteOffline(history, question)).toBe(question);
  });

  it.each([
    ['What about the morning class?', 'computer start the morning class when'],
    ['and on Saturdays?', 'evening computer class start on Saturdays when'],
    [
      'How much does it cost for people who already took the basic course?',
      'evening computer class start How much does cost for people who already took the basic course',
    ],
  ])('en follow-up: %s → %s', (question, searched) => {
    expect(rewriteOffline(historyEn, question)).toBe(searched);
  });

  it('en new question: unchanged', () => {
    const q = 'Which documents do I need to bring when I register for the accounting course?';
    expect(rewriteOffline(historyEn, q)).toBe(q);
  });

  it('leaves a first question alone', () => {
    expect(rewriteOffline([], 'Còn lớp tối?')).toBe('Còn lớp tối?');
  });

  it('does not compound: a chain of follow-ups, each stored as searched, stays short', () => {
    let turns: Turn[] = [{ question: 'Lớp tiếng Anh EA học vào hôm nào?', answer: '…' }];
    const asked = [
      'còn lớp EB thì sao?',
      'còn lớp EC thì sao?',
      'thế còn buổi tối?',
      'còn thứ bảy thì sao?',
      'nó học ở phòng nào?',
      'còn lớp EA thì sao?',
    ];
    for (const q of asked) {
      const searched = rewriteOffline(turns, q);
      expect(searched.split(' ').length).toBeLessThanOrEqual(6 + q.split(' ').length + 2);
      turns = [...turns, { question: searched, answer: '…' }];
    }
    expect(turns.at(-1)!.question).toContain('EA');
    expect(turns.at(-1)!.question).not.toContain('EB');
  });
});

describe('resolveFollowUp', () => {
  /** A retrieval that records what was searched; answerability from the caller. */
  function recorder(score: (query: string) => number) {
    const searched: string[] = [];
    const retrieve = async (query: string) => {
      searched.push(query);
      return { answerability: score(query), threshold: 0.4, results: [] };
    };
    return { searched, retrieve };
  }

  it('searches once when a marker or a bare question decides: the joined text only', async () => {
    for (const question of ['còn lớp buổi tối thì sao?', 'mấy giờ?', 'số điện thoại?']) {
      const { searched, retrieve } = recorder(() => 0.7);
      const resolved = await resolveFollowUp(history, question, retrieve, () => 1, 0.4);
      expect(resolved.followUp).toBe(true);
      expect(searched).toEqual([resolved.searched]);
      expect(resolved.searched).toContain('tin');
    }
  });

  it('searches once when the question names its own subject: as asked', async () => {
    const { searched, retrieve } = recorder(() => 0.7);
    const resolved = await resolveFollowUp(history, 'Thủ đô của Pháp là gì?', retrieve, () => 1, 0.4);
    expect(resolved).toMatchObject({ followUp: false, searched: 'Thủ đô của Pháp là gì?' });
    expect(searched).toEqual(['Thủ đô của Pháp là gì?']);
  });

  it('searches once, joined, when the question names no thing of its own ("mấy giờ đóng cửa?")', async () => {
    const { searched, retrieve } = recorder(() => 0.7);
    const resolved = await resolveFollowUp(
      [{ question: 'Nhà xe ở đâu?', answer: 'Phía sau nhà C [1].' }],
      'mấy giờ đóng cửa?',
      retrieve,
      () => 1,
      0.4,
    );
    expect(resolved).toMatchObject({ followUp: true, searched: 'Nhà xe mấy giờ đóng cửa' });
    expect(searched).toEqual(['Nhà xe mấy giờ đóng cửa']);
  });

  it('otherwise searches both ways and keeps the one the evidence chose', async () => {
    const { searched, retrieve } = recorder((q) => (q.includes('tin') ? 0.6 : 0.2));
    const resolved = await resolveFollowUp(history, 'nhóm tối khai giảng hôm nào', retrieve, () => 1, 0.4);
    expect(searched).toHaveLength(2);
    expect(resolved.followUp).toBe(true);
    expect(resolved.retrieval.answerability).toBe(0.6);
  });
});

describe('cleanRewrite', () => {
  it.each([
    ['"Học phí lớp tối là bao nhiêu?"', 'Học phí lớp tối là bao nhiêu?'],
    ['“Học phí lớp tối là bao nhiêu?”\n', 'Học phí lớp tối là bao nhiêu?'],
    ['Câu hỏi đầy đủ: Học phí lớp tối?', 'Học phí lớp tối?'],
    ['<think>the user asks…</think>\nStandalone question: What is the fee?', 'What is the fee?'],
    ['  \n ', ''],
  ])('%j → %j', (raw, clean) => expect(cleanRewrite(raw)).toBe(clean));
});

describe('rewriteWithModel (real ChatOpenAI, fake server)', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());
  const model = () => createChatModel({ baseURL: fake.baseURL, model: 'fake-chat' });

  it('sends the last three turns (answers cut) and the follow-up, and returns the cleaned question', async () => {
    fake.setChatBehavior({ reply: '"Học phí lớp tin học buổi tối là bao nhiêu?"' });
    const long: Turn[] = [
      { question: 'Câu một?', answer: 'a' },
      { question: 'Câu hai?', answer: 'b' },
      { question: 'Câu ba?', answer: 'c' },
      { question: 'Học phí lớp tin học?', answer: 'x'.repeat(1000) },
    ];
    const result = await rewriteWithModel(model(), long, 'Còn lớp tối?', 'vi');
    expect(result).toBe('Học phí lớp tin học buổi tối là bao nhiêu?');
    const body = fake.requests[0]!.body as { stream: boolean; messages: Array<{ role: string; content: string }> };
    expect(body.stream).toBe(false);
    const prompt = body.messages[1]!.content;
    expect(prompt).not.toContain('Câu một?');
    expect(prompt).toContain('Câu hai?');
    expect(prompt).toContain('Học phí lớp tin học?');
    expect(prompt).toContain(`${'x'.repeat(299)}…`);
    expect(prompt).not.toContain('x'.repeat(301));
    expect(prompt).toContain('Câu hỏi nối tiếp: Còn lớp tối?');
    expect(body.messages[0]!.content).toMatch(/tiếng Việt/);
  });

  it('returns the original question when the output is empty or far too long', async () => {
    fake.setChatBehavior({ reply: '""' });
    expect(await rewriteWithModel(model(), historyEn, 'and Saturdays?', 'en')).toBe('and Saturdays?');
    fake.setChatBehavior({ reply: 'word '.repeat(100) });
    expect(await rewriteWithModel(model(), historyEn, 'and Saturdays?', 'en')).toBe('and Saturdays?');
    expect((fake.requests[0]!.body as { messages: Array<{ content: string }> }).messages[0]!.content).toMatch(/standalone question/);
  });

  it('throws on a model error (the caller falls back)', async () => {
    fake.setChatBehavior({ status: 503 });
    await expect(rewriteWithModel(model(), historyEn, 'and Saturdays?', 'en')).rejects.toMatchObject({ status: 503 });
  });
});
