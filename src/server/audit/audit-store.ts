import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEntry } from '../../shared/audit-types';

const MAX_LIST = 500;
/** Entries kept by default (RUNBOARD_AUDIT_MAX_ENTRIES); each is under 2 KB (its free-text fields are capped). */
export const DEFAULT_AUDIT_MAX_ENTRIES = 100_000;
const MAX_PATH = 300;
const MAX_ID = 128;

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

/** The audit trail: in its own SQLite file (below), or in the server's PostgreSQL database (`postgres-audit-store.ts`). */
export interface AuditStore {
  /** Returns the entry's id. */
  record(entry: Omit<AuditEntry, 'id'>): Promise<number>;
  /** Fills in the run (and thread) of an entry recorded before they were known (a streamed create). */
  identifyRun(entryId: number, runId: string, threadId: string): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
  close(): void;
}

/**
 * The audit trail in its own SQLite file, so it exists in proxy mode too (the emulator's DB does not).
 * `:memory:` keeps it for the process only. It holds at most `maxEntries`: each new entry prunes the oldest beyond.
 */
export function openAuditStore(path: string, maxEntries = DEFAULT_AUDIT_MAX_ENTRIES): AuditStore {
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
  // Ids only grow (AUTOINCREMENT, never reused), so the oldest entries are those at or below the newest id - max.
  const prune = db.prepare('DELETE FROM audit_entries WHERE id <= ?');
  const identify = db.prepare(
    `UPDATE audit_entries SET run_id = COALESCE(run_id, @run_id), thread_id = COALESCE(thread_id, @thread_id)
     WHERE id = @id`,
  );
  return {
    record: async (entry) => {
      const id = Number(insert.run(clippedEntry(entry)).lastInsertRowid);
      prune.run(id - maxEntries);
      return id;
    },
    identifyRun: async (entryId, runId, threadId) =>
      void identify.run({ id: entryId, run_id: clip(runId, MAX_ID), thread_id: clip(threadId, MAX_ID) }),
    list: async ({ runId, threadId, limit = 100 }) =>
      select.all({
        run_id: runId ?? null,
        thread_id: threadId ?? null,
        limit: listLimit(limit),
      }) as AuditEntry[],
    close: () => db.close(),
  };
}

/** An entry with its free-text fields capped (each entry stays under 2 KB). */
export function clippedEntry(entry: Omit<AuditEntry, 'id'>): Omit<AuditEntry, 'id'> {
  return {
    ...entry,
    path: clip(entry.path, MAX_PATH),
    thread_id: entry.thread_id && clip(entry.thread_id, MAX_ID),
    run_id: entry.run_id && clip(entry.run_id, MAX_ID),
  };
}

export const listLimit = (limit: number) => Math.min(Math.max(1, limit), MAX_LIST);

export function clip(text: string, max = MAX_ID): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
