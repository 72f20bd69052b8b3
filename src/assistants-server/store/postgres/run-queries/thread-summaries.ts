import type { Thread } from '../../../../shared/openai-types';
import { searchWords } from '../../../../shared/run-text';
import type { ThreadSummary } from '../../../../shared/runs-query-types';
import { encodeThreadCursor } from '../../run-cursor';
import type { SqlQueryable } from '../sql-client';
import { likeOf, SqlParams, whereClause } from './run-filter-sql';

/** GET /api/threads's query: words to find in a thread's id and metadata, a page's size, where the last one ended. */
export interface ThreadSummariesRequest {
  q?: string;
  limit: number;
  after: { lastActivityAt: number; id: string } | null;
}

export interface ThreadSummariesResult {
  data: ThreadSummary[];
  nextCursor: string | null;
  total: number;
}

const EXACT_THREAD_ID = /^thread_[A-Za-z0-9_-]+$/;

interface ThreadRow {
  id: string;
  body: Thread;
  last_activity_at: number;
  run_count: number;
  active_run_count: number;
  waiting_run_count: number;
}

/**
 * GET /api/threads from `query_threads`: newest activity first, searchable by id and metadata (the trigram index),
 * keyset paging on (last activity, id) — as SQLite's `threadSummaries` answers.
 */
export async function readThreadSummaries(
  db: SqlQueryable,
  request: ThreadSummariesRequest,
): Promise<ThreadSummariesResult> {
  const params = new SqlParams();
  const where: string[] = [];
  const q = request.q?.trim() ?? '';
  if (EXACT_THREAD_ID.test(q)) where.push(`id = ${params.add(q)}`);
  else
    for (const word of searchWords(q)) where.push(`search_text LIKE ${params.add(likeOf(word))} ESCAPE '\\'`);
  const counted = db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM query_threads ${whereClause(where)}`, [
    ...params.values,
  ]);
  if (request.after) {
    const activity = params.add(request.after.lastActivityAt, 'bigint');
    where.push(`(last_activity_at, id) < (${activity}, ${params.add(request.after.id)})`);
  }
  const read = db.query<ThreadRow>(
    `SELECT id, body, last_activity_at, run_count, active_run_count, waiting_run_count FROM query_threads
     ${whereClause(where)} ORDER BY last_activity_at DESC, id DESC LIMIT ${params.add(request.limit + 1, 'integer')}`,
    params.values,
  );
  const [{ rows: count }, { rows }] = await Promise.all([counted, read]);
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      thread: row.body,
      last_activity_at: row.last_activity_at,
      run_count: row.run_count,
      active_run_count: row.active_run_count,
      waiting_run_count: row.waiting_run_count,
    })),
    nextCursor:
      rows.length > request.limit && last ? encodeThreadCursor(last.last_activity_at, last.id) : null,
    total: count[0]?.n ?? 0,
  };
}
