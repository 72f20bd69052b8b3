import { assistantIdsNamed, searchWords } from '../../shared/run-text';
import type { IndexDb } from './run-index-schema';
import {
  ftsString,
  RunTextIndex,
  TEXT_MATCHES_BY_STATUS,
  textMatches,
  textMatchRuns,
} from './run-text-index';

type Params = Record<string, string | number>;

/**
 * The runs whose id starts with a word, as ranges of the id's index: one per spelling of the word's letters in
 * upper and lower case (ids are matched ignoring case), each confirmed on the id (`word`).
 */
export interface IdStart {
  word: string;
  /** [from, before) pairs, as JSON. */
  ranges: string;
}

/**
 * Where one word of a search can be found: in the indexed text, at the start of the run's id, or among the values
 * of a looked-up column.
 */
export interface WordPlaces {
  /** The word as an FTS5 query of the indexed text; null when no run's text holds it. */
  text: string | null;
  ids: IdStart | null;
  models: string[];
  assistants: string[];
  threads: string[];
}

/** Up to so many words, each is looked up in the thread ids by SQL; more are looked for in one read of them. */
const WORDS_LOOKED_UP_ONE_BY_ONE = 3;

/** Spellings of a word's start looked up at most: past it, the rest of the word is confirmed on each id found. */
const MAX_ID_SPELLINGS = 64;
/** Every run id the API writes starts so (another upstream's may not: then it is spelled out as any other word). */
const RUN_ID_START = 'run_';

/** The range [from, before) of a binary index holding the strings that start with `prefix`. */
function prefixRange(prefix: string): [string, string] {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return [prefix, `${prefix.slice(0, -1)}${String.fromCodePoint(last + 1)}`];
}

/**
 * The spellings of the start of `word` (lowercase) as it may be written in an id, letters in either case, up to
 * `MAX_ID_SPELLINGS`; `literalStart` (`run_`, when every id starts so) as it is.
 */
