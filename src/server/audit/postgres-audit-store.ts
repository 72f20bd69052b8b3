import type { SqlQueryable } from '../../assistants-server/store/postgres/sql-client';
import { storableText } from '../../assistants-server/store/postgres/copy/storable-text';
import { AUDIT_ENTRY_COLUMNS, type AuditEntry } from '../../shared/audit-types';
import { clip, clippedEntry, DEFAULT_AUDIT_MAX_ENTRIES, listLimit, type AuditStore } from './audit-store';

const COLUMNS = AUDIT_ENTRY_COLUMNS;

/** Text PostgreSQL can hold (U+0000 as U+FFFD): an audited path or summary may quote what a client sent. */
const storable = (value: unknown) => (typeof value === 'string' ? storableText(value).value : value);

/**
 * The audit trail in the server's PostgreSQL database (`audit_entries`, migration 1), shared by every instance: the
 * same entries, bounds and order as the SQLite file's. The client belongs to the server's store: `close` leaves it.
 */
export function openPostgresAuditStore(db: SqlQueryable, maxEntries = DEFAULT_AUDIT_MAX_ENTRIES): AuditStore {
  return {
    async record(entry) {
      const row = clippedEntry(entry);
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO audit_entries (${COLUMNS.join(', ')})
         VALUES (${COLUMNS.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING id`,
        COLUMNS.map((column) => storable(row[column])),
      );
      const id = rows[0]!.id;
      // Ids only grow (an identity), so the oldest entries are those at or below the newest id - max.
      await db.query('DELETE FROM audit_entries WHERE id <= $1', [id - maxEntries]);
      return id;
    },
    async identifyRun(entryId, runId, threadId) {
      await db.query(
        `UPDATE audit_entries SET run_id = COALESCE(run_id, $2), thread_id = COALESCE(thread_id, $3) WHERE id = $1`,
        [entryId, clip(runId), clip(threadId)],
      );
    },
    async list({ runId, threadId, limit = 100 }) {
      // No stored id holds U+0000 (PostgreSQL cannot): nothing matches one that does, as on SQLite.
      if (runId?.includes('\u0000') || threadId?.includes('\u0000')) return [];
      const { rows } = await db.query<AuditEntry>(
        `SELECT id, ${COLUMNS.join(', ')} FROM audit_entries
         WHERE ($1::text IS NULL OR run_id = $1) AND ($2::text IS NULL OR thread_id = $2)
         ORDER BY id DESC LIMIT $3`,
        [runId ?? null, threadId ?? null, listLimit(limit)],
      );
      return rows;
    },
    close: () => {},
  };
}
