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
  // 2: conversations, messages, feedback, site keys. Messages keep `site_key` and `collection` as
  // plain text (no foreign key): the questions log and the stats outlive a deleted site key or
  // collection. Timestamps are ISO 8601 UTC (`2024-05-01T08:30:00.000Z`), so text order is time order
  // and `substr(created_at, 1, 10)` is the UTC day.
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    site_key TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    rewritten_question TEXT,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    mode TEXT NOT NULL CHECK (mode IN ('extractive', 'llm', 'extractive-fallback')),
    answerable INTEGER NOT NULL CHECK (answerable IN (0, 1)),
    answerability REAL NOT NULL,
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    created_at TEXT NOT NULL
  );
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
    updated_at TEXT NOT NULL
  );
  `,
  // 3: each chunk's folded terms (title, headings, text; space-separated), written at ingest, so
  // retrieval's proximity and duplicate checks need not tokenise candidate passages per query.
  // Rows stored before it hold NULL until the engine fills them in on open. The partial index
  // holds only those rows, so the check on every open reads an empty index, not the whole table
  // (at 100k chunks the scan cost 0.2 s warm and 1.6 s from a cold disk cache).
  `ALTER TABLE chunks ADD COLUMN folded_terms TEXT;
  CREATE INDEX chunks_without_folded_terms ON chunks(seq) WHERE folded_terms IS NULL;`,
  // 4: stored bytes in parts of at most 64 KB (`blob_parts`), so a source can be streamed with one
  // part in memory: better-sqlite3 cannot stream a BLOB, and `GET /docs/:id` held a whole copy of
  // the file per connection (27 MB each; 120 slow readers took the process to 3.85 GB). Parts are
  // keyed by content hash and kind: `source` (the uploaded bytes; documents sharing bytes share
  // them) and `page-v1-<format>` (the rendered HTML of a non-PDF source, cached on first read).
  // The triggers drop a hash's parts with the last document holding it, whatever deletes or
  // replaces it. Sources stored before stay in `documents.source` until the store moves them into
  // parts when it opens (`SqliteStore.moveSourcesIntoParts`: in SQL, `substr` re-reads the whole
  // BLOB for every part: 217 s for one 50 MB source, 0.8 s now; evals/perf/migrate-sources.ts).
  `CREATE TABLE blob_parts (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    bytes BLOB NOT NULL
  );
  CREATE UNIQUE INDEX blob_parts_key ON blob_parts(hash, kind, start);
  CREATE TRIGGER documents_drop_parts AFTER DELETE ON documents
    WHEN NOT EXISTS (SELECT 1 FROM documents WHERE content_hash = OLD.content_hash)
    BEGIN DELETE FROM blob_parts WHERE hash = OLD.content_hash; END;
  CREATE TRIGGER documents_drop_replaced_parts AFTER UPDATE OF content_hash ON documents
    WHEN OLD.content_hash != NEW.content_hash AND NOT EXISTS (SELECT 1 FROM documents WHERE content_hash = OLD.content_hash)
    BEGIN DELETE FROM blob_parts WHERE hash = OLD.content_hash; END;`,
  // 5: a collection's licence, attribution line and descriptive metadata (LRMI / schema.org
  // LearningResource), carried by its packages (src/packages) and, later, its citations when it is
  // shared. Existing collections become `center-only`: nothing is opened up by an upgrade.
  // `about` is a JSON array of subjects; the other fields are plain text, '' when unset.
  `ALTER TABLE collections ADD COLUMN licence TEXT NOT NULL DEFAULT 'center-only'
    CHECK (licence IN ('CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'center-only'));
  ALTER TABLE collections ADD COLUMN attribution TEXT NOT NULL DEFAULT '';
  ALTER TABLE collections ADD COLUMN description TEXT NOT NULL DEFAULT '';
  ALTER TABLE collections ADD COLUMN about TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE collections ADD COLUMN educational_level TEXT NOT NULL DEFAULT '';
  ALTER TABLE collections ADD COLUMN learning_resource_type TEXT NOT NULL DEFAULT '';
  ALTER TABLE collections ADD COLUMN in_language TEXT NOT NULL DEFAULT '';`,
  // 6: centers, teacher accounts, sessions, invitation / reset links, the audit log and login
  // throttling (issue 16; docs/accounts.md). One center, `default`, holds everything stored so far,
  // on an old data folder and a new one alike. Secrets are stored as hashes only (scrypt for
  // passwords; SHA-256 for the random session ids and link tokens).
  `CREATE TABLE centers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at TEXT NOT NULL
  );
  INSERT INTO centers (id, name, status, created_at) VALUES ('default', 'Trung tâm', 'active', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    center_id TEXT REFERENCES centers(id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('operator', 'center_admin', 'teacher')),
    -- A teacher's collections as a JSON array; NULL: every collection of the center.
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
  );`,
  // centers: each center's own data (issue 16 item 1, docs/centers.md). A collection belongs to
  // the center its id names: `<center>.<slug>`, or a bare slug for the default center (every id
  // stored so far), so `center_id` is derived from the id and can never disagree with it (and the
  // chunks and indexes, which carry the id, need no rewrite). Site keys and conversations get the
  // center they serve (existing rows: the default one); messages and feedback follow their
  // conversation. Sharing (item 4): a collection is published when `published_at` is set, and
  // centers subscribe to published collections of others.
  `ALTER TABLE collections ADD COLUMN center_id TEXT
    GENERATED ALWAYS AS (CASE WHEN instr(id, '.') > 0 THEN substr(id, 1, instr(id, '.') - 1) ELSE 'default' END) VIRTUAL;
  CREATE INDEX collections_center ON collections(center_id);
  ALTER TABLE collections ADD COLUMN published_at TEXT;
  CREATE INDEX collections_published ON collections(published_at) WHERE published_at IS NOT NULL;
  ALTER TABLE site_keys ADD COLUMN center_id TEXT NOT NULL DEFAULT 'default';
  CREATE INDEX site_keys_center ON site_keys(center_id);
  ALTER TABLE conversations ADD COLUMN center_id TEXT NOT NULL DEFAULT 'default';
  CREATE INDEX conversations_center ON conversations(center_id);
  CREATE TABLE collection_subscriptions (
    center_id TEXT NOT NULL REFERENCES centers(id),
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (center_id, collection_id)
  );
  CREATE INDEX collection_subscriptions_collection ON collection_subscriptions(collection_id);`,
  // verified: verified answers and validity dates (issue 18; docs/curation.md). A verified
  // answer belongs to a center; `phrasings` and `collections` are JSON arrays ([] collections:
  // every collection). Its document link has no foreign key: deleting the document drops the
  // link when read, not the answer. `verified_answer_uses` ties a learner's message to the
  // verified answer that answered it (the learners' thumbs are that message's feedback).
  // Documents gain validity dates (ISO `YYYY-MM-DD`, inclusive) and `replaces`, the document a
  // new version replaces (one series). `messages.mode` gains 'verified': the CHECK is widened in
  // the schema text (a table rebuild would drop what other migrations add to messages; SQLite
  // documents this edit for CHECK constraints, and it touches no row: every stored mode stays
  // valid). `migrate` bumps the schema version after it so every connection re-reads the schema.
  `CREATE TABLE verified_answers (
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
    message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    verified_answer_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX verified_answer_uses_answer ON verified_answer_uses(verified_answer_id);
  ALTER TABLE documents ADD COLUMN valid_from TEXT;
  ALTER TABLE documents ADD COLUMN valid_until TEXT;
  ALTER TABLE documents ADD COLUMN last_checked TEXT;
  ALTER TABLE documents ADD COLUMN replaces TEXT;
  CREATE INDEX documents_replaces ON documents(replaces) WHERE replaces IS NOT NULL;
  PRAGMA writable_schema = ON;
  UPDATE sqlite_schema SET sql = replace(sql, '''extractive-fallback'')', '''extractive-fallback'', ''verified'')')
    WHERE type = 'table' AND name = 'messages';
  PRAGMA writable_schema = OFF;`,
  // lti: LTI 1.3 (issue 17; docs/lti.md). Platforms are registered per center. The tool's RSA
  // keys (the private JWK never leaves the store); a retired key stays in the JWKS for a while.
  // Nonces are used once. A course (platform + context id) keeps the collections its instructor
  // chose. `learner_conversations` names whose a conversation is (an LTI learner or a signed
  // user token): the conversation table itself is left alone.
  `CREATE TABLE lti_platforms (
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
  CREATE TABLE lti_courses (
    platform_id TEXT NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
    context_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    collections TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform_id, context_id)
  );
  CREATE TABLE learner_conversations (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    course TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX learner_conversations_owner ON learner_conversations(owner, created_at);
  CREATE INDEX learner_conversations_course ON learner_conversations(course);
  CREATE TABLE site_key_secrets (
    site_key TEXT PRIMARY KEY REFERENCES site_keys(key) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
  );`,
  // practice: generated practice items (issue 19; docs/practice.md), what each document's items were
  // made from (its content hash: a changed document is generated again), and the sections a
  // teacher excluded. `center_id` is the center of the collection's owner ('default' until
  // collections are scoped per center; now read from the collection's id, docs/centers.md).
  `CREATE TABLE practice_items (
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
  );`,
  // leitner: a known learner's Leitner boxes for practice items (issue 19; docs/practice.md#spaced-repetition).
  // `owner` is the learner's key (lti:<platform>:<context>:<sub> or site:<key>:<sub>), which names
  // their center through the platform or site key; `session` counts their practice rounds, and an
  // item is due again from session `due`. Deleted with the learner's history.
  `CREATE TABLE practice_boxes (
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
  );`,
  // name: index-followers. Processes that follow the writer's chunk change log (issue 20 item 5;
  // docs/operations.md#several-processes): the generation each has applied and when it last said
  // so. The writer trims the log no further than the oldest live follower still needs.
  `CREATE TABLE index_followers (
    id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    heartbeat_ms INTEGER NOT NULL
  );`,
  // ocr-pages: each page of a document read by OCR, with Tesseract's mean confidence (issue 18;
  // docs/ocr.md), so the admin page can flag low-confidence pages for a teacher to check.
  `CREATE TABLE document_ocr_pages (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    confidence REAL NOT NULL,
    low_confidence INTEGER NOT NULL CHECK (low_confidence IN (0, 1)),
    PRIMARY KEY (document_id, page)
  );`,
];
