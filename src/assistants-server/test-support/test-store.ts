import type { AssistantsServerOptions } from '../assistants-server';
import { withPostgres, type TestDatabase } from '../store/postgres/test-support/with-postgres';

/**
 * Which store the test servers of this test file use: SQLite (the default) or PostgreSQL, on
 * `RUNBOARD_TEST_DATABASE_URL`'s server or PGlite (`withPostgres`). A `*.postgres.test.ts` file calls
 * `runOnTestStore('postgres')` and imports an existing suite: the same tests, on the other store.
 */
let database: TestDatabase | null = null;

/** Every table a server writes: emptied before each new test server, so each starts as a fresh `:memory:` would. */
const TABLES = [
  'settings',
  'assistants',
  'threads',
  'messages',
  'message_text_appends',
  'runs',
  'run_steps',
  'model_calls',
  'files',
  'change_log',
  'query_threads',
  'query_runs',
  'query_run_totals',
  'query_run_metadata',
  'query_index_state',
  'audit_entries',
  'file_contents',
  'file_content_parts',
  'vector_stores',
  'vector_store_files',
  'vector_store_file_batches',
  'file_search_files',
  'file_search_chunks',
  'file_search_embeddings',
  'file_search_store_versions',
];

/**
 * Call at the top of a test file, before its suite is imported: one database for the file, dropped after it. Returns
 * it (null on SQLite).
 */
export function runOnTestStore(kind: 'sqlite' | 'postgres'): TestDatabase | null {
  database = kind === 'postgres' ? withPostgres() : null;
  return database;
}

export function testStoreKind(): 'sqlite' | 'postgres' {
  return database ? 'postgres' : 'sqlite';
}

/** The paths of file-backed servers already opened: one opened again on the same path finds its data (a restart). */
const opened = new Set<string>();

/**
 * The options that put a test server on this file's store: nothing on SQLite; on PostgreSQL the file's database,
 * emptied first unless `dbPath` names a file a server of this test file already used.
 */
export async function testStoreOptions(
  dbPath: string | undefined,
): Promise<Partial<AssistantsServerOptions>> {
  if (!database) return {};
  const client = database.client;
  const reopened = dbPath !== undefined && dbPath !== ':memory:' && opened.has(dbPath);
  if (!reopened) await client.exec(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`);
  if (dbPath !== undefined && dbPath !== ':memory:') opened.add(dbPath);
  return { postgres: { client, ownsClient: false } };
}
