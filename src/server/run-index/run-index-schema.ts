import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RUN_SORTS, type RunSortDescriptor } from '../../shared/run-sort-keys';
import { RUN_SORT_FIELDS, type RunSortField } from '../../shared/runs-query-types';
import { QUERY_RUN_BODY_SQL, SORT_KEY_COLUMNS } from '../../assistants-server/store/query-rows/query-row';
import { TEXT_INDEX_SCHEMA } from './run-text-index';

export type IndexDb = Database.Database;

/** The indexed column each sort reads (`RUN_SORTS`: text columns hold the natural sort key of `naturalSortKey`). */
export function sortColumn(field: RunSortField): string {
  return RUN_SORTS[field].column;
}

function sqlTypeOf(sort: RunSortDescriptor): string {
  if (!sort.numeric) return 'TEXT NOT NULL';
  return sort.live ? 'REAL' : 'INTEGER NOT NULL';
}

/** The index of one status's runs in `field`'s order (by status, that is the status index itself). */
export function statusSortIndex(field: RunSortField): string {
  return field === 'status' ? 'query_runs_by_status' : `query_runs_by_status_${field}`;
}

const TOTAL_SUMS = ['n', 'runs_with_usage', 'prompt_tokens', 'completion_tokens', 'total_tokens'];

/**
 * One row per run with every column a filter or a sort reads, beside the run's wire JSON. `ord` (insertion order,
 * kept by upserts) is the unique tiebreaker of every sort, so a cursor is (sort value, ord). Each sort has one index
 * within a status: a page across threads merges one range per status (a page walks it, skipping rows the filter
 * refuses, when enough rows match; a status and a sort are often related, failed runs have few tokens); a thread's runs are
 * indexed by creation only, and sorted otherwise (a thread holds few runs next to all of them; fewer indexes keep
 * every write and bulk seed cheaper). Counts and usage read `query_run_totals`, kept by every write.
 * `k_duration` is null while the run is active: its duration grows with time and is computed at query time (few runs
 * are active: one per thread at most).
 *
 * The tables are named `query_*` so they can live beside the emulator's own (`runs`, `threads`) in its database:
 * one schema and one set of queries, in the emulator's database or in proxy mode's own file.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS query_threads (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  search_text TEXT NOT NULL,
  last_activity_at INTEGER NOT NULL,
  run_count INTEGER NOT NULL DEFAULT 0,
  active_run_count INTEGER NOT NULL DEFAULT 0,
  waiting_run_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS query_threads_by_activity ON query_threads (last_activity_at, id);

CREATE TABLE IF NOT EXISTS query_runs (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  thread_id TEXT NOT NULL,
  assistant_id TEXT NOT NULL,
  model TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  activity_at INTEGER NOT NULL,
${SORT_KEY_COLUMNS.map((sort) => `  ${sort.column} ${sqlTypeOf(sort)},\n`).join('')}  usage_prompt INTEGER,
  usage_completion INTEGER,
  usage_total INTEGER,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS query_runs_by_status ON query_runs (k_status, ord);
${RUN_SORT_FIELDS.filter((field) => field !== 'status')
  .map(
    (field) =>
      `CREATE INDEX IF NOT EXISTS ${statusSortIndex(field)} ON query_runs (k_status, ${sortColumn(field)}, ord);`,
  )
  .join('\n')}
CREATE INDEX IF NOT EXISTS query_runs_by_thread ON query_runs (thread_id, created_at, ord);
CREATE INDEX IF NOT EXISTS query_runs_by_assistant_id ON query_runs (assistant_id, k_status);
CREATE INDEX IF NOT EXISTS query_runs_by_model_name ON query_runs (model, k_status);

${TEXT_INDEX_SCHEMA}
-- Runs and their token usage per (thread, status, model), kept by every write: counts, totals and usage filtered by
-- thread, status and model only never read the runs.
CREATE TABLE IF NOT EXISTS query_run_totals (
  thread_id TEXT NOT NULL,
  k_status INTEGER NOT NULL,
  model TEXT NOT NULL,
  ${TOTAL_SUMS.map((sum) => `${sum} INTEGER NOT NULL,`).join('\n  ')}
  PRIMARY KEY (thread_id, k_status, model)
) WITHOUT ROWID;
-- The same over all threads, kept by triggers on the above (a count or usage of every thread reads a few rows).
CREATE TABLE IF NOT EXISTS query_run_totals_all (
  k_status INTEGER NOT NULL,
  model TEXT NOT NULL,
  ${TOTAL_SUMS.map((sum) => `${sum} INTEGER NOT NULL,`).join('\n  ')}
  PRIMARY KEY (k_status, model)
) WITHOUT ROWID;
${['INSERT', 'UPDATE', 'DELETE']
  .map((change) => {
    const add = (row: string, sign: string) =>
      `INSERT INTO query_run_totals_all SELECT ${row}.k_status, ${row}.model, ${TOTAL_SUMS.map((sum) => `${sign}${row}.${sum}`).join(', ')} WHERE true
       ON CONFLICT (k_status, model) DO UPDATE SET ${TOTAL_SUMS.map((sum) => `${sum} = ${sum} + excluded.${sum}`).join(', ')};`;
    return `CREATE TRIGGER IF NOT EXISTS query_run_totals_${change.toLowerCase()} AFTER ${change} ON query_run_totals BEGIN
      ${change === 'INSERT' ? '' : add('OLD', '-')} ${change === 'DELETE' ? '' : add('NEW', '')}
    END;`;
  })
  .join('\n')}

CREATE TABLE IF NOT EXISTS query_run_metadata (
  run_ord INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (key, value, run_ord)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS query_run_metadata_by_run ON query_run_metadata (run_ord);

-- What the index was built from, once (the emulator's data, when it opened on a database written before it).
CREATE TABLE IF NOT EXISTS query_index_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Proxy mode: the threads Runboard indexes from the upstream, and how far each is loaded.
CREATE TABLE IF NOT EXISTS watched_threads (
  thread_id TEXT PRIMARY KEY,
  added_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  error TEXT,
  refreshed_at INTEGER,
  full_sync_at INTEGER
);
`;

/**
 * In the emulator's database, a bulk-loaded run's `query_runs.body` is '' (written once, in the store's `runs` row:
 * a seed of 100,000 runs writes 70 MB less), and read from there while it stays as loaded. Before the store changes
 * or deletes that row, these triggers copy its body into the index (the index's own write that follows reads what
 * the run was, as for any run).
 */
