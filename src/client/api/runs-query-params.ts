import type { RunsQuery } from '../../shared/runs-query-types';

/** The query string of `GET /api/runs` (and `/api/runs/counts`) for a RunsQuery, as the contract in src/shared spells it. */
export function runsQueryParams(query: RunsQuery): Record<string, string | number | undefined> {
  return {
    thread_id: query.threadId,
    status: query.statuses && query.statuses.length > 0 ? query.statuses.join(',') : undefined,
    assistant_id: query.assistantId,
    model: query.model,
    created_after: query.createdAfter,
    created_before: query.createdBefore,
    metadata_key: query.metadataKey,
    metadata_value: query.metadataKey ? query.metadataValue : undefined,
    q: query.q?.trim() ? query.q.trim() : undefined,
    sort: query.sort ? `${query.sort.field}.${query.sort.desc ? 'desc' : 'asc'}` : undefined,
    limit: query.limit,
    after: query.after,
  };
}

/** What a list shows (its filter and sort), without the paging: one cache entry per distinct answer. */
export function listIdentity(query: RunsQuery): RunsQuery {
  const { limit: _limit, after: _after, ...rest } = query;
  return normalize(rest);
}

/** The filter of the counts: the list's filter without its statuses (the chips count every status) nor its sort. */
export function countsIdentity(query: RunsQuery): RunsQuery {
  const { statuses: _statuses, sort: _sort, limit: _limit, after: _after, ...rest } = query;
  return normalize(rest);
}

/** The filter of a usage summary: the list's filter, statuses included, without its sort. */
export function usageIdentity(query: RunsQuery): RunsQuery {
  const { sort: _sort, limit: _limit, after: _after, ...rest } = query;
  return normalize(rest);
}

/** Drops empty parts, so `{ q: '' }` and `{}` are the same cache entry. */
function normalize(query: RunsQuery): RunsQuery {
  const out: RunsQuery = {};
  for (const [key, value] of Object.entries(query) as [keyof RunsQuery, unknown][]) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    (out as Record<string, unknown>)[key] = key === 'q' ? String(value).trim() : value;
  }
  if (out.q === '') delete out.q;
  if (out.statuses) out.statuses = [...out.statuses].sort();
  return out;
}
