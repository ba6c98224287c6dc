import { describe, expect, it } from 'vitest';
import { htmlToBlocks, loadDocument } from '../../src/ingest/index.js';
import { hostileHtmlForbidden, makeHostileHtml } from '../support/make-fixtures.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('HTML loading', () => {
  it('drops scripts and styles from HTML', async () => {
    const doc = await loadDocument(makeHostileHtml(), 'bai-5.html');
    const all = [doc.title, ...doc.blocks.map((b) => b.text)].join('\n');
    for (const forbidden of hostileHtmlForbidden) expect(all).not.toContain(forbidden);
  });

  it('keeps headings, paragraphs, list items and table rows of a page', async () => {
    const doc = await loadDocument(makeHostileHtml(), 'bai-5.html');
    expect(doc.format).toBe('html');
    expect(doc.title).toBe('Bài 5: Phân số & số thập phân');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Phân số' },
      { kind: 'paragraph', text: 'Phân số có dạng a/b với b khác 0. Ví dụ: ½ là một nửa.' },
      { kind: 'heading', level: 2, text: 'Quy đồng mẫu số' },
      { kind: 'paragraph', text: 'Tìm mẫu số chung.' },
      { kind: 'paragraph', text: 'Nhân tử và mẫu với cùng một số.' },
      { kind: 'paragraph', text: 'Phân số | Thập phân' },
      { kind: 'paragraph', text: '1/4 | 0,25' },
      { kind: 'paragraph', text: 'Ghi nhớ: đọc thêm' },
    ]);
  });

  it('decodes entities and collapses whitespace', () => {
    expect(htmlToBlocks('<p>  A&nbsp;&amp;&#160;B\n\n  &lt;c&gt; &quot;d&quot; &#x1EA1;  </p>')).toEqual([
      { kind: 'paragraph', text: 'A & B <c> "d" ạ' },
    ]);
  });

  it('uses the first h1 as title when there is no <title>', async () => {
    const doc = await loadDocument(utf8('<body><h2>Mở đầu</h2><h1>Hình học</h1><p>Tam giác.</p></body>'), 'x.html');
    expect(doc.title).toBe('Hình học');
  });

  it('falls back to the file name for the title', async () => {
    const doc = await loadDocument(utf8('<html><body><p>Chỉ có đoạn văn.</p></body></html>'), 'bai-tap/tuan-3.html');
    expect(doc.title).toBe('tuan-3');
  });

  it('reads a page whose <head> is never closed', () => {
    expect(htmlToBlocks('<head><title>T</title><meta charset="utf-8"><h1>Đề bài</h1><p>Giải phương trình.</p>')).toEqual([
      { kind: 'heading', level: 1, text: 'Đề bài' },
      { kind: 'paragraph', text: 'Giải phương trình.' },
    ]);
  });

  it('does not let a self-closed <script /> leak the text after it', () => {
    const blocks = htmlToBlocks('<p>Trước</p><script src="x.js" />alert(1)</script><p>Sau</p>');
    expect(blocks.map((b) => b.text)).toEqual(['Trước', 'Sau']);
  });

  it('numbers ordered list items and keeps blockquote and pre text', () => {
    const blocks = htmlToBlocks('<ol start="3"><li>Ba</li><li>Bốn</li></ol><blockquote>Trích dẫn</blockquote><pre>x = 1\n  y = 2</pre>');
    expect(blocks.map((b) => b.text)).toEqual(['3. Ba', '4. Bốn', 'Trích dẫn', 'x = 1 y = 2']);
  });

  it('returns empty_file for a page with only scripts and styles', async () => {
    const error = await loadDocument(utf8('<html><head><style>p{}</style></head><body><script>x()</script></body></html>'), 'x.html').catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'empty_file' });
  });
});
