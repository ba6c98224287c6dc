import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, isExternal, linksOf } from '../support/markdown-links.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = join(root, 'docs/widget.md');
const links = (file: string) => linksOf(readFileSync(file, 'utf8')).filter((href) => !isExternal(href));

describe('docs/widget.md', () => {
  it('links only to files and headings that exist, and the README links to it', () => {
    const found = links(doc);
    expect(found.length).toBeGreaterThan(10);
    for (const href of found) {
      const [path, hash] = href.split('#') as [string, string | undefined];
      const target = path ? join(dirname(doc), path) : doc;
      expect(existsSync(target), href).toBe(true);
      if (hash) expect(anchorsOf(readFileSync(target, 'utf8')).has(hash), href).toBe(true);
    }
    const fromReadme = links(join(root, 'README.md')).filter((href) => href.startsWith('docs/widget.md'));
    expect(fromReadme.length).toBeGreaterThan(0);
    for (const href of fromReadme) {
      const hash = href.split('#')[1];
      if (hash) expect(anchorsOf(readFileSync(doc, 'utf8')).has(hash), href).toBe(true);
    }
  });

  it('walks a newcomer through Moodle: a course block with the iframe, the site-wide script, and says LTI 1.3 comes later', () => {
    const text = readFileSync(doc, 'utf8');
    const moodle = text.slice(text.indexOf('## Moodle, step by step'), text.indexOf('## Who may embed'));
    expect(moodle).toMatch(/Add a block\*\* → \*\*Text\*\*/);
    expect(moodle).toMatch(/Site administration → Appearance → Additional HTML/);
    expect(moodle).toMatch(/Before BODY is closed/);
    expect(moodle).toMatch(/LTI 1\.3/);
    // Both snippets the steps refer to are in the guide, with the addresses the server serves.
    expect(text).toMatch(/<script src="https:\/\/HOST\/widget\.js" data-site-key="tg_pub_…"/);
    expect(text).toMatch(/<iframe src="https:\/\/HOST\/embed\?site=tg_pub_…"/);
  });
});
