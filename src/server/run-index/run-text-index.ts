import { RUN_STATUSES } from '../../shared/openai-types';
import { statusRank } from '../../shared/run-sort-keys';
import { metadataText, outcomeText } from '../../shared/run-text';
import type { IndexedRun } from '../../shared/runs-query-types';
import type { IndexDb } from './run-index-schema';

/**
 * The trigram index of the text a search reads in a run besides its thread, assistant and model (looked up in
 * their own columns, see `text-search.ts`) and its id (matched by its start, on the id's own index): the run's
 * metadata, outcome and preview, lowercased as `runSearchText` does. Exact (positions kept, case kept as written): a
 * word of 3 characters or more is a phrase of its trigrams, true of a run exactly when its text holds the word, so a
 * match is never confirmed on the row. Contentless (the text is not stored twice) and deleted by rowid; a run
 * without any such text (most runs that ended well) has no entry at all, so writing it costs the index nothing.
 *
 * The rowid is the run's `ord` × 16 + its status rank: counts by status and a status's matches are read from the
 * index alone. Two trailing spaces make every word of 1 or 2 characters the start of a trigram (`shortWordTerms`).
 */
export const TEXT_INDEX_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS query_run_text USING fts5(
  text, content='', contentless_delete=1, tokenize='trigram case_sensitive 1'
);
CREATE VIRTUAL TABLE IF NOT EXISTS query_run_text_terms USING fts5vocab(query_run_text, 'row');
`;

const STATUS_BITS = 4;
if (RUN_STATUSES.length > 1 << STATUS_BITS) throw new Error('Status ranks no longer fit the text rowid');

/** The text index's rowid of a run: its `ord` and its status rank. */
export function textRowid(ord: number, rank: number): number {
  return ord * (1 << STATUS_BITS) + rank;
}

/** SQL of a text rowid's run `ord` and status rank. */
export const ORD_OF_TEXT_ROWID = `rowid >> ${STATUS_BITS}`;
export const RANK_OF_TEXT_ROWID = `rowid & ${(1 << STATUS_BITS) - 1}`;

/**
 * What the trigram index holds of a run (see `runSearchText`, of which it is the part without the looked-up ids);
 * null when the run has none of it.
 */
export function indexedText(run: IndexedRun): string | null {
  const parts = [metadataText(run), outcomeText(run), run.preview?.input ?? '', run.preview?.output ?? ''];
  const text = parts.join(' ').toLowerCase();
  return text.trim() === '' ? null : `${text}  `;
}

/** What `query_index_state` says once the text index holds no run ids (an earlier one held them). */
export const TEXT_INDEX_STATE = { key: 'text_index', value: 'without-run-ids' };

/** A word as an FTS5 string (a phrase of its trigrams). */
export const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** Keeps the text index of the runs: a run's entry changes with its text or its status. */
export class RunTextIndex {
  private readonly insert;
  private readonly remove;
  private readonly terms;

  constructor(db: IndexDb) {
    this.insert = db.prepare('INSERT INTO query_run_text (rowid, text) VALUES (?, ?)');
    this.remove = db.prepare('DELETE FROM query_run_text WHERE rowid = ?');
    this.terms = db
      .prepare('SELECT term FROM query_run_text_terms WHERE term > @word AND term < @after')
      .pluck();
  }

  add(ord: number, run: IndexedRun): void {
    const text = indexedText(run);
    if (text !== null) this.insert.run(textRowid(ord, statusRank(run.status)), text);
  }

  /** Removes the run's entry (nothing when it has none). */
  delete(ord: number, rank: number): void {
    this.remove.run(textRowid(ord, rank));
  }

  /** Replaces the run's entry when its text or its status changed. */
  update(ord: number, before: IndexedRun, after: IndexedRun): void {
    if (before.status === after.status && indexedText(before) === indexedText(after)) return;
    this.delete(ord, statusRank(before.status));
    this.add(ord, after);
  }

  /**
   * The trigrams starting with a word of 1 or 2 characters: a run's text holds the word exactly when it holds one
   * of them (the text ends with two spaces).
   */
  shortWordTerms(word: string): string[] {
    return this.terms.all({ word, after: `${word}\u{10FFFF}\u{10FFFF}` }) as string[];
  }
}
