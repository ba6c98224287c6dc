import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/routes/csv.js';
import { questionsCsv } from '../../src/routes/questions-csv.js';
import { message, openTempStore } from './store-helpers.js';

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes, nothing else. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i];
        i++;
      }
      if (i < text.length && text[i] !== ',' && !text.startsWith('\r\n', i)) throw new Error(`text after a closing quote at ${i}`);
      continue;
    }
    if (ch === ',') {
      endField();
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      endField();
      rows.push(row);
      row = [];
      i += 2;
      continue;
    }
    if (ch === '\r' || ch === '\n') throw new Error(`bare line break outside quotes at ${i}`);
    field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

let t: ReturnType<typeof openTempStore>;
beforeEach(() => {
  t = openTempStore('trogiang-csv-');
});
afterEach(() => t.cleanup());

const header = [
  'created_at',
  'message_id',
  'conversation_id',
  'site_key',
  'collection',
  'lang',
  'question',
  'rewritten_question',
  'answer',
  'answerable',
  'answerability',
  'mode',
  'rating',
  'comment',
  'sources',
  'latency_ms',
];

describe('questionsCsv', () => {
  it('starts with a BOM, uses CRLF, and parses back to the same values', async () => {
    const c = t.store.conversations;
    const tricky = await c.recordMessage(
      message({
        question: 'Học phí "khóa A", khóa B\nvà khóa C bao nhiêu?',
        answer: 'Khóa A: 1.200.000 đ, khóa B: 900.000 đ [1].\r\nXem "Quy chế".',
        citations: [
          { n: 1, chunkId: 'qc#2', documentId: 'qc', title: 'Quy chế, 2024', page: 3, headingPath: [] },
          { n: 2, chunkId: 'tb#0', documentId: 'tb', title: 'Thông báo', page: null, headingPath: [] },
        ],
        collection: 'tin-hoc',
        siteKey: 'tg_pub_abc',
        answerability: 0.81234,
        latencyMs: 15,
        createdAt: '2024-05-01T10:00:00.000Z',
      }),
    );
    await c.setFeedback(tricky.id, 'down', 'Thiếu "khóa C", sai');
    const formula = await c.recordMessage(
      message({
        question: '=HYPERLINK("http://evil.example","bấm vào đây")',
        answer: '+84 912 345 678',
        rewrittenQuestion: '@SUM(A1:A2)',
        answerable: false,
        answerability: 0,
        citations: [],
        mode: 'extractive-fallback',
        lang: 'en',
        createdAt: '2024-05-01T11:00:00.000Z',
      }),
    );
    await c.setFeedback(formula.id, 'up', '-1 điểm');

    const csv = questionsCsv(await c.questionsForExport());
    expect(csv.startsWith('\uFEFFcreated_at,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('"Học phí ""khóa A"", khóa B\nvà khóa C bao nhiêu?"');

    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(header);
    expect(rows).toHaveLength(3);
    // Unanswered first.
    expect(rows[1]).toEqual([
      '2024-05-01T11:00:00.000Z',
      formula.id,
      formula.conversationId,
      '',
      '',
      'en',
      `'=HYPERLINK("http://evil.example","bấm vào đây")`,
      `'@SUM(A1:A2)`,
      `'+84 912 345 678`,
      '0',
      '0',
      'extractive-fallback',
      'up',
      `'-1 điểm`,
      '',
      '12',
    ]);
    expect(rows[2]).toEqual([
      '2024-05-01T10:00:00.000Z',
      tricky.id,
      tricky.conversationId,
      'tg_pub_abc',
      'tin-hoc',
      'vi',
      'Học phí "khóa A", khóa B\nvà khóa C bao nhiêu?',
      '',
      'Khóa A: 1.200.000 đ, khóa B: 900.000 đ [1].\r\nXem "Quy chế".',
      '1',
      '0.812',
      'extractive',
      'down',
      'Thiếu "khóa C", sai',
      'Quy chế, 2024 (tr. 3); Thông báo',
      '15',
    ]);
    // The bytes are UTF-8 with Vietnamese intact.
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('bấm vào đây');
  });

  it('applies the same filters; paging only when asked', async () => {
    const c = t.store.conversations;
    for (let i = 0; i < 150; i++)
      await c.recordMessage(message({ question: `q${i}`, createdAt: '2024-05-01T10:00:00.000Z', collection: i % 2 ? 'a' : 'b' }));
    await c.recordMessage(message({ question: 'later', createdAt: '2024-05-02T10:00:00.000Z', collection: 'a' }));
    expect(parseCsv(questionsCsv(await c.questionsForExport()).slice(1))).toHaveLength(152); // all rows, not the log's 100
    expect(parseCsv(questionsCsv(await c.questionsForExport({ collection: 'a', to: '2024-05-01' })).slice(1))).toHaveLength(76);
    const page = parseCsv(questionsCsv(await c.questionsForExport({ limit: 2, offset: 1 })).slice(1));
    expect(page.map((r) => r[6])).toEqual(['question', 'q149', 'q148']);
    expect(parseCsv(questionsCsv(await c.questionsForExport({ siteKey: 'none' })).slice(1))).toEqual([header]);
  });

  it('csvCell quotes only when needed and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Tiếng Việt có dấu')).toBe('Tiếng Việt có dấu');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('cr\ronly')).toBe('"cr\ronly"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('the test parser rejects malformed CSV', () => {
    expect(() => parseCsv('a"b\r\n')).toThrow();
    expect(() => parseCsv('"a"b\r\n')).toThrow();
    expect(() => parseCsv('a\nb')).toThrow();
    expect(() => parseCsv('"open')).toThrow();
    expect(parseCsv('"",x\r\n')).toEqual([['', 'x']]);
  });
});
