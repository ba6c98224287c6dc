/**
 * Regression tests for issue 21's twins: two functions both named `cleanText` that did different
 * things (now `nfcWithoutControls` and `singleLineText`), and `escapeHtml` written three times
 * (now once, in src/text/escape-html.ts). No two modules of src/ export the same name, and the HTML
 * escaper escapes what the pages need.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { singleLineText } from '../../src/ingest/normalize-text.js';
import { escapeHtml, nfcWithoutControls } from '../../src/text/index.js';

const src = join(import.meta.dirname, '../../src');
const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(src, f));

describe('one definition per name in src/', () => {
  it('has no exported name defined by two modules', () => {
    const owners = new Map<string, string[]>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^export (?:async )?(?:function\*?|const|let|class) ([A-Za-z0-9_$]+)/gm)) {
        owners.set(m[1]!, [...(owners.get(m[1]!) ?? []), relative(src, file)]);
      }
    }
    expect([...owners].filter(([, where]) => where.length > 1)).toEqual([]);
  });

  it('defines escapeHtml once', () => {
    const defining = files.filter((f) => /(?:const|function) escapeHtml\b/.test(readFileSync(f, 'utf8')));
    expect(defining.map((f) => relative(src, f))).toEqual(['text/escape-html.ts']);
  });

  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a title="x" data-y='z'>Tom & Jerry</a>`)).toBe(
      '&lt;a title=&quot;x&quot; data-y=&#39;z&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
    );
    expect(escapeHtml('Học phí 350.000 đồng')).toBe('Học phí 350.000 đồng');
  });

  it('keeps the two cleaners apart: one keeps lines, the other makes one line', () => {
    const text = 'Hoa\u0300  sen\u200b\nla\u0300 hoa\u0007';
    expect(nfcWithoutControls(text)).toBe('Hoà  sen\nlà hoa');
    expect(singleLineText(text)).toBe('Hoà sen là hoa');
  });
});
