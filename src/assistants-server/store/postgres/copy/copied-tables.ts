import { runSearchText } from '../../../../shared/run-text';
import type { IndexedRun } from '../../../../shared/runs-query-types';
import { QUERY_RUN_ROW_COLUMNS, RUN_TOTALS_COLUMNS } from '../../query-rows/query-row';
/** How one SQLite table is copied: the same name and columns on both sides (the PostgreSQL schema keeps SQLite's). */
export interface CopiedTable {
  name: string;
  /** The SQLite file it is read from: the store's, or the audit trail's own. */
  source: 'store' | 'audit';
  /** The columns read and written, in order. */
  columns: readonly string[];
  /** Columns stored as jsonb (SQLite's TEXT holding JSON). */
  json?: readonly string[];
  /** The unique key the table is read in order of, a page at a time. */
  key: readonly string[];
  /** The identity column whose sequence moves past the copied values, so new rows never reuse an id. */
  identity?: string;
  /**
   * Columns PostgreSQL keeps that SQLite no longer does, computed from the row read (SQLite's run search text lives
   * in its trigram index, which keeps no text; PostgreSQL's GIN trigram index reads a column).
   */
  derived?: Readonly<Record<string, (row: Readonly<Record<string, unknown>>) => unknown>>;
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
 * them). Left out: SQLite's own counters (identities here), the full-text table (a GIN index here), proxy mode's
 * watched threads (not the server's store), and a lease (SQLite has none).
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
  {
    name: 'audit_entries',
    source: 'audit',
    columns: [
      'id',
      'at',
      'method',
      'path',
      'action',
      'thread_id',
      'run_id',
      'status',
      'source',
      'summary',
      'error',
    ],
    key: ['id'],
    identity: 'id',
  },
];
