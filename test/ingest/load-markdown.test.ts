import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/ingest/index.js';
import { makeMarkdown } from '../support/make-fixtures.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Markdown loading', () => {
  it('turns ATX and setext headings into heading blocks and lists into paragraphs', async () => {
    const doc = await loadDocument(makeMarkdown(), 'on-tap.md');
    expect(doc.format).toBe('markdown');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Hàm số bậc nhất' },
      { kind: 'paragraph', text: 'Hàm số bậc nhất có dạng y = ax + b với a khác 0.' },
      { kind: 'heading', level: 2, text: 'Các bước vẽ đồ thị' },
      { kind: 'paragraph', text: '1. Cho x = 0, tính y.' },
      { kind: 'paragraph', text: '2. Cho y = 0, tính x.' },
      { kind: 'paragraph', text: 'Nối hai điểm vừa tìm.' },
      { kind: 'paragraph', text: 'y = 2x + 1' },
      { kind: 'paragraph', text: 'Chú ý dấu của a.' },
    ]);
  });

  it('strips YAML front matter and uses its title', async () => {
    const doc = await loadDocument(makeMarkdown(), 'on-tap.md');
    expect(doc.title).toBe('Ôn tập Toán lớp 9');
    expect(doc.blocks.map((b) => b.text).join(' ')).not.toMatch(/tags:|---/);
  });

  it('uses the first heading as title without front matter', async () => {
    const doc = await loadDocument(utf8('Lời nói đầu.\n\n# Sinh học 10\n\nTế bào là đơn vị cơ bản.'), 'sinh.md');
    expect(doc.title).toBe('Sinh học 10');
  });

  it('does not let raw HTML scripts through', async () => {
    const doc = await loadDocument(makeMarkdown(), 'on-tap.md');
    const all = doc.blocks.map((b) => b.text).join('\n');
    expect(all).not.toContain('md-xss');
    expect(all).not.toContain('stealCookies');
  });

  it('reads a GFM table row by row', async () => {
    const doc = await loadDocument(utf8('| Từ | Nghĩa |\n|---|---|\n| cat | con mèo |\n'), 'tu-vung.md');
    expect(doc.blocks.map((b) => b.text)).toEqual(['Từ | Nghĩa', 'cat | con mèo']);
  });
});
