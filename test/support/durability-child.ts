/**
 * Child process of the durability test, run under `strace`: stores a document, removes it, records
 * an answer, closes the engine (saving the indexes), backs the folder up and restores the backup
 * into another folder. Before and after
 * each, it calls `access("/trogiang-mark-<name>")`, which shows in the trace as a marker.
 *
 * Usage: node durability-child.mjs <dataDir> <backupFile> <restoreDir>
 */
import { accessSync } from 'node:fs';
import { backupDataFolder, Engine, restoreDataFolder } from '../../src/engine/index.js';
import { lessonFile } from './lesson-files.js';
import { openSqliteStore } from '../../src/store/index.js';

const [dataDir, backupFile, restoreDir] = process.argv.slice(2);
const mark = (name: string): void => {
  try {
    accessSync(`/trogiang-mark-${name}`);
  } catch {
    // It does not exist: only the system call matters.
  }
};

const engine = await Engine.open({ store: openSqliteStore(dataDir!), dataDir: dataDir!, saveEvery: 1_000_000 });
await engine.ingest([lessonFile(1)]);
mark('ingest-start');
const [outcome] = await engine.ingest([lessonFile(0)]);
mark('ingest-end');
if (outcome?.status !== 'added') throw new Error(`ingest: ${JSON.stringify(outcome)}`);
mark('remove-start');
await engine.removeDocument(outcome.document.id);
mark('remove-end');
mark('message-start');
await engine.store.conversations.recordMessage({
  question: 'Học phí bao nhiêu?',
  answer: 'Không rõ.',
  mode: 'extractive',
  answerable: false,
  answerability: 0,
  lang: 'vi',
  latencyMs: 1,
});
mark('message-end');
mark('close-start');
await engine.close();
mark('close-end');
mark('backup-start');
await backupDataFolder(dataDir!, backupFile!);
mark('backup-end');
mark('restore-start');
restoreDataFolder(backupFile!, restoreDir!);
mark('restore-end');
