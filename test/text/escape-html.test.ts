import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/text/index.js';

/** What a browser shows for escaped text: the entities read back. */
const decodeEntities = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

describe('escapeHtml (one definition for the server pages, the document pages and the LTI pages)', () => {
  it('escapes the five characters that end text or a quoted attribute', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')"> & co`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co');
  });

  it('leaves no markup character in any text, and reads back as the text', () => {
    const samples = ['Học phí <b>450.000</b> đồng', '"quoted" & \'single\'', '&amp; already escaped', '', 'Thư viện mở cửa 7h00–20h30'];
    for (const text of samples) {
      expect(escapeHtml(text)).not.toMatch(/[<>"']/);
      expect(decodeEntities(escapeHtml(text))).toBe(text);
    }
  });
});
