import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
const anchorsOf = (file: string) => new Set([...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));

/** Relative links (and images) of a Markdown file, outside code blocks. */
function links(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/i.test(href));
}

describe('docs/widget.md', () => {
  it('links only to files and headings that exist, and the README links to it', () => {
    const doc = join(root, 'docs/widget.md');
    const found = links(doc);
    expect(found.length).toBeGreaterThan(10);
    for (const href of found) {
      const [path, hash] = href.split('#') as [string, string | undefined];
      const target = path ? join(dirname(doc), path) : doc;
      expect(existsSync(target), href).toBe(true);
      if (hash) expect(anchorsOf(target).has(hash), href).toBe(true);
    }
    const fromReadme = links(join(root, 'README.md')).filter((href) => href.startsWith('docs/widget.md'));
    expect(fromReadme.length).toBeGreaterThan(0);
    for (const href of fromReadme) {
      const hash = href.split('#')[1];
      if (hash) expect(anchorsOf(doc).has(hash), href).toBe(true);
    }
  });
});
