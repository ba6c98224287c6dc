/**
 * Child process for crash tests: ingests generated lesson files one per batch into DATA_DIR,
 * printing `progress N` after each, until killed. Usage: tsx ingest-child.ts <dataDir> <count>
 */
import { Engine } from '../../src/engine/index.js';
import { lessonFile } from './lesson-files.js';
import { openSqliteStore } from '../../src/store/index.js';

const [dataDir, countArg] = process.argv.slice(2);
const engine = await Engine.open({ store: openSqliteStore(dataDir!), dataDir: dataDir! });
process.stdout.write('ready\n');
const count = Number(countArg ?? 40);
for (let i = 0; i < count; i++) {
  await engine.ingest([lessonFile(i)]);
  // Every third file removes an earlier one, so the log holds removals too.
  if (i % 3 === 2)
    await engine.removeDocument((await engine.store.listDocuments()).find((d) => d.fileName === lessonFile(i - 2).fileName)!.id);
  process.stdout.write(`progress ${i}\n`);
}
await engine.close();
process.stdout.write('done\n');
