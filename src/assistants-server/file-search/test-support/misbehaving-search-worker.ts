/**
 * A search worker that misbehaves on demand, for `sqlite-chunk-index.test.ts`: a query with "crash" exits the worker,
 * one with "busy" throws SQLITE_BUSY, any other answers one hit no database holds ("answered by the worker").
 */
import { serveTasks } from '../../../platform/worker-pool/serve-tasks';
import type { ChunkHit } from '../chunk-index';
import type { SearchTask } from '../sqlite-search-worker';

serveTasks<SearchTask, ChunkHit[]>(async (task) => {
  if (task.query.includes('crash')) process.exit(5);
  if (task.query.includes('busy')) {
    throw Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' });
  }
  const hit = { vectorStoreId: task.vectorStoreIds[0]!, fileId: 'file_x', filename: 'x.md', chunkIndex: 0 };
  return { result: [{ ...hit, text: 'answered by the worker', score: 1 }] };
});
