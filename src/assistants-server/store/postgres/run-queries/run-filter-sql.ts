import { statusRank } from '../../../../shared/run-sort-keys';
import { assistantIdsNamed, searchWords } from '../../../../shared/run-text';
import type { RunFilter } from '../../run-query-request';

/** A statement's parameters as they are added: each `add` gives the placeholder (`$n`, cast when asked). */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/** A whole id pasted alone: a search of words as any other, answered on `query_runs` (`text-search-plan.ts`). */
export const WHOLE_ID_ALONE = /^(run|thread|asst)_[A-Za-z0-9_-]+$/;
export const RUN_ID_START = 'run_';

const literally = (word: string) => word.replace(/[\\%_]/g, (char) => `\\${char}`);
/** `%word%` for LIKE, its wildcards and the escape character taken literally (LIKE's escape is `\`). */
export const likeOf = (word: string) => `%${literally(word)}%`;

/**
 * The WHERE terms of a filter on `query_runs`, as SQLite's query engine reads them (`whereOf` in
 * server/run-index/runs-query.ts), in PostgreSQL: shared by pages, counts, usage and time series. Without
 * `withStatus`, the filter's statuses are left out (counts answer every status).
 *
 * Text search: every word is in the run's search text (lowercase, as the words are), starts the run's id, or is in
 * its assistant's name.
 * `search_text LIKE '%word%'` is answered by the GIN trigram index for a word of 3 characters or more (pg_trgm
 * takes every trigram of the word and confirms the match on the row); a shorter word reads the rows the other terms
 * leave.
 */
export function runWhere(
  filter: RunFilter,
  params: SqlParams,
  withStatus: boolean,
  assistantNames: ReadonlyMap<string, string>,
): string[] {
  const where: string[] = [];
  if (filter.threadId !== undefined) where.push(`thread_id = ${params.add(filter.threadId)}`);
  if (withStatus && filter.statuses && filter.statuses.length > 0) {
    // Validated statuses only: their ranks are literal integers.
    where.push(`k_status IN (${filter.statuses.map(statusRank).join(', ')})`);
  }
  if (filter.assistantId !== undefined) where.push(`assistant_id = ${params.add(filter.assistantId)}`);
  if (filter.model !== undefined) where.push(`model = ${params.add(filter.model)}`);
  if (filter.createdAfter !== undefined) {
    where.push(`created_at >= ${params.add(filter.createdAfter, integerCast(filter.createdAfter))}`);
  }
  if (filter.createdBefore !== undefined) {
    where.push(`created_at <= ${params.add(filter.createdBefore, integerCast(filter.createdBefore))}`);
  }
  if (filter.metadataKey !== undefined) {
    const key = params.add(filter.metadataKey);
    const value =
      filter.metadataValue === undefined ? '' : ` AND value = ${params.add(filter.metadataValue)}`;
    where.push(`ord IN (SELECT run_ord FROM query_run_metadata WHERE key = ${key}${value})`);
  }
  // An id, whole or its start, is a word as any other (a thread or assistant id is in the search text).
  for (const word of searchWords(filter.q ?? '')) {
    // A word finds a run by the start of its id (the search text does not hold it: see `runSearchText`); every id
    // of this store starts with `run_`, so a start of that is no condition, and only a word starting so is looked
    // for in the ids.
    if (RUN_ID_START.startsWith(word)) continue;
    const anyOf = [`search_text LIKE ${params.add(likeOf(word))} ESCAPE '\\'`];
    if (word.startsWith(RUN_ID_START))
      anyOf.push(`lower(id) LIKE ${params.add(`${literally(word)}%`)} ESCAPE '\\'`);
    const named = assistantIdsNamed(assistantNames, word);
    if (named.length > 0) anyOf.push(`assistant_id = ANY(${params.add(named, 'text[]')})`);
    where.push(`(${anyOf.join(' OR ')})`);
  }
  return where;
}

/** An integer compares with a bigint column through its index; a fraction (never validated in) as a number. */
const integerCast = (value: number) => (Number.isSafeInteger(value) ? 'bigint' : 'double precision');

export const whereClause = (where: string[]) => (where.length > 0 ? `WHERE ${where.join(' AND ')}` : '');

/** The WHERE terms of a filter by thread, status and model on `query_run_totals`. */
export function keptTotalsWhere(filter: RunFilter, params: SqlParams): string[] {
  const where: string[] = [];
  if (filter.threadId !== undefined) where.push(`thread_id = ${params.add(filter.threadId)}`);
  if (filter.statuses && filter.statuses.length > 0) {
    where.push(`k_status IN (${filter.statuses.map(statusRank).join(', ')})`);
  }
  if (filter.model !== undefined) where.push(`model = ${params.add(filter.model)}`);
  return where;
}
