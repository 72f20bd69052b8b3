import type { Logger } from '../../platform/logger';
import { RUN_SORT_FIELDS, type IndexedRun } from '../../shared/runs-query-types';
import { runBodySql, type IndexDb } from './run-index-schema';
import { RunTextIndex, TEXT_INDEX_STATE, TEXT_INDEX_TABLES } from './run-text-index';

const PROGRESS_EVERY = 100_000;

/**
 * Brings an index written by an earlier version to the current shape, once, in one transaction (a kill -9 midway
 * leaves the earlier shape, migrated again at the next start), with progress in the log. The earliest shape kept
 * each run's whole search text in a column, under a trigram index without positions (every match confirmed on the
 * row); the next kept the exact trigram index of `run-text-index.ts` with the runs' ids in it, one entry per run; the
 * current one keeps each distinct text once, without them (`TEXT_INDEX_STATE` says so), and the totals over all threads (`query_run_totals_all`). Called
 * after `ensureIndexSchema` made the new tables.
 */
export function migrateIndexShape(db: IndexDb, logger: Logger | undefined): void {
  // Sorts across threads read one range per status (the indexes within a status): the indexes of each sort across
  // threads are no longer kept (dropped whatever the shape: quick, and nothing when already gone).
  for (const field of RUN_SORT_FIELDS) {
    if (field !== 'status') db.exec(`DROP INDEX IF EXISTS query_runs_by_${field}`);
  }
  const columns = db.prepare("SELECT name FROM pragma_table_info('query_runs')").pluck().all() as string[];
  if (columns.includes('search_text')) migrateSearchText(db, logger);
  else if (!textIndexCurrent(db)) migrateTextIndex(db, logger);
}

function textIndexCurrent(db: IndexDb): boolean {
  const state = db.prepare('SELECT value FROM query_index_state WHERE key = ?').pluck();
  return state.get(TEXT_INDEX_STATE.key) === TEXT_INDEX_STATE.value;
}

/**
 * The text index of the runs written again from their bodies (inside the caller's transaction), marked current. In
 * batches: the connection cannot write while a read is being iterated.
 */
function reindexText(db: IndexDb, logger: Logger | undefined, total: number): void {
  db.exec("INSERT INTO query_run_text (query_run_text) VALUES ('delete-all')");
  for (const table of TEXT_INDEX_TABLES) db.exec(`DELETE FROM ${table}`);
  const text = new RunTextIndex(db);
  const batch = db.prepare(
    `SELECT ord, ${runBodySql(db)} AS body FROM query_runs WHERE ord > ? ORDER BY ord LIMIT 10000`,
  );
  let done = 0;
  let last = 0;
  for (;;) {
    const rows = batch.all(last) as Array<{ ord: number; body: string }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      text.add(row.ord, JSON.parse(row.body) as IndexedRun);
      if (++done % PROGRESS_EVERY === 0) logger?.info('Query index: migrating', { runs: done, of: total });
    }
    last = rows.at(-1)!.ord;
  }
  db.prepare(
    'INSERT INTO query_index_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(TEXT_INDEX_STATE.key, TEXT_INDEX_STATE.value);
}

function migrated(logger: Logger | undefined, total: number, started: number): void {
  logger?.info('Query index: migrated', {
    runs: total,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
}

/**
 * The text index of each distinct text once, without the runs' ids (an id is found by its start on the id's own
 * index): trigrams of random ids were most of what a write of a run cost the text index, and of its size; a text
 * many runs share was read once per run by every search holding it.
 */
function migrateTextIndex(db: IndexDb, logger: Logger | undefined): void {
  const started = performance.now();
  const total = db.prepare('SELECT COUNT(*) FROM query_runs').pluck().get() as number;
  if (total > 0) {
    logger?.info('Query index: migrating to a text index of distinct texts without run ids, once', {
      runs: total,
    });
  }
  db.transaction(() => reindexText(db, logger, total))();
  if (total > 0) migrated(logger, total, started);
}

/** The earliest shape: each run's whole search text in a column, under a trigram index without positions. */
function migrateSearchText(db: IndexDb, logger: Logger | undefined): void {
  const started = performance.now();
  const total = db.prepare('SELECT COUNT(*) FROM query_runs').pluck().get() as number;
  logger?.info('Query index: migrating to the exact trigram index, once', { runs: total });
  db.transaction(() => {
    db.exec('DROP TABLE IF EXISTS query_run_search');
    reindexText(db, logger, total);
    logger?.info('Query index: migrating, rewriting the runs without their search text', { runs: total });
    db.exec('ALTER TABLE query_runs DROP COLUMN search_text');
    db.exec(`DELETE FROM query_run_totals_all;
      INSERT INTO query_run_totals_all
        SELECT k_status, model, SUM(n), SUM(runs_with_usage), SUM(prompt_tokens), SUM(completion_tokens),
          SUM(total_tokens)
        FROM query_run_totals GROUP BY k_status, model`);
  })();
  migrated(logger, total, started);
}
