export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { migratePostgres } from './migrate-postgres.js';
export { postgresMigrations } from './postgres-migrations.js';
