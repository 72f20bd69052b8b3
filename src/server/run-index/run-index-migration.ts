import type { Logger } from '../../platform/logger';
import { RUN_SORT_FIELDS, type IndexedRun } from '../../shared/runs-query-types';
import type { IndexDb } from './run-index-schema';
import { RunTextIndex } from './run-text-index';

const PROGRESS_EVERY = 100_000;

/**
 * Brings an index written by an earlier version to the current shape, once, in one transaction (a kill -9 midway
 * leaves the earlier shape, migrated again at the next start), with progress in the log. The earlier shape kept
 * each run's whole search text in a column, under a trigram index without positions (every match confirmed on the
 * row); the current one keeps the exact trigram index of `run-text-index.ts` and no copy of the text, and the
 * totals over all threads (`query_run_totals_all`). Called after `ensureIndexSchema` made the new tables.
 */
export function migrateIndexShape(db: IndexDb, logger: Logger | undefined): void {
  // Sorts across threads read one range per status (the indexes within a status): the indexes of each sort across
  // threads are no longer kept (dropped whatever the shape: quick, and nothing when already gone).
  for (const field of RUN_SORT_FIELDS) {
    if (field !== 'status') db.exec(`DROP INDEX IF EXISTS query_runs_by_${field}`);
  }
  const columns = db.prepare("SELECT name FROM pragma_table_info('query_runs')").pluck().all() as string[];
  if (!columns.includes('search_text')) return;
  const started = performance.now();
  const total = db.prepare('SELECT COUNT(*) FROM query_runs').pluck().get() as number;
  logger?.info('Query index: migrating to the exact trigram index, once', { runs: total });
  db.transaction(() => {
    db.exec('DROP TABLE IF EXISTS query_run_search');
    db.exec("INSERT INTO query_run_text (query_run_text) VALUES ('delete-all')");
    const text = new RunTextIndex(db);
    // In batches: the connection cannot write while a read is being iterated.
    const batch = db.prepare('SELECT ord, body FROM query_runs WHERE ord > ? ORDER BY ord LIMIT 10000');
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
    logger?.info('Query index: migrating, rewriting the runs without their search text', { runs: total });
    db.exec('ALTER TABLE query_runs DROP COLUMN search_text');
    db.exec(`DELETE FROM query_run_totals_all;
      INSERT INTO query_run_totals_all
        SELECT k_status, model, SUM(n), SUM(runs_with_usage), SUM(prompt_tokens), SUM(completion_tokens),
          SUM(total_tokens)
        FROM query_run_totals GROUP BY k_status, model`);
  })();
  logger?.info('Query index: migrated', {
    runs: total,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
}
