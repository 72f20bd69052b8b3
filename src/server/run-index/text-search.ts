import { assistantIdsNamed, searchWords } from '../../shared/run-text';
import type { IndexDb } from './run-index-schema';
import { ftsString, ORD_OF_TEXT_ROWID, RANK_OF_TEXT_ROWID, RunTextIndex } from './run-text-index';

type Params = Record<string, string | number>;

/** An exact id pasted into the search finds its object by the id index, not by a text scan. */
export const EXACT_ID = /^(run|thread|asst)_[A-Za-z0-9_-]+$/;

/** Where one word of a search can be found: in the indexed text, or among the values of a looked-up column. */
export interface WordPlaces {
  /** The word as an FTS5 query of the indexed text; null when no run's text holds it. */
  text: string | null;
  models: string[];
  assistants: string[];
  threads: string[];
}

/**
 * A text search resolved against the index: every word must be in the run's indexed text (`run-text-index.ts`),
 * its model, its assistant's id or name, or its thread's id (`runSearchText` says the same in one string). The
 * models, assistants and threads holding a word are few next to the runs: they are looked up first, by value.
 */
export interface TextSearchPlan {
  /** The words only the indexed text holds: one FTS5 query for all of them (null when there are none). */
  textOnly: string | null;
  /** The words some model, assistant or thread holds too: one condition each. */
  mixed: WordPlaces[];
  /** Some word is held by no run. */
  none: boolean;
}

/**
 * How a condition reads the text index: `set` lists every match once, `status-set` those of the status
 * `@status_rank` only. (Asking the index about each run met costs more than listing every match: one search of
 * every segment per run.)
 */
export type TextReading = 'set' | 'status-set';

function matchOf(reading: TextReading, param: string): string {
  const ofStatus = reading === 'status-set' ? ` AND ${RANK_OF_TEXT_ROWID} = @status_rank` : '';
  return `ord IN (SELECT ${ORD_OF_TEXT_ROWID} FROM query_run_text WHERE query_run_text MATCH @${param}${ofStatus})`;
}

const inList = (column: string, param: string) => `${column} IN (SELECT value FROM json_each(@${param}))`;

/** The WHERE terms of a plan (and their parameters in `params`). */
export function textConditions(plan: TextSearchPlan, params: Params, reading: TextReading): string[] {
  if (plan.none) return ['0'];
  const where: string[] = [];
  if (plan.textOnly !== null) {
    params.q_match = plan.textOnly;
    where.push(matchOf(reading, 'q_match'));
  }
  plan.mixed.forEach((places, index) => {
    const anyOf: string[] = [];
    const param = `q_${index}`;
    const lists = [
      ['model', places.models],
      ['assistant_id', places.assistants],
      ['thread_id', places.threads],
    ] as const;
    for (const [column, values] of lists) {
      if (values.length === 0) continue;
      params[`${param}_${column}`] = JSON.stringify(values);
      anyOf.push(inList(column, `${param}_${column}`));
    }
    // Last: a run found by its model, assistant or thread never asks the text index (often never asked at all).
    if (places.text !== null) {
      params[param] = places.text;
      anyOf.push(matchOf(reading, param));
    }
    where.push(`(${anyOf.join(' OR ')})`);
  });
  return where;
}

/** Looks up where the words of a search can be, and counts the matches of the indexed text alone. */
export class TextSearch {
  private readonly text: RunTextIndex;
  private readonly statements;

  constructor(
    db: IndexDb,
    /** The named assistants (id → name): a search also looks in a run's assistant's name (names change). */
    private readonly assistantNames: () => ReadonlyMap<string, string>,
  ) {
    this.text = new RunTextIndex(db);
    // The distinct values of an indexed column, one index seek each.
    const distinct = (column: string) =>
      db
        .prepare(
          `WITH RECURSIVE found(value) AS (
             SELECT MIN(${column}) FROM query_runs
             UNION ALL SELECT (SELECT MIN(${column}) FROM query_runs WHERE ${column} > found.value) FROM found
               WHERE found.value IS NOT NULL)
           SELECT value FROM found WHERE value IS NOT NULL`,
        )
        .pluck();
    this.statements = {
      models: distinct('model'),
      assistants: distinct('assistant_id'),
      // Thread ids are ASCII: SQLite's lower() is the search's lowercasing for them.
      threads: db.prepare('SELECT id FROM query_threads WHERE instr(lower(id), ?) > 0').pluck(),
      countByRank: db.prepare(
        `SELECT ${RANK_OF_TEXT_ROWID} AS rank, COUNT(*) AS n FROM query_run_text WHERE query_run_text MATCH ?
         GROUP BY 1`,
      ),
    };
  }

  /** Null when the search is empty or an exact id (looked up by its column). */
  plan(q: string | undefined): TextSearchPlan | null {
    const trimmed = q?.trim() ?? '';
    // A word inside another word of the search is found wherever that one is: only the others are looked for.
    const words = [...new Set(searchWords(trimmed))].filter(
      (word, _, all) => !all.some((other) => other !== word && other.includes(word)),
    );
    if (words.length === 0 || EXACT_ID.test(trimmed)) return null;
    const models = this.statements.models.all() as string[];
    const assistants = this.statements.assistants.all() as string[];
    const names = this.assistantNames();
    const plan: TextSearchPlan = { textOnly: null, mixed: [], none: false };
    const textOnly: string[] = [];
    for (const word of words) {
      const holds = (value: string) => value.toLowerCase().includes(word);
      const places: WordPlaces = {
        text: this.textQuery(word),
        models: models.filter(holds),
        assistants: [...new Set([...assistants.filter(holds), ...assistantIdsNamed(names, word)])],
        threads: this.statements.threads.all(word) as string[],
      };
      const elsewhere = places.models.length + places.assistants.length + places.threads.length > 0;
      if (elsewhere) plan.mixed.push(places);
      else if (places.text === null) plan.none = true;
      else textOnly.push(places.text);
    }
    if (textOnly.length > 0) plan.textOnly = textOnly.join(' AND ');
    return plan;
  }

  /** Matches per status rank of a plan whose words only the indexed text holds, from the index alone. */
  countTextOnly(plan: TextSearchPlan): Array<{ rank: number; n: number }> | null {
    if (plan.none) return [];
    if (plan.mixed.length > 0 || plan.textOnly === null) return null;
    return this.statements.countByRank.all(plan.textOnly) as Array<{ rank: number; n: number }>;
  }

  /** A word of 3 characters or more is the phrase of its trigrams; a shorter one, any trigram it starts. */
  private textQuery(word: string): string | null {
    if ([...word].length >= 3) return ftsString(word);
    const terms = this.text.shortWordTerms(word);
    return terms.length === 0 ? null : `(${terms.map(ftsString).join(' OR ')})`;
  }
}
