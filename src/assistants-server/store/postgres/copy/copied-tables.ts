import { AUDIT_ENTRY_COLUMNS } from '../../../../shared/audit-types';
import { runSearchText } from '../../../../shared/run-text';
import type { IndexedRun } from '../../../../shared/runs-query-types';
import { QUERY_RUN_BODY_SQL, QUERY_RUN_ROW_COLUMNS, RUN_TOTALS_COLUMNS } from '../../query-rows/query-row';
/** How one SQLite table is copied: the same name and columns on both sides (the PostgreSQL schema keeps SQLite's). */
export interface CopiedTable {
  name: string;
  /** The SQLite file it is read from: the store's, or the audit trail's own. */
  source: 'store' | 'audit';
  /** The columns read and written, in order. */
  columns: readonly string[];
  /** Columns stored as jsonb (SQLite's TEXT holding JSON). */
  json?: readonly string[];
  /** Columns stored as bytea (SQLite's BLOBs: embeddings as Float32). */
  binary?: readonly string[];
  /** The unique key the table is read in order of, a page at a time. */
  key: readonly string[];
  /**
   * The identity column whose values are kept (`OVERRIDING SYSTEM VALUE`: some are `GENERATED ALWAYS`) and whose
   * sequence then moves past them, so new rows never reuse an id.
   */
  identity?: string;
  /**
   * Columns PostgreSQL keeps that SQLite no longer does, computed from the row read (SQLite's run search text lives
   * in its trigram index, which keeps no text; PostgreSQL's GIN trigram index reads a column).
   */
  derived?: Readonly<Record<string, (row: Readonly<Record<string, unknown>>) => unknown>>;
  /**
   * Columns read by an SQL expression rather than as they are, when the source has the table it reads (`needs`):
   * a bulk-loaded run's body is the store's `runs` row's; a file without that table (an index of its own) holds
   * every body itself.
   */
  read?: Readonly<Record<string, { sql: string; needs: string }>>;
}

/** A run's search text from its stored body; '' when the body is not JSON (its own check then stops the copy, naming the row). */
function searchTextOf(body: string): string {
  try {
    return runSearchText(JSON.parse(body) as IndexedRun);
  } catch {
    return '';
  }
}

const object = (name: string, columns: readonly string[]): CopiedTable => ({
  name,
  source: 'store',
  columns: ['seq', ...columns, 'body'],
  json: ['body'],
  key: ['seq'],
  identity: 'seq',
});

/**
 * Every table the copy moves, in an order that keeps the ids readable as they arrive (objects before what refers to
 * them, chunks before their embeddings). Left out: SQLite's own counters (identities here), the full-text tables
 * (GIN indexes here, and file search's `tsvector` is a generated column), proxy mode's watched threads (not the
 * server's store), and a lease (SQLite has none). Uploaded files' bytes are not a table on SQLite: `copy-file-bytes.ts`
 * moves them from the folder beside the database.
 */
export const COPIED_TABLES: readonly CopiedTable[] = [
  { name: 'settings', source: 'store', columns: ['key', 'value'], key: ['key'] },
  object('assistants', ['id', 'created_at']),
  object('threads', ['id', 'created_at']),
  object('messages', ['id', 'thread_id', 'run_id', 'created_at']),
  {
    name: 'message_text_appends',
    source: 'store',
    columns: ['seq', 'message_id', 'text'],
    key: ['seq'],
    identity: 'seq',
  },
  {
    name: 'runs',
    source: 'store',
    columns: [
      'seq',
      'id',
      'thread_id',
      'created_at',
      'status',
      'body',
      'internal',
      'next_transition',
      'due_at',
    ],
    json: ['body', 'internal'],
    key: ['seq'],
    identity: 'seq',
  },
  object('run_steps', ['id', 'run_id', 'created_at']),
  {
    name: 'model_calls',
    source: 'store',
    columns: ['seq', 'run_id', 'body'],
    json: ['body'],
    key: ['seq'],
    identity: 'seq',
  },
  {
    name: 'query_threads',
    source: 'store',
    columns: [
      'id',
      'created_at',
      'body',
      'search_text',
      'last_activity_at',
      'run_count',
      'active_run_count',
      'waiting_run_count',
    ],
    json: ['body'],
    key: ['id'],
  },
  {
    name: 'query_runs',
    source: 'store',
    columns: ['ord', ...QUERY_RUN_ROW_COLUMNS, 'search_text'],
    json: ['body'],
    key: ['ord'],
    identity: 'ord',
    read: { body: { sql: QUERY_RUN_BODY_SQL, needs: 'runs' } },
    derived: { search_text: (row) => searchTextOf(String(row.body)) },
  },
  {
    name: 'query_run_totals',
    source: 'store',
    columns: RUN_TOTALS_COLUMNS,
    key: ['thread_id', 'k_status', 'model'],
  },
  {
    name: 'query_run_metadata',
    source: 'store',
    columns: ['run_ord', 'key', 'value'],
    key: ['key', 'value', 'run_ord'],
  },
  { name: 'query_index_state', source: 'store', columns: ['key', 'value'], key: ['key'] },
  object('files', ['id', 'purpose', 'created_at']),
  object('vector_stores', ['id', 'created_at']),
  object('vector_store_file_batches', ['id', 'vector_store_id', 'created_at']),
  object('vector_store_files', ['id', 'vector_store_id', 'batch_id', 'status', 'usage_bytes', 'created_at']),
  {
    name: 'file_search_files',
    source: 'store',
    columns: ['vector_store_id', 'file_id', 'filename', 'chunk_count', 'usage_bytes'],
    key: ['vector_store_id', 'file_id'],
  },
  {
    name: 'file_search_chunks',
    source: 'store',
    columns: ['id', 'vector_store_id', 'file_id', 'chunk_index', 'text', 'tokens'],
    key: ['id'],
    identity: 'id',
  },
  {
    name: 'file_search_embeddings',
    source: 'store',
    columns: ['chunk_id', 'vector_store_id', 'embedding'],
    binary: ['embedding'],
    key: ['chunk_id'],
  },
  {
    name: 'file_search_store_versions',
    source: 'store',
    columns: ['vector_store_id', 'version'],
    key: ['vector_store_id'],
  },
  {
    name: 'audit_entries',
    source: 'audit',
    columns: ['id', ...AUDIT_ENTRY_COLUMNS],
    key: ['id'],
    identity: 'id',
  },
];
