import type { Thread } from '../../shared/openai-types';
import { searchWords } from '../../shared/run-text';
import type { ThreadSummary } from '../../shared/runs-query-types';
import { encodeThreadCursor } from './run-cursor';
import type { IndexDb } from './run-index-schema';

export interface ThreadSummariesRequest {
  q?: string;
  limit: number;
  after: { lastActivityAt: number; id: string } | null;
}

const EXACT_THREAD_ID = /^thread_[A-Za-z0-9_-]+$/;

/** GET /api/threads: newest activity first, searchable by id and metadata; keyset paging on (last activity, id). */
export function threadSummaries(
  db: IndexDb,
  request: ThreadSummariesRequest,
): { data: ThreadSummary[]; nextCursor: string | null; total: number } {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: request.limit + 1 };
  const q = request.q?.trim() ?? '';
  if (EXACT_THREAD_ID.test(q)) {
    where.push('id = @q_exact');
    params.q_exact = q;
  } else {
    searchWords(q).forEach((word, index) => {
      where.push(`search_text LIKE @q_${index} ESCAPE '\\'`);
      params[`q_${index}`] = `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    });
  }
  const filtered = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.prepare(`SELECT COUNT(*) FROM query_threads ${filtered}`).pluck().get(params) as number;
  if (request.after) {
    where.push('(last_activity_at, id) < (@after_activity, @after_id)');
    params.after_activity = request.after.lastActivityAt;
    params.after_id = request.after.id;
  }
  const rows = db
    .prepare(
      `SELECT id, body, last_activity_at, run_count, active_run_count, waiting_run_count FROM query_threads
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY last_activity_at DESC, id DESC LIMIT @limit`,
    )
    .all(params) as Array<{
    id: string;
    body: string;
    last_activity_at: number;
    run_count: number;
    active_run_count: number;
    waiting_run_count: number;
  }>;
  const hasMore = rows.length > request.limit;
  const page = hasMore ? rows.slice(0, request.limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      thread: JSON.parse(row.body) as Thread,
      last_activity_at: row.last_activity_at,
      run_count: row.run_count,
      active_run_count: row.active_run_count,
      waiting_run_count: row.waiting_run_count,
    })),
    nextCursor: hasMore && last ? encodeThreadCursor(last.last_activity_at, last.id) : null,
    total,
  };
}