const STORE_BODY_TRIGGERS = ['UPDATE OF body', 'DELETE']
  .map(
    (change) => `CREATE TRIGGER IF NOT EXISTS query_runs_keep_body_${change.split(' ')[0]!.toLowerCase()}
  BEFORE ${change} ON runs BEGIN
    UPDATE query_runs SET body = OLD.body WHERE id = OLD.id AND body = '';
  END;`,
  )
  .join('\n');

/** Whether the index shares the emulator's database, whose `runs` rows hold the bodies of bulk-loaded runs. */
export function readsStoreBodies(db: IndexDb): boolean {
  return db.prepare("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'body'").get() !== undefined;
}

/** SQL of a `query_runs` row's body (its own, or the store's row's for a bulk-loaded run: `STORE_BODY_TRIGGERS`). */
export function runBodySql(db: IndexDb): string {
  return readsStoreBodies(db) ? QUERY_RUN_BODY_SQL : 'query_runs.body';
}

/** Creates the index's tables in `db` where they are missing (the emulator's database, or proxy mode's own file). */
export function ensureIndexSchema(db: IndexDb): void {
  db.exec(SCHEMA);
  if (readsStoreBodies(db)) db.exec(STORE_BODY_TRIGGERS);
}

/** Tables of the proxy index file before they were named `query_*` (the runs were reloaded from the upstream). */
const LEGACY_PROXY_TABLES = ['runs_search', 'run_metadata', 'status_counts', 'runs', 'threads'];

/**
 * Proxy mode's own index file (RUNBOARD_INDEX_DB), kept across restarts. A file from before the tables were renamed
 * loses its copy of the runs (the upstream holds them) and keeps its watched threads, each listed whole again.
 */
export function openIndexDatabase(path: string): IndexDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== ':memory:') {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  const legacy = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'status_counts'")
    .pluck()
    .get();
  db.transaction(() => {
    if (legacy) for (const table of LEGACY_PROXY_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
    ensureIndexSchema(db);
    if (legacy) db.exec("UPDATE watched_threads SET state = 'loading', full_sync_at = NULL");
  })();
  return db;
}
