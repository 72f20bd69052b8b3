import type { Migration } from './migration';

/**
 * A text search's page sorted by a text column (id, assistant, model, outcome, metadata) without reading every match
 * (issue 21: "quota" by outcome read its 33,000 runs in `query_runs` and sorted them, 68–74 ms of CPU at 1,000,000
 * runs). Walking the sort's index on `query_runs` does not help there: matches cluster in the sort's order (an error's
 * runs share their outcome, after 900,000 runs without one). So `query_run_search` keeps those sort keys too, with a
 * `(text_id, key, ord)` index each, as it does for created and tokens (migration 8): a page reads at most a page of
 * each matching text's runs, in order. So does a page by duration now (`(text_id, k_duration, ord)`: ended runs in
 * order, active ones computed), which read and sorted every match (33 ms p50, 180 ms p99 at 1,000,000 runs). Kept by
 * the same trigger, which now also fires on those keys.
 *
 * The table is rebuilt (not updated in place: an `UPDATE` of every row would leave a dead copy of each behind).
 */
const sql = `
CREATE TABLE query_run_search_next (
  ord bigint PRIMARY KEY,
  text_id bigint NOT NULL,
  thread_id text COLLATE "C" NOT NULL,
  k_status integer NOT NULL,
  created_at bigint NOT NULL,
  k_tokens bigint NOT NULL,
  k_duration double precision,
  k_id text COLLATE "C" NOT NULL,
  k_assistant text COLLATE "C" NOT NULL,
  k_model text COLLATE "C" NOT NULL,
  k_outcome text COLLATE "C" NOT NULL,
  k_metadata text COLLATE "C" NOT NULL
);
INSERT INTO query_run_search_next
  SELECT search.ord, search.text_id, search.thread_id, search.k_status, search.created_at, search.k_tokens,
         search.k_duration, runs.k_id, runs.k_assistant, runs.k_model, runs.k_outcome, runs.k_metadata
  FROM query_run_search AS search JOIN query_runs AS runs ON runs.ord = search.ord;
DROP TABLE query_run_search;
ALTER TABLE query_run_search_next RENAME TO query_run_search;
ALTER INDEX query_run_search_next_pkey RENAME TO query_run_search_pkey;
CREATE INDEX query_run_search_by_text ON query_run_search (text_id, k_status, ord)
  INCLUDE (created_at, k_tokens, k_duration);
CREATE INDEX query_run_search_by_text_created ON query_run_search (text_id, created_at, ord);
CREATE INDEX query_run_search_by_text_tokens ON query_run_search (text_id, k_tokens, ord);
CREATE INDEX query_run_search_by_text_duration ON query_run_search (text_id, k_duration, ord);
CREATE INDEX query_run_search_by_text_id ON query_run_search (text_id, k_id, ord);
CREATE INDEX query_run_search_by_text_assistant ON query_run_search (text_id, k_assistant, ord);
CREATE INDEX query_run_search_by_text_model ON query_run_search (text_id, k_model, ord);
CREATE INDEX query_run_search_by_text_outcome ON query_run_search (text_id, k_outcome, ord);
CREATE INDEX query_run_search_by_text_metadata ON query_run_search (text_id, k_metadata, ord);
CREATE INDEX query_run_search_by_thread ON query_run_search (thread_id);

CREATE OR REPLACE FUNCTION query_run_search_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous bigint;
  current_text bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM query_run_search WHERE ord = OLD.ord RETURNING text_id INTO previous;
    IF previous IS NOT NULL THEN PERFORM query_run_text_released(previous); END IF;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.search_text = NEW.search_text AND OLD.thread_id = NEW.thread_id
     AND OLD.ord = NEW.ord THEN
    UPDATE query_run_search SET k_status = NEW.k_status, created_at = NEW.created_at, k_tokens = NEW.k_tokens,
      k_duration = NEW.k_duration, k_id = NEW.k_id, k_assistant = NEW.k_assistant, k_model = NEW.k_model,
      k_outcome = NEW.k_outcome, k_metadata = NEW.k_metadata
    WHERE ord = NEW.ord;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM query_run_search WHERE ord = OLD.ord RETURNING text_id INTO previous;
  END IF;
  current_text := query_run_text_id(query_run_text_of(NEW.search_text, NEW.thread_id));
  INSERT INTO query_run_search (ord, text_id, thread_id, k_status, created_at, k_tokens, k_duration, k_id,
      k_assistant, k_model, k_outcome, k_metadata)
    VALUES (NEW.ord, current_text, NEW.thread_id, NEW.k_status, NEW.created_at, NEW.k_tokens, NEW.k_duration,
      NEW.k_id, NEW.k_assistant, NEW.k_model, NEW.k_outcome, NEW.k_metadata);
  IF previous IS NOT NULL AND previous <> current_text THEN PERFORM query_run_text_released(previous); END IF;
  RETURN NULL;
END
$$;
DROP TRIGGER query_run_search_updated ON query_runs;
CREATE TRIGGER query_run_search_updated AFTER UPDATE ON query_runs FOR EACH ROW
  WHEN (OLD.k_status IS DISTINCT FROM NEW.k_status OR OLD.search_text IS DISTINCT FROM NEW.search_text
    OR OLD.thread_id IS DISTINCT FROM NEW.thread_id OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR OLD.k_tokens IS DISTINCT FROM NEW.k_tokens OR OLD.k_duration IS DISTINCT FROM NEW.k_duration
    OR OLD.ord IS DISTINCT FROM NEW.ord OR OLD.k_id IS DISTINCT FROM NEW.k_id
    OR OLD.k_assistant IS DISTINCT FROM NEW.k_assistant OR OLD.k_model IS DISTINCT FROM NEW.k_model
    OR OLD.k_outcome IS DISTINCT FROM NEW.k_outcome OR OLD.k_metadata IS DISTINCT FROM NEW.k_metadata)
  EXECUTE FUNCTION query_run_search_kept();
ANALYZE query_run_search;
`;

export const runSearchTextKeys: Migration = { version: 9, name: 'run search text keys', sql };
