/**
 * Every relative link and `#anchor` in the README and the guides leads somewhere: the file (or
 * folder) exists inside the repository, and an anchor names a heading of the target as GitHub
 * makes them (Vietnamese headings included) or an HTML `id`. Links inside code are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, githubSlug, isExternal, linksOf } from '../support/markdown-links.js';

const root = resolve(import.meta.dirname, '../..');
const markdownUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownUnder(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
const checked = [join(root, 'README.md'), ...markdownUnder(join(root, 'docs')), join(root, 'evals/perf/HISTORY.md')];
/** The unseen evaluation set: never opened, so an anchor into it cannot be checked. */
const sealed = join(root, 'evals/heldout');

/** What is wrong with one link of `file`, or undefined when it resolves. */
function problemOf(file: string, href: string): string | undefined {
  const [rawPath = '', rawHash] = href.split('#', 2) as [string, string | undefined];
  const path = decodeURIComponent(rawPath);
  const target = path ? resolve(dirname(file), path) : file;
  if (target !== root && !target.startsWith(root + sep)) return 'leaves the repository';
  if (!existsSync(target)) return `no such file: ${relative(root, target)}`;
  if (rawHash === undefined || rawHash === '') return undefined;
  const hash = decodeURIComponent(rawHash);
  if (target.startsWith(sealed)) return 'an anchor into evals/heldout cannot be checked (it is never read)';
  if (statSync(target).isDirectory()) return 'an anchor into a folder';
  if (!target.endsWith('.md'))
    return /^L\d+(-L\d+)?$/.test(hash) ? undefined : `an anchor into ${relative(root, target)}, which has no headings`;
  return anchorsOf(readFileSync(target, 'utf8')).has(hash) ? undefined : `no heading #${hash} in ${relative(root, target)}`;
}

describe('links in the README and docs/', () => {
  it('checks the README, every guide and the benchmark history', () => {
    expect(checked.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(['README.md', 'docs/README.md', 'docs/widget.md', 'docs/settings.md', 'evals/perf/HISTORY.md']),
    );
  });

  it.each(checked.map((f) => [relative(root, f), f]))('%s: every relative link and anchor resolves', (_name, file) => {
    const problems = linksOf(readFileSync(file, 'utf8'))
      .filter((href) => !isExternal(href))
      .map((href) => [href, problemOf(file, href)] as const)
      .filter(([, problem]) => problem !== undefined)
      .map(([href, problem]) => `${href}: ${problem}`);
    expect(problems).toEqual([]);
  });

  it('the README links to every guide in docs/', () => {
    const readme = linksOf(readFileSync(join(root, 'README.md'), 'utf8')).map((h) => h.split('#')[0]);
    const guides = readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`);
    const index = linksOf(readFileSync(join(root, 'docs/README.md'), 'utf8')).map((h) => `docs/${h.split('#')[0]}`);
    for (const guide of guides)
      expect(readme.includes(guide) || index.includes(guide), `${guide} is linked from neither README.md nor docs/README.md`).toBe(true);
  });
});

describe('the link checker itself', () => {
  it('makes anchors as GitHub does, Vietnamese included', () => {
    expect(githubSlug('Moodle, step by step')).toBe('moodle-step-by-step');
    expect(githubSlug('2b. The plain iframe (where the LMS strips scripts)')).toBe('2b-the-plain-iframe-where-the-lms-strips-scripts');
    expect(githubSlug('Page ⇄ iframe messages')).toBe('page--iframe-messages');
    expect(githubSlug('Thời hạn nộp học phí')).toBe('thời-hạn-nộp-học-phí');
    expect(githubSlug('Đăng ký `trogiang_http` (mới)')).toBe('đăng-ký-trogiang_http-mới');
    // Decomposed marks (NFD) stay too, as on GitHub.
    expect(githubSlug('Ho\u0323c phi\u0301')).toBe('ho\u0323c-phi\u0301');
  });

  it('finds headings with code, repeated headings and HTML ids, and ignores links inside code', () => {
    const md = '# A `b` c\n\n## Item\n\n## Item\n\n<a id="here"></a>\n\n`[x](gone.md)`\n\n```\n[y](gone.md)\n```\n\n[z](there.md#a-b-c)\n';
    expect([...anchorsOf(md)]).toEqual(['a-b-c', 'item', 'item-1', 'here']);
    expect(linksOf(md)).toEqual(['there.md#a-b-c']);
  });

  it('reports a missing file, a missing heading and a link out of the repository', () => {
    const readme = join(root, 'README.md');
    expect(problemOf(readme, 'docs/nope.md')).toMatch(/no such file/);
    expect(problemOf(readme, 'docs/widget.md#no-such-heading')).toMatch(/no heading/);
    expect(problemOf(readme, '../outside.md')).toBe('leaves the repository');
    expect(problemOf(readme, 'docs/widget.md#moodle-step-by-step')).toBeUndefined();
  });
});
