import type { Migration } from './migration';

/**
 * The texts a statement leaves are released once per statement, not once per run (issue 21: one `UPDATE` moving
 * 33,330 runs off one shared text ran for more than 11 minutes). Migration 8's row trigger released the run's old
 * text after each row: `EXISTS (SELECT 1 FROM query_run_search WHERE text_id = …)` walks the index entries this
 * statement already deleted (dead to it, not yet prunable) before it meets a live one or none, so a statement that
 * moves or deletes N runs of one text walked about N²/2 entries (deleting a thread of 20,000 runs that share their
 * text with another thread's: 2.9 s of backend CPU, now 0.11 s; README, "Migration 11").
 *
 * The row trigger now keeps `query_run_search` alone; a statement trigger per event (a transition table cannot serve
 * two) finds the distinct texts the statement's old rows had, as the row trigger did (`query_run_text_of` and the
 * digest's index, creating none), without those its new rows have (an `UPDATE` that keeps a run's text releases
 * nothing, and computes no digest), and releases each once with migration 8's `query_run_text_released`: the same
 * locks and checks, so the protocol with writers and the sweep (`query-tables/run-text-sweep.ts`) is unchanged. The
 * texts no run refers to are still gone when the statement ends, so the readers' bounds (`planTextSearch`) count
 * what they counted before, rather than every text left since the sweep's last pass over it (up to 50 minutes).
 */
const sql = `
CREATE OR REPLACE FUNCTION query_run_search_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM query_run_search WHERE ord = OLD.ord;
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
    DELETE FROM query_run_search WHERE ord = OLD.ord;
  END IF;
  INSERT INTO query_run_search (ord, text_id, thread_id, k_status, created_at, k_tokens, k_duration, k_id,
      k_assistant, k_model, k_outcome, k_metadata)
    VALUES (NEW.ord, query_run_text_id(query_run_text_of(NEW.search_text, NEW.thread_id)), NEW.thread_id,
      NEW.k_status, NEW.created_at, NEW.k_tokens, NEW.k_duration, NEW.k_id, NEW.k_assistant, NEW.k_model,
      NEW.k_outcome, NEW.k_metadata);
  RETURN NULL;
END
$$;

-- The texts of the statement's old rows (left_runs) that none of its new rows (kept_runs, an UPDATE's) has.
CREATE FUNCTION query_run_texts_left() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM query_run_text_released(texts.id)
    FROM (SELECT DISTINCT query_run_text_of(search_text, thread_id) AS text FROM left_runs) AS left_texts
    JOIN query_run_texts AS texts ON texts.digest = query_run_text_digest(left_texts.text);
  ELSE
    PERFORM query_run_text_released(texts.id)
    FROM (SELECT query_run_text_of(search_text, thread_id) AS text FROM left_runs
          EXCEPT SELECT query_run_text_of(search_text, thread_id) FROM kept_runs) AS left_texts
    JOIN query_run_texts AS texts ON texts.digest = query_run_text_digest(left_texts.text);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER query_run_texts_left_by_update AFTER UPDATE ON query_runs
  REFERENCING OLD TABLE AS left_runs NEW TABLE AS kept_runs
  FOR EACH STATEMENT EXECUTE FUNCTION query_run_texts_left();
CREATE TRIGGER query_run_texts_left_by_delete AFTER DELETE ON query_runs
  REFERENCING OLD TABLE AS left_runs
  FOR EACH STATEMENT EXECUTE FUNCTION query_run_texts_left();
`;

export const runTextsReleasedPerStatement: Migration = {
  version: 11,
  name: 'run texts released per statement',
  sql,
};
