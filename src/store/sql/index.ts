export type { RunResult, SqlDb } from './sql-db.js';
export { SqliteDb } from './sqlite-db.js';
export { openPostgresPool, PostgresDb, postgresTypes, type PostgresPoolOptions } from './postgres-db.js';
export { toPostgresPlaceholders } from './to-postgres-placeholders.js';
