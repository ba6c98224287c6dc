/**
 * The PostgreSQL store's schema migrations, applied in order in one transaction each; the
 * `schema_version` table records how many have run. Never edit a shipped migration: add one.
 *
 * The tables mirror the SQLite schema (src/store/migrations.ts) in its latest shape, so records
 * read the same from both: timestamps are ISO 8601 UTC text, heading paths and lists JSON text,
 * vectors and stored bytes `bytea`. Text is ordered with `COLLATE "C"` in queries (byte order, as
 * SQLite's BINARY), so both adapters list in the same order.
 */
export const postgresMigrations: string[] = [
  // 1: the core store. Centers own collections named `<center>.<slug>` (a bare slug: the default
  // center), as in SQLite. `chunk_log` holds the latest change's generation: every write of chunks
  // locks its one row first, so writers are serialised and generations are gapless and committed
  // in order (a follower reading `generation > n` never skips a change committed later with a
  // smaller number). Stored bytes are in parts of at most 64 KB, dropped with the last document
  // holding their hash.
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE centers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at TEXT NOT NULL
  );
  INSERT INTO centers (id, name, status, created_at)
    VALUES ('default', 'Trung tâm', 'active', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  CREATE TABLE collections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    center_id TEXT GENERATED ALWAYS AS (CASE WHEN strpos(id, '.') > 0 THEN split_part(id, '.', 1) ELSE 'default' END) STORED,
    published_at TEXT,
    licence TEXT NOT NULL DEFAULT 'center-only' CHECK (licence IN ('CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'center-only')),
    attribution TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    about TEXT NOT NULL DEFAULT '[]',
    educational_level TEXT NOT NULL DEFAULT '',
    learning_resource_type TEXT NOT NULL DEFAULT '',
    in_language TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX collections_center ON collections(center_id);
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    collection TEXT NOT NULL REFERENCES collections(id),
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    pages INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    last_checked TEXT,
    replaces TEXT
  );
  CREATE INDEX documents_collection ON documents(collection);
  CREATE INDEX documents_content_hash ON documents(content_hash);
  CREATE TABLE chunks (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    vector BYTEA NOT NULL,
    folded_terms TEXT
  );
  CREATE INDEX chunks_document ON chunks(document_id, ordinal);
  CREATE INDEX chunks_without_folded_terms ON chunks(seq) WHERE folded_terms IS NULL;
  CREATE TABLE chunk_changes (
    generation BIGINT PRIMARY KEY,
    op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
    seq BIGINT NOT NULL,
    removed TEXT
  );
  CREATE TABLE chunk_log (one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), generation BIGINT NOT NULL);
  INSERT INTO chunk_log (generation) VALUES (0);
  CREATE TABLE blob_parts (
    hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    start BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (hash, kind, start)
  );
  CREATE FUNCTION drop_unheld_blob_parts() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM documents WHERE content_hash = OLD.content_hash) THEN
      DELETE FROM blob_parts WHERE hash = OLD.content_hash;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER documents_drop_parts AFTER DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION drop_unheld_blob_parts();
  CREATE TRIGGER documents_drop_replaced_parts AFTER UPDATE OF content_hash ON documents
    FOR EACH ROW WHEN (OLD.content_hash IS DISTINCT FROM NEW.content_hash) EXECUTE FUNCTION drop_unheld_blob_parts();
  `,
  // wip-jobs: uploads waiting for their ingest job (issue 20 item 3). The receiving process stores
  // a file's bytes here and enqueues a job naming the row; the worker that takes the job ingests
  // them and deletes the row, so a process killed mid-ingest loses nothing (another retries it).
  `
  CREATE TABLE ingest_staging (
    id TEXT PRIMARY KEY,
    collection TEXT NOT NULL,
    file_name TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  // wip-jobs: learners' rate limits shared by every replica when only DATABASE_URL is set (issue 20
  // item 4; REDIS_URL takes them to Redis instead). The shape rate-limiter-flexible's PostgreSQL
  // limiter reads and writes: a key, the points taken in its window, the window's end in epoch ms.
  `
  CREATE TABLE rate_limits (
    key VARCHAR(255) PRIMARY KEY,
    points INTEGER NOT NULL DEFAULT 0,
    expire BIGINT
  );
  `,
];
