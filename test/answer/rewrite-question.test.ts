import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanRewrite, createChatModel, rewriteOffline, rewriteWithModel, type Turn } from '../../src/answer/index.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

const history: Turn[] = [{ question: 'Học phí lớp tin học cơ bản là bao nhiêu?', answer: 'Là 1.200.000 đồng mỗi khóa [1].' }];
const historyEn: Turn[] = [{ question: 'When does the evening computer class start?', answer: 'At 6 pm [1].' }];

describe('rewriteOffline', () => {
  it.each([
    ['Còn lớp buổi tối thì sao?', true],
    ['con lop buoi toi thi sao', true],
    ['Thế còn lệ phí thi chứng chỉ ứng dụng công nghệ thông tin cơ bản?', true],
    ['Vậy học viên phải nộp những giấy tờ gì khi đăng ký lớp học buổi tối?', true],
    ['Nó có được giảm cho học viên cũ của trung tâm trong năm nay không?', true],
    ['Mấy giờ?', true],
    ['Học viên phải nộp những giấy tờ gì khi đăng ký lớp học buổi tối của trung tâm?', false],
    ['Nợ học phí quá hạn một tháng thì học viên có được dự thi cuối khóa hay không?', false],
    ['Muốn đăng ký học lớp kế toán doanh nghiệp nhỏ thì cần làm những thủ tục nào?', false],
  ])('vi: %s → follow-up %s', (question, followUp) => {
    expect(rewriteOffline(history, question)).toBe(followUp ? `${history[0]!.question} ${question}` : question);
  });

  it.each([
    ['What about the morning class?', true],
    ['and on Saturdays?', true],
    ['How much does it cost for people who already took the basic course?', true],
    ['Which documents do I need to bring when I register for the accounting course?', false],
  ])('en: %s → follow-up %s', (question, followUp) => {
    expect(rewriteOffline(historyEn, question)).toBe(followUp ? `${historyEn[0]!.question} ${question}` : question);
  });

  it('leaves a first question alone', () => {
    expect(rewriteOffline([], 'Còn lớp tối?')).toBe('Còn lớp tối?');
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
