/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
 * Never edit a shipped migration: add a new one.
 */
export const migrations: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE collections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    collection TEXT NOT NULL REFERENCES collections(id),
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    source BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX documents_collection ON documents(collection);
  CREATE TABLE chunks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    collection TEXT NOT NULL,
    title TEXT NOT NULL,
    heading_path TEXT NOT NULL,
    page_start INTEGER,
    page_end INTEGER,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
  );
  CREATE INDEX chunks_document ON chunks(document_id, ordinal);
  CREATE TABLE chunk_changes (
    generation INTEGER PRIMARY KEY AUTOINCREMENT,
    op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
    seq INTEGER NOT NULL,
    -- For removals: the chunk's searchable fields, so the indexes can forget it after a crash.
    removed TEXT
  );
  `,
];
