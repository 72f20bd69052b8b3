import type { Migration } from './migration';

/**
 * The words of a text search and each run's status, apart from the runs' bodies: a search's count (and a page's
 * total) reads every matching row to confirm the trigram index's match and group by status, and `query_runs`' rows
 * are wide (the body, ~900 bytes: about 6 to a page), so 33,000 matches of 1,000,000 runs read 33,000 pages.
 * `query_run_search` holds `ord`, `k_status` and `search_text` (~130 bytes a row: 16,700 pages in all), with its own
 * trigram index. Kept by triggers on `query_runs`, in the same transaction as every write of it (insert, an update
 * of the status or the text, delete, truncate), so no writer has to know it; filled from `query_runs` here.
 */
const sql = `
CREATE TABLE query_run_search (
  ord bigint PRIMARY KEY,
  k_status integer NOT NULL,
  search_text text NOT NULL
);
INSERT INTO query_run_search (ord, k_status, search_text) SELECT ord, k_status, search_text FROM query_runs;
CREATE INDEX query_run_search_text ON query_run_search USING gin (search_text gin_trgm_ops);

CREATE FUNCTION query_run_search_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM query_run_search WHERE ord = OLD.ord;
  ELSE
    INSERT INTO query_run_search (ord, k_status, search_text) VALUES (NEW.ord, NEW.k_status, NEW.search_text)
    ON CONFLICT (ord) DO UPDATE SET k_status = EXCLUDED.k_status, search_text = EXCLUDED.search_text;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER query_run_search_inserted_or_deleted AFTER INSERT OR DELETE ON query_runs
  FOR EACH ROW EXECUTE FUNCTION query_run_search_kept();
CREATE TRIGGER query_run_search_updated AFTER UPDATE ON query_runs FOR EACH ROW
  WHEN (OLD.k_status IS DISTINCT FROM NEW.k_status OR OLD.search_text IS DISTINCT FROM NEW.search_text)
  EXECUTE FUNCTION query_run_search_kept();

CREATE FUNCTION query_run_search_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE query_run_search;
  RETURN NULL;
END
$$;
CREATE TRIGGER query_run_search_truncated AFTER TRUNCATE ON query_runs
  FOR EACH STATEMENT EXECUTE FUNCTION query_run_search_emptied();
`;

export const runSearchTable: Migration = { version: 7, name: 'run search table', sql };
