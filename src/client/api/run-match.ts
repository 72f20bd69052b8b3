import type { Run } from '../../shared/openai-types';
import { RUN_SORTS } from '../../shared/run-sort-keys';
import type { RunsQuery } from '../../shared/runs-query-types';
import { matchesSearch, searchWords } from '../../shared/run-text';

/**
 * Whether a run belongs to a query's answer, decided in the browser from the run alone with the server's own rules
 * (the shared search text and words): the change feed uses it to put a changed run in or out of a list in place.
 * Null would mean only the server can tell (the caller then reads the list again); no filter needs that today.
 */
export function matchesQuery(
  run: Run,
  query: RunsQuery,
  assistantName: (assistantId: string) => string | null = () => null,
): boolean | null {
  if (query.threadId && run.thread_id !== query.threadId) return false;
  if (query.statuses && query.statuses.length > 0 && !query.statuses.includes(run.status)) return false;
  if (query.assistantId && run.assistant_id !== query.assistantId) return false;
  if (query.model && run.model !== query.model) return false;
  if (query.createdAfter !== undefined && run.created_at < query.createdAfter) return false;
  if (query.createdBefore !== undefined && run.created_at > query.createdBefore) return false;
  if (query.metadataKey) {
    const value = run.metadata?.[query.metadataKey];
    if (value === undefined) return false;
    if (query.metadataValue !== undefined && query.metadataValue !== '' && value !== query.metadataValue)
      return false;
  }
  // An id, whole or its start, is a word as any other: a run id matches by its start, in any case.
  const text = query.q?.trim();
  return text ? matchesSearch(run, searchWords(text), assistantName) : true;
}

/**
 * The query's order can change when a run changes: it is sorted by a value a run does not keep for life (status,
 * tokens, duration, outcome, metadata: `fixed` in shared/run-sort-keys.ts).
 */
export function orderCanChange(query: RunsQuery): boolean {
  return query.sort !== undefined && !RUN_SORTS[query.sort.field].fixed;
}

/** Whether which runs match can change when a run changes (its status, metadata or text may be filtered on). */
export function membershipCanChange(query: RunsQuery): boolean {
  return (
    (query.statuses !== undefined && query.statuses.length > 0) ||
    query.metadataKey !== undefined ||
    (query.q !== undefined && query.q.trim() !== '')
  );
}

/** The default order: newest first, where a new run goes on top. */
export function isNewestFirst(query: RunsQuery): boolean {
  return query.sort === undefined || (query.sort.field === 'created' && query.sort.desc);
}
