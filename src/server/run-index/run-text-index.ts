import { statusRank } from '../../shared/run-sort-keys';
import { metadataText, outcomeText } from '../../shared/run-text';
import type { IndexedRun } from '../../shared/runs-query-types';
import type { IndexDb } from './run-index-schema';

/**
 * The trigram index of the text a search reads in a run besides its thread, assistant and model (looked up in
 * their own columns, see `text-search.ts`) and its id (matched by its start, on the id's own index): the run's
 * metadata, outcome and preview, lowercased as `runSearchText` does. Exact (positions kept, case kept as written): a
 * word of 3 characters or more is a phrase of its trigrams, true of a text exactly when it holds the word, so a
 * match is never confirmed on the row. Two trailing spaces make every word of 1 or 2 characters the start of a
 * trigram (`shortWordTerms`).
 *
 * Each distinct text is indexed once (`query_run_text_distinct`, whose rowid is the text index's): runs share their
 * errors, incomplete reasons and metadata, so a search matching 30,000 runs of one error reads one text's trigrams,
 * then that text's runs. `query_run_text_runs` lists the runs of each text by status: the counts by status of a
 * search and a status's matches are read from it alone. A run without any such text (most runs that ended well) has
 * no entry at all, so writing it costs the index nothing. The trigram index is contentless (the text is stored once,
 * beside it) and deleted by rowid when its last run goes.
 */
export const TEXT_INDEX_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS query_run_text USING fts5(
  text, content='', contentless_delete=1, tokenize='trigram case_sensitive 1'
);
CREATE VIRTUAL TABLE IF NOT EXISTS query_run_text_terms USING fts5vocab(query_run_text, 'row');
CREATE TABLE IF NOT EXISTS query_run_text_distinct (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS query_run_text_runs (
  text_id INTEGER NOT NULL,
  k_status INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  PRIMARY KEY (text_id, k_status, ord)
) WITHOUT ROWID;
`;

/** The tables `TEXT_INDEX_SCHEMA` makes that hold rows (emptied by a rebuild). */
export const TEXT_INDEX_TABLES = ['query_run_text_distinct', 'query_run_text_runs'];

/** What `query_index_state` says once the text index is this shape (each distinct text once, no run ids). */
export const TEXT_INDEX_STATE = { key: 'text_index', value: 'distinct-texts-without-run-ids' };

/**
 * SQL of the runs (`ord`) whose text holds the FTS5 query `@param`; of the status `@status_rank` only with
 * `ofStatus`.
 */
export function textMatchRuns(param: string, ofStatus = false): string {
  const status = ofStatus ? ' AND k_status = @status_rank' : '';
  return `SELECT ord FROM query_run_text_runs WHERE text_id IN (${textMatches(param)})${status}`;
}

/** SQL of the texts (`rowid` of `query_run_text_distinct`) holding the FTS5 query `@param`. */
export const textMatches = (param: string) =>
  `SELECT rowid FROM query_run_text WHERE query_run_text MATCH @${param}`;

/** SQL of the runs per status (`rank`, `n`) whose text holds the FTS5 query given as the one parameter. */
export const TEXT_MATCHES_BY_STATUS = `SELECT k_status AS rank, COUNT(*) AS n FROM query_run_text_runs
  WHERE text_id IN (SELECT rowid FROM query_run_text WHERE query_run_text MATCH ?) GROUP BY k_status`;

/**
 * What the trigram index holds of a run (see `runSearchText`, of which it is the part without the looked-up ids);
 * null when the run has none of it.
 */
export function indexedText(run: IndexedRun): string | null {
  const parts = [metadataText(run), outcomeText(run), run.preview?.input ?? '', run.preview?.output ?? ''];
  const text = parts.join(' ').toLowerCase();
  return text.trim() === '' ? null : `${text}  `;
}

/** A word as an FTS5 string (a phrase of its trigrams). */
export const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** Keeps the text index of the runs: a run's entry changes with its text or its status. */
export class RunTextIndex {
  private readonly statements;

  constructor(db: IndexDb) {
    this.statements = {
      textId: db.prepare('SELECT id FROM query_run_text_distinct WHERE text = ?').pluck(),
      insertText: db.prepare('INSERT INTO query_run_text_distinct (text) VALUES (?)'),
      deleteText: db.prepare('DELETE FROM query_run_text_distinct WHERE id = ?'),
      insertTrigrams: db.prepare('INSERT INTO query_run_text (rowid, text) VALUES (?, ?)'),
      deleteTrigrams: db.prepare('DELETE FROM query_run_text WHERE rowid = ?'),
      insertRun: db.prepare('INSERT INTO query_run_text_runs (text_id, k_status, ord) VALUES (?, ?, ?)'),
      deleteRun: db.prepare('DELETE FROM query_run_text_runs WHERE text_id = ? AND k_status = ? AND ord = ?'),
      textHasRuns: db.prepare('SELECT 1 FROM query_run_text_runs WHERE text_id = ? LIMIT 1').pluck(),
      terms: db.prepare('SELECT term FROM query_run_text_terms WHERE term > @word AND term < @after').pluck(),
    };
  }

  add(ord: number, run: IndexedRun): void {
    const text = indexedText(run);
    if (text === null) return;
    const { statements } = this;
    let textId = statements.textId.get(text) as number | undefined;
    if (textId === undefined) {
      textId = Number(statements.insertText.run(text).lastInsertRowid);
      statements.insertTrigrams.run(textId, text);
    }
    statements.insertRun.run(textId, statusRank(run.status), ord);
  }

  /** Removes the run's entry (nothing when it has none), and its text's when no other run holds it. */
  delete(ord: number, run: IndexedRun): void {
    const text = indexedText(run);
    if (text === null) return;
    const { statements } = this;
    const textId = statements.textId.get(text) as number | undefined;
    if (textId === undefined) return;
    statements.deleteRun.run(textId, statusRank(run.status), ord);
    if (statements.textHasRuns.get(textId) !== undefined) return;
    statements.deleteTrigrams.run(textId);
    statements.deleteText.run(textId);
  }

  /** Replaces the run's entry when its text or its status changed. */
  update(ord: number, before: IndexedRun, after: IndexedRun): void {
    if (before.status === after.status && indexedText(before) === indexedText(after)) return;
    this.delete(ord, before);
    this.add(ord, after);
  }

  /**
   * The trigrams starting with a word of 1 or 2 characters: a run's text holds the word exactly when it holds one
   * of them (the text ends with two spaces).
   */
  shortWordTerms(word: string): string[] {
    return this.statements.terms.all({ word, after: `${word}\u{10FFFF}\u{10FFFF}` }) as string[];
  }
}
