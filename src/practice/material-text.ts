import type { ChunkRecord } from '../store/index.js';
import { answerForm } from './answer-form.js';

/** A collection's chunks in answer form, one passage a line: what "true in the material" is tested on. */
export function materialText(chunks: Iterable<ChunkRecord>): string {
  const parts: string[] = [];
  for (const chunk of chunks) parts.push(answerForm(chunk.text));
  return parts.join('\n');
}
