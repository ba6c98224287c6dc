/**
 * A replica in a child process (test/engine/replicas-on-postgres.test.ts): opens `Engine.openReplica`
 * on the PostgreSQL schema it is given, woken by LISTEN only (its poll is a minute), and answers
 * the parent's messages: `find`, `ingest`, `remove`, `close`.
 */
import { Engine } from '../../src/engine/index.js';
import { listenForChanges, PostgresStore, type Store } from '../../src/store/index.js';
import { finds, lesson } from './replica-lessons.js';

type Request = { id: number } & (
  | { op: 'find'; code: string }
  | { op: 'ingest'; code: string }
  | { op: 'remove'; code: string }
  | { op: 'close' }
);

const store = await PostgresStore.open(process.env.REPLICA_DATABASE_URL!, { schema: process.env.REPLICA_SCHEMA!, max: 4 });
const engine = await Engine.openReplica<Store>({
  store,
  dataDir: process.env.REPLICA_DIR!,
  replicaId: `child-${process.pid}`,
  pollMs: 60_000,
  listen: (wake) => listenForChanges(store, wake),
});

process.on('message', (message: Request) => {
  void (async () => {
    let result: unknown;
    if (message.op === 'find') result = await finds(engine, message.code);
    else if (message.op === 'ingest') result = (await engine.ingest([lesson(message.code)]))[0]!.status;
    else if (message.op === 'remove') {
      const doc = (await store.listDocuments()).find((d) => d.fileName === lesson(message.code).fileName);
      result = doc ? await engine.removeDocument(doc.id) : false;
    } else {
      await engine.close();
      result = 'closed';
    }
    process.send!({ id: message.id, result }, () => {
      if (message.op === 'close') process.exit(0);
    });
  })().catch((error: unknown) => process.send!({ id: message.id, error: (error as Error).message }));
});
process.send!({ id: 0, result: 'ready' });