function idSpellings(word: string, literalStart: string): string[] {
  let spellings = [literalStart];
  for (const char of word.slice(literalStart.length)) {
    const cases = [...new Set([char, char.toUpperCase()])];
    if (spellings.length * cases.length > MAX_ID_SPELLINGS) break;
    spellings = spellings.flatMap((spelling) => cases.map((one) => spelling + one));
  }
  return spellings;
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
 * `@status_rank` only, `filter-set` every match once but only to filter the runs the other conditions find
 * (`+ord IN (…)`: SQLite starts no read from it, so not from the many runs of a text). (Asking the index about each
 * run met costs more than listing every match: one search of every segment per run.)
 */
export type TextReading = 'set' | 'status-set' | 'filter-set';

/** The runs whose id starts with the word, from the id's index (see `IdStart`). */
export function idStartRuns(param: string): string {
  return `SELECT ids.ord FROM json_each(@${param}_ranges) AS ranges CROSS JOIN query_runs AS ids
    WHERE ids.id >= ranges.value ->> 0 AND ids.id < ranges.value ->> 1
      AND lower(substr(ids.id, 1, length(@${param}_word))) = @${param}_word`;
}

/** Sets the parameters `idStartRuns(param)` reads. */
export function idStartParams(params: Params, param: string, ids: IdStart): void {
  params[`${param}_ranges`] = ids.ranges;
  params[`${param}_word`] = ids.word;
}

function matchOf(reading: TextReading, param: string, on: ConditionsOn): string {
  // On a text's runs, the text itself is asked: the few texts holding the word, not their many runs.
  if (on === 'text-runs') return `text_id IN (${textMatches(param)})`;
  const runs = `ord IN (${textMatchRuns(param, reading === 'status-set')})`;
  return reading === 'filter-set' ? `+${runs}` : runs;
}

/**
 * Where the conditions of a plan are read: on the rows of `query_runs`, or on those of `query_run_text_runs` (a
 * text's runs by `ord`, without their rows: the looked-up columns are then read through their own indexes).
 */
export type ConditionsOn = 'row' | 'text-runs';

const inList = (column: string, param: string, on: ConditionsOn) => {
  const values = `${column} IN (SELECT value FROM json_each(@${param}))`;
  return on === 'row' ? values : `ord IN (SELECT ord FROM query_runs WHERE ${values})`;
};

/** The WHERE terms of a plan (and their parameters in `params`). */
export function textConditions(
  plan: TextSearchPlan,
  params: Params,
  reading: TextReading,
  on: ConditionsOn = 'row',
): string[] {
  if (plan.none) return ['0'];
  const where: string[] = [];
  if (plan.textOnly !== null) {
    params.q_match = plan.textOnly;
    where.push(matchOf(reading, 'q_match', on));
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
      anyOf.push(inList(column, `${param}_${column}`, on));
    }
    if (places.ids) {
      idStartParams(params, `${param}_id`, places.ids);
      anyOf.push(`ord IN (${idStartRuns(`${param}_id`)})`);
    }
    // Last: a run found by its model, assistant or thread never asks the text index (often never asked at all).
    if (places.text !== null) {
      params[param] = places.text;
      anyOf.push(matchOf(reading, param, on));
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
    private readonly db: IndexDb,
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
      threadIds: db.prepare('SELECT id FROM query_threads').pluck(),
      threadsHolding: db.prepare('SELECT id FROM query_threads WHERE instr(lower(id), ?) > 0').pluck(),
      threadCount: db.prepare('SELECT COUNT(*) FROM query_threads').pluck(),
      runsOfThreads: db
        .prepare(
          'SELECT COALESCE(SUM(run_count), 0) FROM query_threads WHERE id IN (SELECT value FROM json_each(?))',
        )
        .pluck(),
      // Two seeks of the id's index: whether some id does not start with `run_`.
      otherIdStart: db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM query_runs WHERE id < ?) OR EXISTS (SELECT 1 FROM query_runs WHERE id >= ?)`,
        )
        .pluck()
        .bind(...prefixRange(RUN_ID_START)),
      countByRank: db.prepare(TEXT_MATCHES_BY_STATUS),
    };
  }

  /**
   * Null when the search is empty. An id pasted whole or its start (`run_8KyQ`) is a word as any other: a run id
   * matches by its start, a thread or assistant id by any piece (they are few, looked up in their columns). A plan
   * with no word left (each one starts every run's id, `run`) filters nothing.
   */
  plan(q: string | undefined): TextSearchPlan | null {
    const trimmed = q?.trim() ?? '';
    const idStart = this.statements.otherIdStart.get() ? '' : RUN_ID_START;
    // A word inside another word of the search is found wherever that one is (in the text, or in an id when it
    // starts that word): only the others are looked for. A start of every run's id is no condition.
    const words = [...new Set(searchWords(trimmed))].filter(
      (word, _, all) =>
        !(idStart !== '' && idStart.startsWith(word)) &&
        !all.some(
          (other) =>
            other !== word &&
            other.includes(word) &&
            (other.startsWith(word) || this.idStart(other, idStart) === null),
        ),
    );
    if (searchWords(trimmed).length === 0) return null;
    const threads = this.threadsHolding(words);
    const models = this.statements.models.all() as string[];
    const assistants = this.statements.assistants.all() as string[];
    const names = this.assistantNames();
    const plan: TextSearchPlan = { textOnly: null, mixed: [], none: false };
    const textOnly: string[] = [];
    for (const word of words) {
      // Held by every thread's id (`read`, in `thread_`): by every run.
      if (threads.every.has(word)) continue;
      const holds = (value: string) => value.toLowerCase().includes(word);
      const places: WordPlaces = {
        text: this.textQuery(word),
        ids: this.idStart(word, idStart),
        models: models.filter(holds),
        assistants: [...new Set([...assistants.filter(holds), ...assistantIdsNamed(names, word)])],
        threads: threads.holding.get(word) ?? [],
      };
      const elsewhere =
        places.ids !== null || places.models.length + places.assistants.length + places.threads.length > 0;
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

  /**
   * Matches per status rank of a plan whose other words are also held by a few threads or by the start of run
   * ids (not by models or assistants, which may hold every run): the text's runs from `query_run_text_runs`, each
   * other word's runs from the indexes of ids, threads and the text, no row read. Null when the plan is not so, or
   * its threads hold more than `maxThreadRuns` runs.
   */
  countTextAndFew(plan: TextSearchPlan, maxThreadRuns: number): Array<{ rank: number; n: number }> | null {
    if (plan.none || plan.textOnly === null || plan.mixed.length === 0) return null;
    const few = plan.mixed.every(
      (places) =>
        places.models.length === 0 &&
        places.assistants.length === 0 &&
        (this.statements.runsOfThreads.get(JSON.stringify(places.threads)) as number) <= maxThreadRuns,
    );
    if (!few) return null;
    const params: Params = {};
    const where = textConditions(plan, params, 'set', 'text-runs');
    return this.db
      .prepare(
        `SELECT k_status AS rank, COUNT(*) AS n FROM query_run_text_runs WHERE ${where.join(' AND ')} GROUP BY k_status`,
      )
      .all(params) as Array<{ rank: number; n: number }>;
  }

  /**
   * A plan as two whose matches together are its own, for a page to read each in its order: `text`, where the
   * first word held both by texts and by a few threads is only looked for in the text (so its matches are a text's
   * runs, listed in order by the index), and `few`, where it is only looked for in those threads (at most
   * `maxThreadRuns` runs, read from their index and sorted). Read as one, the word's condition is an OR that no
   * index answers in order: a page walked the sort's index reading each run's row, or read every run of a status.
   * Null when no word is so (nor when it is also in models or assistants, which may hold every run, or starts run
   * ids, which may be many).
   */
  splitFew(
    plan: TextSearchPlan | null,
    maxThreadRuns: number,
  ): { text: TextSearchPlan; few: TextSearchPlan } | null {
    if (!plan || plan.none) return null;
    const at = plan.mixed.findIndex(
      (places) =>
        places.text !== null &&
        places.models.length === 0 &&
        places.assistants.length === 0 &&
        places.ids === null &&
        places.threads.length > 0 &&
        (this.statements.runsOfThreads.get(JSON.stringify(places.threads)) as number) <= maxThreadRuns,
    );
    if (at < 0) return null;
    const places = plan.mixed[at]!;
    const others = plan.mixed.filter((_, index) => index !== at);
    const textOnly = [plan.textOnly, places.text].filter((text) => text !== null).join(' AND ');
    return {
      text: { textOnly, mixed: others, none: false },
      few: { textOnly: plan.textOnly, mixed: [...others, { ...places, text: null }], none: false },
    };
  }

  /** Whether a plan filters nothing: every word of its search starts every run's id. */
  static filtersNothing(plan: TextSearchPlan | null): boolean {
    return plan !== null && !plan.none && plan.textOnly === null && plan.mixed.length === 0;
  }

  /**
   * How the runs whose id starts with `word` are found; null when no id can (when every id starts with
   * `idStart`, a word that does not is no id's start).
   */
  private idStart(word: string, idStart: string): IdStart | null {
    if (idStart !== '' && !word.startsWith(idStart)) return null;
    return { word, ranges: JSON.stringify(idSpellings(word, idStart).map(prefixRange)) };
  }

  /**
   * The threads whose id holds each word (ids are ASCII: lowercased as the search is), and the words every one
   * holds. A few words are looked up one by one in SQL; more, in one read of the thread ids for all of them.
   */
  private threadsHolding(words: string[]): { holding: Map<string, string[]>; every: Set<string> } {
    const holding = new Map<string, string[]>();
    let threads: number | null = null;
    if (words.length <= WORDS_LOOKED_UP_ONE_BY_ONE) {
      for (const word of words) holding.set(word, this.statements.threadsHolding.all(word) as string[]);
    } else {
      threads = 0;
      for (const id of this.statements.threadIds.iterate() as Iterable<string>) {
        threads++;
        const lower = id.toLowerCase();
        for (const word of words) {
          if (!lower.includes(word)) continue;
          const list = holding.get(word);
          if (list) list.push(id);
          else holding.set(word, [id]);
        }
      }
    }
    const held = [...holding].filter(([, ids]) => ids.length > 0);
    if (held.length > 0) threads ??= this.statements.threadCount.get() as number;
    return {
      holding,
      every: new Set(held.filter(([, ids]) => ids.length === threads).map(([word]) => word)),
    };
  }

  /** A word of 3 characters or more is the phrase of its trigrams; a shorter one, any trigram it starts. */
  private textQuery(word: string): string | null {
    if ([...word].length >= 3) return ftsString(word);
    const terms = this.text.shortWordTerms(word);
    return terms.length === 0 ? null : `(${terms.map(ftsString).join(' OR ')})`;
  }
}
