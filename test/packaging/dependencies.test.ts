/**
 * Every production dependency is imported by the code that ships (src/, bin/, web/): one that
 * nothing imports only weighs on every install (`langchain` was, with 11 packages and 19 MB of
 * node_modules). Dev tools and the benchmark's peers belong in devDependencies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|mjs)$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

describe('package.json dependencies', () => {
  it('are each imported by src/, bin/ or web/', () => {
    const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const code = ['src', 'bin', 'web'].flatMap(sources).join('\n');
    const unused = Object.keys(dependencies).filter((name) => {
      const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      if (new RegExp(`(from\\s+|import\\s*\\(\\s*|require\\s*\\(\\s*)['"]${escaped}(/[^'"]*)?['"]`).test(code)) return false;
      // Data packages are resolved by path, not imported: `require.resolve(\`@tesseract.js-data/${language}/…\`)`.
      const scope = name.includes('/') ? name.slice(0, name.indexOf('/') + 1).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : null;
      return (
        !new RegExp(`require\\.resolve\\(\\s*['"\`]${escaped}[/'"\`]`).test(code) &&
        !(scope && new RegExp(`require\\.resolve\\(\\s*\`${scope}\\$\\{`).test(code))
      );
    });
    expect(unused).toEqual([]);
  });
});
