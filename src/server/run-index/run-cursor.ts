/**
 * The cursors of the query API live with the store (`assistants-server/store/run-cursor.ts`): SQLite's engine here
 * and PostgreSQL's (store/postgres/run-queries) write and read the same ones.
 */
export * from '../../assistants-server/store/run-cursor';
