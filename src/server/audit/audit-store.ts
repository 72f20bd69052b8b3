import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEntry } from '../../shared/audit-types';

const MAX_LIST = 500;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  action TEXT NOT NULL,
  thread_id TEXT,
  run_id TEXT,
  status INTEGER NOT NULL,
  source TEXT NOT NULL,
  summary TEXT NOT NULL,
  error TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_run ON audit_entries (run_id, id);
CREATE INDEX IF NOT EXISTS audit_by_thread ON audit_entries (thread_id, id);
`;

export interface AuditQuery {
  runId?: string;
  threadId?: string;
  limit?: number;
}

export interface AuditStore {
  record(entry: Omit<AuditEntry, 'id'>): void;
  /** Newest first. */
  list(query: AuditQuery): AuditEntry[];
  close(): void;
}

/**
 * The audit trail in its own SQLite file, so it exists in proxy mode too (the emulator's DB does not).
 * `:memory:` keeps it for the process only.
 */
export function openAuditStore(path: string): AuditStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const insert = db.prepare(
    `INSERT INTO audit_entries (at, method, path, action, thread_id, run_id, status, source, summary, error)
     VALUES (@at, @method, @path, @action, @thread_id, @run_id, @status, @source, @summary, @error)`,
  );
  const select = db.prepare(
    `SELECT * FROM audit_entries
     WHERE (@run_id IS NULL OR run_id = @run_id) AND (@thread_id IS NULL OR thread_id = @thread_id)
     ORDER BY id DESC LIMIT @limit`,
  );
  return {
    record: (entry) => void insert.run(entry),
    list: ({ runId, threadId, limit = 100 }) =>
      select.all({
        run_id: runId ?? null,
        thread_id: threadId ?? null,
        limit: Math.min(Math.max(1, limit), MAX_LIST),
      }) as AuditEntry[],
    close: () => db.close(),
  };
}
