import { basename } from 'node:path';
import type { StoreDescription } from '../../shared/runboard-types';
import { databaseLocation } from '../../assistants-server/store/postgres/database-url';

/** Where the server keeps its data, as the dashboard and `/api/health` may show it: never a user or a password. */
export function describeStore(where: { dbPath: string; databaseUrl?: string | null }): StoreDescription {
  if (where.databaseUrl) return describePostgresUrl(where.databaseUrl);
  return { kind: 'sqlite', file: where.dbPath === ':memory:' ? ':memory:' : basename(where.dbPath) };
}

/** A `postgres://` URL's host, port and database; the user, password and parameters are left out. */
export function describePostgresUrl(url: string): StoreDescription {
  const location = databaseLocation(url);
  if (!location) throw new Error('The database URL is not a URL (not shown: it may hold a password).');
  return { kind: 'postgres', ...location };
}

/** One line: `SQLite runboard.sqlite`, or `PostgreSQL db.internal:5432/runboard`. */
export function storeLabel(store: StoreDescription): string {
  return store.kind === 'sqlite'
    ? `SQLite ${store.file}`
    : `PostgreSQL ${store.host}:${store.port}/${store.database}`;
}
