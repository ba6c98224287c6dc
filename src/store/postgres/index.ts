export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { migratePostgres } from './migrate-postgres.js';
export { postgresMigrations } from './postgres-migrations.js';
export { ChangeListener, listenForChanges, type ChangeListenerOptions } from './change-listener.js';
export { changesChannel, parseChangeNotice } from './changes-channel.js';
