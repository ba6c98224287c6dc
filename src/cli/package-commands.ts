import { createWriteStream, renameSync, rmSync, statSync, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Engine } from '../engine/index.js';
import { formatBytes } from '../ingest/index.js';
import { exportCollection, importPackage, isPackageError, maxPackageUploadBytes } from '../packages/index.js';
import type { Output } from './commands.js';

/**
 * `trogiang export-collection <id> <file.zip>`: writes the package beside the target and renames
 * it into place once complete, so an interrupted export never leaves a half zip under that name.
 */
export async function exportCollectionCommand(engine: Engine, id: string, file: string, output: Output): Promise<number> {
  const exported = await exportCollection(engine.store, id, { generator: 'trogiang cli' });
  if (!exported) {
    output.err(`trogiang: no collection "${id}" / không có bộ tài liệu "${id}"\n`);
    return 1;
  }
  const partial = `${file}.partial`;
  try {
    await pipeline(exported.stream, createWriteStream(partial));
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  const documents = exported.manifest.files.length - 1;
  output.out(`exported collection "${id}" (${documents} documents) to ${file} (${formatBytes(statSync(file).size)})\n`);
  return 0;
}

/** `trogiang import-collection <file.zip|file.imscc> [--collection id]`: all documents or none. */
export async function importCollectionCommand(
  engine: Engine,
  file: string,
  collection: string | undefined,
  output: Output,
): Promise<number> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    output.err(`trogiang: no such file: ${file} / không có tệp: ${file}\n`);
    return 1;
  }
  if (size > maxPackageUploadBytes) {
    output.err(
      `trogiang: ${file} is ${formatBytes(size)}; a package may be at most ${formatBytes(maxPackageUploadBytes)}\n` +
        `trogiang: ${file} nặng ${formatBytes(size, 'vi')}; mỗi gói tối đa ${formatBytes(maxPackageUploadBytes, 'vi')}\n`,
    );
    return 1;
  }
  try {
    const result = await importPackage(engine, readFileSync(file), {
      ...(collection && { collection }),
      log: (m) => output.err(`trogiang: ${m}\n`),
    });
    for (const d of result.documents) output.out(`  + ${d.id}\t${d.chunks} chunks\t${d.title}\n`);
    for (const s of result.skipped) output.err(`  - skipped ${s.path}: ${s.reason}\n`);
    output.out(
      `imported ${result.documents.length} documents into collection "${result.collection.id}"` +
        `${result.collection.created ? " (created, with the package's licence and metadata)" : ''}\n`,
    );
    return 0;
  } catch (error) {
    if (!isPackageError(error)) throw error;
    output.err(`trogiang: ${error.code}: ${error.message}\ntrogiang: ${error.messageVi}\n`);
    return 1;
  }
}
