/**
 * Child process of the crash fault tests: opens DATA_DIR and runs the shared workload, printing a
 * marker line before and after every engine call, then closes the engine, prints `done` and waits
 * to be killed. Writes to a pipe are synchronous on Linux, so the last line the parent reads after
 * the SIGKILL is where the kill landed.
 *
 * Usage: node fault-ingest-child.mjs <dataDir> <saveEvery>
 */
import { Engine } from '../../src/engine/index.js';
import { runWorkload } from './fault-workload.js';
import { openSqliteStore } from '../../src/store/index.js';

const [dataDir, saveEveryArg] = process.argv.slice(2);
const mark = (line: string) => process.stdout.write(`${line}\n`);
const engine = await Engine.open({ store: openSqliteStore(dataDir!), dataDir: dataDir!, saveEvery: Number(saveEveryArg ?? 2000) });
mark('ready');
await runWorkload(engine, mark);
mark('begin close');
await engine.close();
mark('done');
// Stay alive: the parent's kill may come after the end, which is a kill point too.
setInterval(() => {}, 60_000);
