/**
 * The module of a search worker (`SqliteSearchWorkers`): searches by words on a read-only connection of its own to
 * the server's SQLite file (WAL: it reads what is committed while the server writes), so that ranking a million
 * chunks never holds the server's event loop.
 */
import Database from 'better-sqlite3';
import { serveTasks } from '../../platform/worker-pool/serve-tasks';
import type { ChunkHit } from './chunk-index';
import { SqliteTextSearch } from './sqlite-text-search';

export interface SearchTask {
  path: string;
  matchBudget: number;
  vectorStoreIds: readonly string[];
  query: string;
  options: { limit: number; scoreThreshold?: number };
}

const searches = new Map<string, SqliteTextSearch>();

function searchOn(path: string, matchBudget: number): SqliteTextSearch {
  const key = `${path}\u0000${matchBudget}`;
  let search = searches.get(key);
  if (!search) {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    search = new SqliteTextSearch(db, matchBudget);
    searches.set(key, search);
  }
  return search;
}

serveTasks<SearchTask, ChunkHit[]>(async (task) => ({
  result: searchOn(task.path, task.matchBudget).search(task.vectorStoreIds, task.query, task.options),
}));
