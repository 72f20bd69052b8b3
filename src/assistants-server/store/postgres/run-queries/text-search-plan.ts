import { statusRank } from '../../../../shared/run-sort-keys';
import { assistantIdsNamed, searchWords } from '../../../../shared/run-text';
import type { RunFilter } from '../../run-query-request';
import type { SqlQueryable } from '../sql-client';
import { WHOLE_ID_ALONE, likeOf, RUN_ID_START, SqlParams } from './run-filter-sql';

/**
 * At most so many distinct texts are matched by id (`text_id = ANY(…)`): a search whose words are in more texts (runs
 * whose texts are each their own: previews) is answered on `query_runs`, as before migration 8.
 */
export const MAX_MATCHED_TEXTS = 10_000;

/**
 * A text search alone (with statuses or not) resolved against the distinct texts (migration 8): the ids of the
 * texts holding every word. Its runs are `query_run_search`'s rows of those texts: counted by status from the
 * `(text_id, k_status)` index alone, a page sorted by a numeric key from the same index's keys.
 */
export interface TextSearchPlan {
  textIds: number[];
  statuses: RunFilter['statuses'];
}

/**
 * The plan of `filter` when it is a text search alone whose runs the distinct texts find; `every run` when every
 * text some run refers to holds its words (the search filters nothing: a model's name; a text no run refers to any
 * more, left until the sweep deletes it, `query-tables/run-text-sweep.ts`, does not count); else null (answer on
 * `query_runs`): any other filter, an exact id, a word starting a run's id or in an assistant's name, a word in some
 * thread's id (the texts leave the thread id out), or more than `MAX_MATCHED_TEXTS` texts.
 */
export async function planTextSearch(
  db: SqlQueryable,
  filter: RunFilter,
  assistantNames: ReadonlyMap<string, string>,
  maxTexts = MAX_MATCHED_TEXTS,
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
  const likes = words.map((word) => params.add(likeOf(word)));
  const limit = params.add(maxTexts + 1, 'integer');
  const holdsAll = likes.map((like) => `text LIKE ${like} ESCAPE '\\'`).join(' AND ');
  const { rows } = await db.query<{ text_ids: number[]; in_threads: boolean; every_text: boolean }>(
    `SELECT ARRAY(SELECT id FROM query_run_texts WHERE ${holdsAll} LIMIT ${limit}) AS text_ids,
            EXISTS (SELECT 1 FROM query_threads
                    WHERE ${likes.map((like) => `lower(id) LIKE ${like} ESCAPE '\\'`).join(' OR ')}) AS in_threads,
            NOT EXISTS (SELECT 1 FROM query_run_texts AS texts WHERE NOT (${holdsAll})
                          AND EXISTS (SELECT 1 FROM query_run_search WHERE text_id = texts.id)) AS every_text`,
    params.values,
  );
  const row = rows[0]!;
  if (row.every_text) return 'every run';
  if (row.in_threads || row.text_ids.length > maxTexts) return null;
  return { textIds: row.text_ids.map(Number), statuses };
}

/** The plan's terms on `query_run_search`; without `withStatus`, every status (counts). */
export function planWhere(plan: TextSearchPlan, params: SqlParams, withStatus: boolean): string[] {
  const where = [`text_id = ANY(${params.add(plan.textIds, 'bigint[]')})`];
  return withStatus ? [...where, ...statusWhere(plan)] : where;
}

/** The plan's statuses as a term (validated statuses: their ranks are literal integers), if it has any. */
export function statusWhere(plan: TextSearchPlan): string[] {
  const statuses = plan.statuses ?? [];
  return statuses.length > 0 ? [`k_status IN (${statuses.map(statusRank).join(', ')})`] : [];
}
