import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGoldenReferences, loadGoldenSets, parseGoldenFile, type GoldenQuestion } from '../../evals/lib/golden-schema.js';

const dir = join(import.meta.dirname, '../../evals/golden');
const questions = loadGoldenSets(dir);
const count = (p: (q: GoldenQuestion) => boolean) => questions.filter(p).length;

describe('the shipped golden sets', () => {
  it('parse against the schema, with unique ids and valid follow-up and variant references', () => {
    expect(questions.length).toBeGreaterThan(0);
  });

  it('have the composition the issue asks for', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(count((q) => q.lang === 'vi')).toBeGreaterThanOrEqual(100);
    expect(count((q) => q.lang === 'en')).toBeGreaterThanOrEqual(30);
    expect(count((q) => !q.answerable)).toBeGreaterThanOrEqual(30);
    expect(count((q) => q.type === 'no-diacritics' || q.type === 'typo')).toBeGreaterThanOrEqual(30);
    expect(count((q) => q.type === 'follow-up' && q.followUpOf !== undefined)).toBeGreaterThanOrEqual(10);
  });

  it('name the original of every no-diacritics question, typed with diacritics', () => {
    const byId = new Map(questions.map((q) => [q.id, q]));
    for (const q of questions.filter((x) => x.type === 'no-diacritics')) {
      const original = byId.get(q.variantOf!)!;
      expect(original.question.normalize('NFD')).toMatch(/[\u0300-\u036f]|đ/);
      expect(original.gold).toEqual(q.gold);
    }
  });

  it('use page numbers for the PDF and headings for other formats', () => {
    for (const q of questions) {
      for (const g of q.gold) {
        if (g.doc.endsWith('.pdf')) expect(g.page, `${q.id} ${g.doc}`).toBeDefined();
        else expect(g.page, `${q.id} ${g.doc}`).toBeUndefined();
      }
    }
  });
});

describe('the golden-set schema', () => {
  const line = (o: Record<string, unknown>) =>
    JSON.stringify({
      id: 'x-1',
      question: 'Học phí?',
      lang: 'vi',
      type: 'factoid',
      answerable: true,
      gold: [{ doc: 'a.pdf', page: 1 }],
      reference: 'r',
      answers: ['a'],
      keyphrases: ['k'],
      ...o,
    });

  it('accepts a well-formed line', () => {
    expect(parseGoldenFile(line({}), 'f.jsonl')).toHaveLength(1);
  });

  it.each([
    [{ gold: [] }, 'needs at least one gold passage'],
    [{ answerable: false }, 'no gold passage'],
    [{ gold: [{ doc: 'a.pdf', page: 1, section: 's' }] }, 'page or a section'],
    [{ type: 'follow-up' }, 'followUpOf'],
    [{ type: 'no-diacritics' }, 'variantOf'],
    [{ lang: 'fr' }, 'lang'],
    [{ extra: 1 }, 'extra'],
  ])('rejects %j, naming the file and line', (patch, message) => {
    expect(() => parseGoldenFile(`\n${line(patch)}`, 'f.jsonl')).toThrow(new RegExp(`f\\.jsonl:2: .*${message}`));
  });

  it('rejects duplicate ids, dangling references and diacritics in a no-diacritics variant', () => {
    const base = parseGoldenFile(line({}), 'f.jsonl')[0]!;
    expect(() => checkGoldenReferences([base, base])).toThrow(/duplicate question id "x-1"/);
    expect(() => checkGoldenReferences([{ ...base, id: 'x-2', type: 'follow-up', followUpOf: 'nope' }])).toThrow(/followUpOf "nope"/);
    expect(() =>
      checkGoldenReferences([base, { ...base, id: 'x-2', type: 'no-diacritics', variantOf: 'x-1', question: 'Học phí?' }]),
    ).toThrow(/has diacritics/);
    expect(() =>
      checkGoldenReferences([
        { ...base, id: 'a', followUpOf: 'b' },
        { ...base, id: 'b', followUpOf: 'a' },
      ]),
    ).toThrow(/loops/);
  });
});
