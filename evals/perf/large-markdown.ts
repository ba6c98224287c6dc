/**
 * A large, deterministic Markdown lesson for the responsiveness benchmark and its test: the
 * sentences of the shipped corpus's Markdown lessons, shuffled by a seeded generator into
 * numbered sections and paragraphs until the text reaches the requested size. Real Vietnamese
 * and English text, so parsing, chunking, tokenising and embedding cost what a teacher's file does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from './corpus-gen.js';

const corpusDir = join(import.meta.dirname, '../../corpus');
const sources = ['bai-hoc-email-va-internet-an-toan.md', 'bai-hoc-lich-su-12.md', 'english-course-guide.md'];

function corpusSentences(): string[] {
  const text = sources.map((f) => readFileSync(join(corpusDir, f), 'utf8')).join('\n');
  return text
    .split('\n')
    .filter((line) => line.trim() && !/^(#|\||-{3}|```|>)/.test(line.trim()))
    .flatMap((line) => line.replace(/^[-*\d.\s]+/, '').split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter((s) => s.length >= 20);
}

/** About `bytes` bytes (UTF-8) of Markdown, the same for the same `bytes` and `seed`. */
export function largeMarkdown(bytes: number, seed = 1): string {
  const sentences = corpusSentences();
  const random = mulberry32(seed);
  const pick = () => sentences[Math.floor(random() * sentences.length)]!;
  const parts: string[] = ['# Tài liệu ôn tập tổng hợp\n'];
  let size = Buffer.byteLength(parts[0]!);
  for (let section = 1; size < bytes; section++) {
    const heading = `\n## Phần ${section}: ${pick().slice(0, 60)}\n\n`;
    parts.push(heading);
    size += Buffer.byteLength(heading);
    const paragraphs = 2 + Math.floor(random() * 4);
    for (let p = 0; p < paragraphs && size < bytes; p++) {
      const count = 2 + Math.floor(random() * 6);
      const paragraph = `${Array.from({ length: count }, pick).join(' ')}\n\n`;
      parts.push(paragraph);
      size += Buffer.byteLength(paragraph);
    }
  }
  return parts.join('');
}
