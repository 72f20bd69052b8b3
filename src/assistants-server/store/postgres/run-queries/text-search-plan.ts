import { statusRank } from '../../../../shared/run-sort-keys';
import { assistantIdsNamed, searchWords } from '../../../../shared/run-text';
import type { RunFilter } from '../../run-query-request';
import type { SqlQueryable } from '../sql-client';
import { WHOLE_ID_ALONE, likeOf, RUN_ID_START, SqlParams, whereClause } from './run-filter-sql';

/**
 * At most so many distinct texts are matched by id (`text_id = ANY(…)`): a search whose words are in more texts (runs
 * whose texts are each their own: previews) is answered on `query_runs`, as before migration 8.
 */
export const MAX_MATCHED_TEXTS = 10_000;

/**
 * At most so many runs (`query_threads.run_count`) in the threads whose id holds a word of a search: those runs are
 * matched one by one beside the texts' runs (`threadMatches`); a search whose words are in more threads' ids (a word
 * of 2 letters, `thread`) is answered on `query_runs`.
 */
export const MAX_THREAD_RUNS = 5_000;
/** At most so many threads whose id holds a word (their ids are one parameter); more: `query_runs` answers. */
const MAX_THREADS = 1_000;

/**
 * A text search alone (with statuses or not) resolved against the distinct texts (migration 8): the ids of the
 * texts holding every word. Its runs are `query_run_search`'s rows of those texts: counted by status from the
 * `(text_id, k_status)` index alone, a page sorted by a numeric key from the same index's keys. The texts leave the
 * thread id out: the runs of the few threads whose id holds a word (`threadIds`) are matched one by one, each word
 * in their text or their thread's id, and those the texts do not find are added (`threadMatches`).
 */
export interface TextSearchPlan {
  textIds: number[];
  statuses: RunFilter['statuses'];
  /** The threads whose lowercased id holds some word of the search (empty: none does). */
  threadIds: string[];
  /** The search's words, each as a LIKE pattern (`likeOf`). */
  likes: string[];
}

/**
 * The plan of `filter` when it is a text search alone whose runs the distinct texts find, with the runs of the
 * threads whose id holds a word; `every run` when every text some run refers to holds its words (the search filters
 * nothing: a model's name; a text no run refers to any more, left until the sweep deletes it,
 * `query-tables/run-text-sweep.ts`, does not count); else null (answer on `query_runs`): any other filter, an exact
 * id, a word starting a run's id or in an assistant's name, more than `maxTexts` texts, or words in the ids of
 * threads holding more than `maxThreadRuns` runs (or of more than `MAX_THREADS` threads).
 */
export async function planTextSearch(
  db: SqlQueryable,
  filter: RunFilter,
  assistantNames: ReadonlyMap<string, string>,
  maxTexts = MAX_MATCHED_TEXTS,
  maxThreadRuns = MAX_THREAD_RUNS,
): Promise<TextSearchPlan | 'every run' | null> {
  const { q, statuses, ...others } = filter;
  if (Object.values(others).some((value) => value !== undefined)) return null;
  const text = q?.trim() ?? '';
  if (!text || WHOLE_ID_ALONE.test(text)) return null;
  const words = searchWords(text).filter((word) => !RUN_ID_START.startsWith(word));
  const needsRuns = (word: string) =>
    word.startsWith(RUN_ID_START) || assistantIdsNamed(assistantNames, word).length > 0;
  if (words.length === 0 || words.some(needsRuns)) return null;
  const params = new SqlParams();
  const likes = words.map(likeOf);
  const placeholders = likes.map((like) => params.add(like));
  const limit = params.add(maxTexts + 1, 'integer');
  const threadLimit = params.add(MAX_THREADS + 1, 'integer');
  const holdsAll = placeholders.map((like) => `text LIKE ${like} ESCAPE '\\'`).join(' AND ');
  const inThreadId = placeholders.map((like) => `lower(id) LIKE ${like} ESCAPE '\\'`).join(' OR ');
  const { rows } = await db.query<{
    text_ids: number[];
    thread_ids: string[];
    thread_runs: number | string;
    every_text: boolean;
  }>(
    `SELECT ARRAY(SELECT id FROM query_run_texts WHERE ${holdsAll} LIMIT ${limit}) AS text_ids,
            held.thread_ids, held.thread_runs,
            NOT EXISTS (SELECT 1 FROM query_run_texts AS texts WHERE NOT (${holdsAll})
                          AND EXISTS (SELECT 1 FROM query_run_search WHERE text_id = texts.id)) AS every_text
     FROM (SELECT COALESCE(array_agg(id), '{}') AS thread_ids, COALESCE(SUM(run_count), 0) AS thread_runs
           FROM (SELECT id, run_count FROM query_threads WHERE ${inThreadId} LIMIT ${threadLimit}) AS holding)
          AS held`,
    params.values,
  );
  const row = rows[0]!;
  if (row.every_text) return 'every run';
  if (row.text_ids.length > maxTexts) return null;
  if (row.thread_ids.length > MAX_THREADS || Number(row.thread_runs) > maxThreadRuns) return null;
  return { textIds: row.text_ids.map(Number), statuses, threadIds: row.thread_ids, likes };
}

/**
 * The runs of the plan's threads that its texts do not find (`query_run_search`'s columns): in those threads a run
 * matches when each word is in its text or in its thread's lowercased id, as `search_text` holds both on
 * `query_runs`; a run whose text holds every word is one of the texts' runs already (each match listed once).
 */
export function threadMatches(plan: TextSearchPlan, params: SqlParams): string {
  const eachWord = plan.likes.map((like) => {
    const pattern = params.add(like);
    return `(lower(runs.thread_id) LIKE ${pattern} ESCAPE '\\' OR texts.text LIKE ${pattern} ESCAPE '\\')`;
  });
  return `SELECT runs.* FROM query_run_search AS runs JOIN query_run_texts AS texts ON texts.id = runs.text_id
    WHERE ${[
      `runs.thread_id = ANY(${params.add(plan.threadIds, 'text[]')})`,
      `runs.text_id <> ALL(${params.add(plan.textIds, 'bigint[]')})`,
      ...eachWord,
    ].join(' AND ')}`;
}

/**
 * Every match of the plan as rows of `columns` (of `query_run_search`): the texts' runs (an index-only scan for the
 * columns of the `(text_id, k_status)` index), then the threads' (`threadRuns`, when the plan has threads: a table
 * expression of `threadMatches`, inlined unless the caller made it a CTE). Without `withStatus`, every status.
 */
export function planMatches(
  plan: TextSearchPlan,
  params: SqlParams,
  columns: string,
  withStatus: boolean,
  threadRuns?: string,
): string {
  const statuses = withStatus ? statusWhere(plan) : [];
  const texts = `SELECT ${columns} FROM query_run_search
    WHERE ${[`text_id = ANY(${params.add(plan.textIds, 'bigint[]')})`, ...statuses].join(' AND ')}`;
  if (plan.threadIds.length === 0) return texts;
  const threads = threadRuns ?? `(${threadMatches(plan, params)}) AS thread_runs`;
  return `${texts} UNION ALL SELECT ${columns} FROM ${threads} ${whereClause(statuses)}`;
}

/** The plan's statuses as a term (validated statuses: their ranks are literal integers), if it has any. */
export function statusWhere(plan: TextSearchPlan): string[] {
  const statuses = plan.statuses ?? [];
  return statuses.length > 0 ? [`k_status IN (${statuses.map(statusRank).join(', ')})`] : [];
}
