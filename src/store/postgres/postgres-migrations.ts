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
  // wip-conv: conversations, messages, feedback and learners' conversations (SQLite's latest shape:
  // migrations 2, centers, verified's widened mode, lti). `messages.rowid` stands for SQLite's
  // implicit rowid, the insertion order that breaks ties between messages of the same millisecond,
  // so the repositories' ORDER BY reads the same on both. `answerability` is double precision
  // (SQLite's REAL; PostgreSQL's REAL would round it).
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    site_key TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    center_id TEXT NOT NULL DEFAULT 'default'
  );
  CREATE INDEX conversations_center ON conversations(center_id);
  CREATE TABLE messages (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    rewritten_question TEXT,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    mode TEXT NOT NULL CHECK (mode IN ('extractive', 'llm', 'extractive-fallback', 'verified')),
    answerable INTEGER NOT NULL CHECK (answerable IN (0, 1)),
    answerability DOUBLE PRECISION NOT NULL,
    retrieval_scores TEXT NOT NULL DEFAULT '[]',
    collection TEXT,
    lang TEXT NOT NULL,
    latency_ms INTEGER NOT NULL,
    site_key TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX messages_created ON messages(created_at);
  CREATE INDEX messages_conversation ON messages(conversation_id, created_at);
  CREATE TABLE feedback (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE learner_conversations (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    course TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX learner_conversations_owner ON learner_conversations(owner, created_at);
  CREATE INDEX learner_conversations_course ON learner_conversations(course);
  `,
  // wip-keys: site keys and centers' subscriptions to open collections, as SQLite's latest
  // shape (migrations 2 and `centers`). Lists (origins, collections, starter questions) are JSON
  // text; a site key's center is plain text without a foreign key, as in SQLite.
  `
  CREATE TABLE site_keys (
    key TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    allowed_origins TEXT NOT NULL DEFAULT '[]',
    collections TEXT NOT NULL DEFAULT '[]',
    rate_limit_per_minute INTEGER NOT NULL,
    welcome_text TEXT NOT NULL DEFAULT '',
    starter_questions TEXT NOT NULL DEFAULT '[]',
    color TEXT,
    lang TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    center_id TEXT NOT NULL DEFAULT 'default'
  );
  CREATE INDEX site_keys_center ON site_keys(center_id);
  CREATE INDEX collections_published ON collections(published_at) WHERE published_at IS NOT NULL;
  CREATE TABLE collection_subscriptions (
    center_id TEXT NOT NULL REFERENCES centers(id),
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (center_id, collection_id)
  );
  CREATE INDEX collection_subscriptions_collection ON collection_subscriptions(collection_id);
  `,
  // wip-accounts: teacher accounts, sessions, invitation / reset links, the audit log and login
  // throttling (SQLite migration 6; docs/accounts.md), so every replica shares logins and locks.
  // Secrets are stored as hashes only; `disabled` is 0/1 as in SQLite.
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    center_id TEXT REFERENCES centers(id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('operator', 'center_admin', 'teacher')),
    collections TEXT,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((role = 'operator') = (center_id IS NULL))
  );
  CREATE INDEX users_center ON users(center_id, username);
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    center_id TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE INDEX sessions_expires ON sessions(expires_at);
  CREATE TABLE user_links (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('invite', 'reset')),
    center_id TEXT NOT NULL REFERENCES centers(id),
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    role TEXT CHECK (role IN ('center_admin', 'teacher')),
    collections TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    CHECK ((kind = 'reset') = (user_id IS NOT NULL))
  );
  CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    center_id TEXT,
    actor_id TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    ip TEXT
  );
  CREATE INDEX audit_log_center ON audit_log(center_id, id);
  CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL
  );
  `,
  // wip-curation: verified answers, OCR pages per document, index followers (SQLite: verified,
  // ocr-pages, index-followers). `verified_answer_uses.message_id` has no foreign key here yet:
  // `messages` arrives with the conversations' migration (SQLite: REFERENCES messages(id) ON
  // DELETE CASCADE). Heartbeats are epoch milliseconds (BIGINT); confidences DOUBLE PRECISION
  // (SQLite's REAL is 8 bytes).
  `
  CREATE TABLE verified_answers (
    id TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES centers(id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    phrasings TEXT NOT NULL DEFAULT '[]',
    collections TEXT NOT NULL DEFAULT '[]',
    document_id TEXT,
    page INTEGER,
    valid_from TEXT,
    valid_until TEXT,
    last_checked TEXT,
    hit_count INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX verified_answers_center ON verified_answers(center_id, updated_at);
  CREATE TABLE verified_answer_uses (
    message_id TEXT PRIMARY KEY,
    verified_answer_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX verified_answer_uses_answer ON verified_answer_uses(verified_answer_id);
  CREATE INDEX documents_replaces ON documents(replaces) WHERE replaces IS NOT NULL;
  CREATE TABLE index_followers (
    id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    generation BIGINT NOT NULL,
    heartbeat_ms BIGINT NOT NULL
  );
  CREATE TABLE document_ocr_pages (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    low_confidence INTEGER NOT NULL CHECK (low_confidence IN (0, 1)),
    PRIMARY KEY (document_id, page)
  );
  `,
  // wip-practice: LTI 1.3 (platforms, courses, used-once nonces, the tool's keys), learners'
  // conversation owners, site keys' user-token secrets, practice items and Leitner boxes, as the
  // SQLite `lti`, `practice` and `leitner` migrations. Shared by every replica: a nonce is used once
  // by whichever replica gets the launch, and all sign with the same keys. `learner_conversations`
  // and `site_key_secrets` border tables other branches create here (conversations, site_keys):
  // created IF NOT EXISTS and without those foreign keys, so the order of the entries does not
  // matter; their rows are deleted explicitly (LearnerConversationStore.deleteAll).
  `
  CREATE TABLE lti_platforms (
    id TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES centers(id),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    deployment_ids TEXT NOT NULL,
    auth_url TEXT NOT NULL,
    token_url TEXT NOT NULL,
    jwks_url TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (issuer, client_id)
  );
  CREATE TABLE lti_tool_keys (
    kid TEXT PRIMARY KEY,
    private_jwk TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
  );
  CREATE TABLE lti_nonces (
    nonce TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX lti_nonces_expires ON lti_nonces(expires_at);
  CREATE TABLE lti_courses (
    platform_id TEXT NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
    context_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    collections TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform_id, context_id)
  );
  CREATE TABLE IF NOT EXISTS learner_conversations (
    conversation_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    course TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS learner_conversations_owner ON learner_conversations(owner, created_at);
  CREATE INDEX IF NOT EXISTS learner_conversations_course ON learner_conversations(course);
  CREATE TABLE IF NOT EXISTS site_key_secrets (
    site_key TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE practice_items (
    id TEXT PRIMARY KEY,
    center_id TEXT NOT NULL DEFAULT 'default',
    collection TEXT NOT NULL,
    document_id TEXT NOT NULL,
    title TEXT NOT NULL,
    heading_path TEXT NOT NULL DEFAULT '[]',
    page INTEGER,
    chunk_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('fill', 'choice')),
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    answer TEXT NOT NULL,
    distractors TEXT NOT NULL DEFAULT '[]',
    sentence TEXT NOT NULL,
    checks TEXT NOT NULL DEFAULT '{}',
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'generated' CHECK (status IN ('generated', 'approved', 'rejected', 'edited')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX practice_items_collection ON practice_items(center_id, collection, document_id, position);
  CREATE INDEX practice_items_document ON practice_items(document_id);
  CREATE TABLE practice_sources (
    document_id TEXT PRIMARY KEY,
    center_id TEXT NOT NULL DEFAULT 'default',
    collection TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    items INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    generated_at TEXT NOT NULL
  );
  CREATE TABLE practice_exclusions (
    center_id TEXT NOT NULL DEFAULT 'default',
    document_id TEXT NOT NULL,
    heading TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (center_id, document_id, heading)
  );
  CREATE TABLE practice_boxes (
    owner TEXT NOT NULL,
    item_id TEXT NOT NULL,
    box INTEGER NOT NULL CHECK (box BETWEEN 1 AND 5),
    due INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (owner, item_id)
  );
  CREATE TABLE practice_sessions (
    owner TEXT PRIMARY KEY,
    session INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );
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
