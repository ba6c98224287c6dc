// Worker threads do not inherit tsx's loader from the thread that starts them: this plain
// module registers it, then imports the TypeScript entry named in `workerData.entry`.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
