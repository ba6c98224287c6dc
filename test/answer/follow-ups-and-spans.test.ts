/**
 * Round 5 of issue 14 (docs/answers.md): a "còn X thì sao?" naming another thing keeps what was
 * asked; the sentence carrying the answer span names the thing asked (not only in a purpose
 * clause); amounts are matched by their unit. Pure parts on their own, then sentence choice over
 * real retrieval of the shipped corpus (corpus/) in a temporary data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWithTopic, replacesTheThing } from '../../src/answer/follow-up.js';
import { purposeClauseStart, selectSentences } from '../../src/answer/select-sentences.js';
import { amountUnits, askedUnit, unitFactor } from '../../src/answer/units.js';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/server/app-deps.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';

const idf = () => 1;

describe('a "còn X thì sao?" naming another thing (pure)', () => {
  it('replaces the thing and keeps only the asking words of the question before', () => {
    expect(replacesTheThing('Thư viện mở cửa mấy giờ?', 'còn lớp buổi tối thì sao?')).toBe(true);
    expect(joinWithTopic('Thư viện mở cửa mấy giờ?', 'còn lớp buổi tối thì sao?', idf)).toBe('lớp buổi tối may gio');
    expect(joinWithTopic('Số điện thoại bảo vệ trực là gì?', 'còn thư viện thì sao?', idf)).toBe('thư viện so dien thoai');
  });

  it('replaces only a part of the thing when it shares a word, names alternatives, or a bare name for a name', () => {
    expect(replacesTheThing('Lớp tiếng Anh EA học vào hôm nào?', 'còn lớp EB thì sao?')).toBe(false);
    expect(replacesTheThing('Lớp tin học cơ bản nhóm chiều học phòng máy nào?', 'còn nhóm tối?')).toBe(false);
    expect(replacesTheThing('Học phí tin học nâng cao một tháng bao nhiêu?', 'cả khóa thì sao?')).toBe(false);
    expect(replacesTheThing('Khởi nghĩa thắng lợi ở Hà Nội ngày nào?', 'còn ở Huế thì sao?')).toBe(false);
  });

  it('is no replacement without an ellipsis marker, or with a pointing one', () => {
    expect(replacesTheThing('Thư viện mở cửa mấy giờ?', 'lớp buổi tối học mấy giờ?')).toBe(false);
    expect(replacesTheThing('Phòng tài liệu số có bao nhiêu máy tính?', 'in tài liệu ở đó có mất tiền không?')).toBe(false);
  });
});

describe('units and purpose clauses (pure)', () => {
  it('reads the unit a question asks an amount per', () => {
    expect(askedUnit('Học phí một tháng bao nhiêu?')).toBe('month');
    expect(askedUnit('hoc phi moi hoc ky la bao nhieu')).toBe('term');
    expect(askedUnit('What is the tuition per month?')).toBe('month');
    expect(askedUnit('còn cả khóa thì sao?')).toBe('course');
    expect(askedUnit('Học phí lớp 10 là bao nhiêu?')).toBeNull();
  });

  it('reads the unit written beside an amount, after or before it', () => {
    expect([...amountUnits('350.000 đồng/tháng, tổng cộng 3.150.000 đồng/năm học')].sort()).toEqual(['month', 'year']);
    expect([...amountUnits('a) Nộp theo tháng: 350.000 đồng, trước ngày 10')]).toEqual(['month']);
    expect(unitFactor('month', 'a) Nộp theo tháng: 350.000 đồng')).toBeGreaterThan(1);
    expect(unitFactor('month', 'Tiếng Anh: 2.000.000 đồng/bậc')).toBeLessThan(1);
    expect(unitFactor('month', 'Phí làm thẻ 20.000 đồng.')).toBe(1);
  });

  it('finds where a purpose clause starts', () => {
    expect(purposeClauseStart('thư viện mở đến 20h30 để học viên lớp buổi tối mượn sách'.split(' '))).toBe(5);
    expect(purposeClauseStart('open late so that evening learners can borrow'.split(' '))).toBe(2);
    expect(purposeClauseStart('lớp buổi tối học từ 18h00'.split(' '))).toBe(Infinity);
  });
});

describe('sentence choice over the shipped corpus', () => {
  let deps: AppDeps;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trogiang-spans-'));
    const config = loadConfig({
      DATA_DIR: join(root, 'data'),
      CORPUS_DIR: join(import.meta.dirname, '../../corpus'),
      ADMIN_TOKEN: 'test-admin-token-0123456789',
      LOG_LEVEL: 'silent',
    });
    ({ deps } = await openService(config, createLogger('silent')));
  }, 300_000);

  afterAll(async () => {
    await deps.engine.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function answerOf(searched: string, askedAs = searched): Promise<string> {
    const retrieval = await deps.engine.retrieve(searched, { k: 5 });
    return selectSentences(retrieval.query, retrieval.lang, retrieval.results, deps.engine.idf, undefined, askedAs)
      .map((s) => s.text)
      .join(' ');
  }

  it('leads with the amount per month when the question says per month', async () => {
    const answer = await answerOf('Học phí một tháng bao nhiêu?');
    expect(answer.slice(0, 60)).toContain('350.000 đồng');
    expect(answer.indexOf('350.000')).toBeLessThan(answer.indexOf('1.750.000') >>> 0);
  });

  it('leads with the morning class times, not the library hours ("lop buoi sang hoc may gio")', async () => {
    const answer = await answerOf('lop buoi sang hoc may gio');
    expect(answer.slice(0, 120)).toMatch(/lớp/i);
    expect(answer.slice(0, 120)).toContain('7h00');
    expect(answer.slice(0, 120)).not.toContain('7h00-11h30'); // the library's morning
  });

  it('answers the evening class hours from a sentence about the class, not one that serves it', async () => {
    const answer = await answerOf('lớp buổi tối may gio', 'còn lớp buổi tối thì sao?');
    expect(answer.slice(0, 160)).toMatch(/lớp buổi tối[^.]*18h00/i);
    expect(answer.slice(0, 160)).not.toMatch(/Thư viện|Nộp tiền/);
  });
});
