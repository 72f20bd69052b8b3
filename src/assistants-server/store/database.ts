import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Every object is stored as its wire JSON (`body`) plus the columns that lists, locks and the scheduler look up.
 * `seq` (the rowid) breaks ties between objects created in the same second, so cursors seek on (created_at, seq).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS assistants (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS assistants_by_time ON assistants (created_at, seq);

CREATE TABLE IF NOT EXISTS threads (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS threads_by_time ON threads (created_at, seq);

CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  thread_id TEXT NOT NULL,
  run_id TEXT,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_thread ON messages (thread_id, created_at, seq);

-- What a message still being written (a model's answer) grew by since its body was last written whole, in order:
-- each growth is one small insert instead of a rewrite of the whole message. Folded in when the message is read.
CREATE TABLE IF NOT EXISTS message_text_appends (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS message_text_appends_by_message ON message_text_appends (message_id, seq);

CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  thread_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  -- Emulator-only state: the scenario, the planned tool calls, the submitted outputs.
  internal TEXT NOT NULL,
  -- The next lifecycle transition and when it is due (emulator time, ms); null once the run has ended.
  next_transition TEXT,
  due_at INTEGER
);
CREATE INDEX IF NOT EXISTS runs_by_thread ON runs (thread_id, created_at, seq);
CREATE INDEX IF NOT EXISTS runs_due ON runs (due_at) WHERE due_at IS NOT NULL;
-- A read of one thread catches up only that thread's due transitions.
CREATE INDEX IF NOT EXISTS runs_due_by_thread ON runs (thread_id, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_active ON runs (thread_id)
  WHERE status IN ('queued', 'in_progress', 'requires_action', 'cancelling');

CREATE TABLE IF NOT EXISTS run_steps (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  run_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS run_steps_by_run ON run_steps (run_id, created_at, seq);

-- Every HTTP call the model executor made for a run (latency, tokens, outcome): what the dashboard shows.
CREATE TABLE IF NOT EXISTS model_calls (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS model_calls_by_run ON model_calls (run_id, seq);

-- Uploaded files' records; their bytes live in a folder beside the database (files/file-bytes.ts).
CREATE TABLE IF NOT EXISTS files (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  purpose TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_time ON files (created_at, seq);
CREATE INDEX IF NOT EXISTS files_by_purpose ON files (purpose, created_at, seq);

-- Vector stores (their chunks are the file-search index's own tables, file-search/sqlite-chunk-index.ts).
CREATE TABLE IF NOT EXISTS vector_stores (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS vector_stores_by_time ON vector_stores (created_at, seq);

-- A file in a vector store: \`id\` is the file's id, once per store. \`in_progress\` rows are the processing queue: a
-- restart resumes them. \`batch_id\`: the last batch that added it.
CREATE TABLE IF NOT EXISTS vector_store_files (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  vector_store_id TEXT NOT NULL,
  batch_id TEXT,
  status TEXT NOT NULL,
  usage_bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (vector_store_id, id)
);
CREATE INDEX IF NOT EXISTS vector_store_files_by_store ON vector_store_files (vector_store_id, created_at, seq);
CREATE INDEX IF NOT EXISTS vector_store_files_by_status
  ON vector_store_files (vector_store_id, status, created_at, seq);
CREATE INDEX IF NOT EXISTS vector_store_files_by_batch
  ON vector_store_files (batch_id, created_at, seq) WHERE batch_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS vector_store_files_waiting ON vector_store_files (seq) WHERE status = 'in_progress';
CREATE INDEX IF NOT EXISTS vector_store_files_by_file ON vector_store_files (id);

CREATE TABLE IF NOT EXISTS vector_store_file_batches (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  vector_store_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS vector_store_file_batches_by_store ON vector_store_file_batches (vector_store_id);
`;

/**
 * Pages of a new database, in bytes (SQLite's default is 4,096; a database keeps the size it was created with).
 * Every run write inserts into some twenty B-tree indexes (the store's and the query index's): with 16 KB pages
 * they are a level shallower and each insert fetches fewer pages, so a bulk seed of 100,000 runs into a million
 * costs about a third less CPU, and the cost grows less with the data (measured in src/bench/README.md, "Scale").
 */
export const NEW_DATABASE_PAGE_BYTES = 16_384;

export function openDatabase(path: string): Db {
  const db = new Database(path);
  // Only takes effect while the file is empty (before WAL mode and the first table).
  db.pragma(`page_size = ${NEW_DATABASE_PAGE_BYTES}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}
