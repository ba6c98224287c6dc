/**
 * Builds the web front end (`web/src` → `web/dist`): the widget loader, the chat page, the
 * admin page and the demo page. esbuild bundles and minifies the TypeScript (target es2019) and
 * CSS; HTML is whitespace-trimmed. Prints raw and gzip bytes of every output and exits 1 when a
 * budget is exceeded (loader ≤ 2 KB gzip; chat page HTML + JS + CSS ≤ 20 KB gzip).
 *
 * `web/dist` is committed (the server reads it; a fresh clone needs no build step);
 * `test/web/build.test.ts` rebuilds into a temporary folder and checks it matches.
 */
import { build, transform } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const webDir = dirname(fileURLToPath(import.meta.url));
const srcDir = join(webDir, 'src');
export const defaultOutDir = join(webDir, 'dist');

export interface OutputSize {
  file: string;
  raw: number;
  gzip: number;
}

export interface Budget {
  name: string;
  files: string[];
  maxGzip: number;
}

export const budgets: Budget[] = [
  { name: 'loader', files: ['widget.js'], maxGzip: 2 * 1024 },
  { name: 'chat page', files: ['embed.html', 'embed.js', 'embed.css'], maxGzip: 20 * 1024 },
];

export interface BuildReport {
  outputs: OutputSize[];
  budgets: Array<Budget & { gzip: number; ok: boolean }>;
  ok: boolean;
}

const gzipSize = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

/** Collapses whitespace between tags and drops comments (our own HTML only: no <pre> in it). */
function minifyHtml(html: string): string {
  return (
    html
      .replace(/<!--(?!\s*TG:)[\s\S]*?-->/g, '')
      .replace(/>\s+</g, '><')
      .replace(/\s{2,}/g, ' ')
      .trim() + '\n'
  );
}

async function bundleTs(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(srcDir, entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
  });
  return result.outputFiles[0]!.text;
}

async function minifyCss(file: string): Promise<string> {
  const result = await transform(readFileSync(join(srcDir, file), 'utf8'), {
    loader: 'css',
    minify: true,
    target: 'chrome80',
    charset: 'utf8',
  });
  return result.code;
}

/** Builds every output into `outDir` and measures it. Does not exit. */
export async function buildWeb(outDir: string = defaultOutDir): Promise<BuildReport> {
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, string> = {
    'widget.js': await bundleTs('widget.ts'),
    'embed.js': await bundleTs('embed/main.ts'),
    'embed.css': await minifyCss('embed/embed.css'),
    'embed.html': minifyHtml(readFileSync(join(srcDir, 'embed/embed.html'), 'utf8')),
    'admin.js': await bundleTs('admin/main.ts'),
    'admin.css': await minifyCss('admin/admin.css'),
    'admin.html': minifyHtml(readFileSync(join(srcDir, 'admin/admin.html'), 'utf8')),
    'demo.html': minifyHtml(readFileSync(join(srcDir, 'demo.html'), 'utf8')),
  };
  const outputs: OutputSize[] = [];
  for (const [file, text] of Object.entries(files)) {
    const bytes = Buffer.from(text, 'utf8');
    writeFileSync(join(outDir, file), bytes);
    outputs.push({ file, raw: bytes.length, gzip: gzipSize(bytes) });
  }
  const measured = budgets.map((b) => {
    const gzip = b.files.reduce((sum, f) => sum + (outputs.find((o) => o.file === f)?.gzip ?? 0), 0);
    return { ...b, gzip, ok: gzip <= b.maxGzip };
  });
  return { outputs, budgets: measured, ok: measured.every((b) => b.ok) };
}

/** The size table printed by `npm run build`. */
export function formatReport(report: BuildReport): string {
  const pad = (s: string, n: number) => s.padStart(n);
  const lines = ['file            raw bytes   gzip bytes', '--------------  ---------   ----------'];
  for (const o of report.outputs) lines.push(`${o.file.padEnd(14)}  ${pad(String(o.raw), 9)}   ${pad(String(o.gzip), 10)}`);
  lines.push('');
  for (const b of report.budgets) {
    lines.push(`${b.ok ? 'ok  ' : 'OVER'} ${b.name} (${b.files.join(' + ')}): ${b.gzip} B gzip, budget ${b.maxGzip} B`);
  }
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : defaultOutDir;
  const report = await buildWeb(outDir);
  console.log(formatReport(report));
  if (!report.ok) {
    console.error('\nbuild failed: over the size budget');
    process.exit(1);
  }
}
