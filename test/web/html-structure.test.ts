import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { describe, expect, test } from 'vitest';

const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * The tags left open or closed out of order in an HTML source, as written (not as a browser
 * repairs it). A lost `</section>` after a merge nests the next tab's panel inside a hidden one:
 * the page still loads, and the tab shows nothing.
 */
function unbalanced(html: string): string[] {
  const open: string[] = [];
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentagname: (name) => {
        if (!voidElements.has(name)) open.push(name);
      },
      onclosetag: (name, implied) => {
        if (voidElements.has(name)) return;
        if (implied) return void problems.push(`<${name}> not closed`);
        if (open.at(-1) !== name) problems.push(`</${name}> closes <${open.at(-1) ?? 'nothing'}>`);
        open.pop();
      },
    },
    { lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return [...problems, ...open.map((name) => `<${name}> left open`)];
}

describe('the pages are well formed as written', () => {
  for (const page of ['web/src/admin/admin.html', 'web/src/embed/embed.html', 'web/src/demo.html']) {
    test(page, () => {
      expect(unbalanced(readFileSync(join(import.meta.dirname, '../..', page), 'utf8'))).toEqual([]);
    });
  }

  test('the check finds a lost closing tag', () => {
    expect(unbalanced('<main><section id="a"><div></div><section id="b"></section></main>')).not.toEqual([]);
  });
});
