import { basename } from 'node:path';
import type { StoreDescription } from '../../shared/runboard-types';

/** Where the server keeps its data, as the dashboard and `/api/health` may show it: never a user or a password. */
export function describeStore(where: { dbPath: string; databaseUrl?: string | null }): StoreDescription {
  if (where.databaseUrl) return describePostgresUrl(where.databaseUrl);
  return { kind: 'sqlite', file: where.dbPath === ':memory:' ? ':memory:' : basename(where.dbPath) };
}

/** A `postgres://` URL's host, port and database; the user, password and parameters are left out. */
export function describePostgresUrl(url: string): StoreDescription {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    kind: 'postgres',
    host: parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: database || 'postgres',
  };
}

/** One line: `SQLite runboard.sqlite`, or `PostgreSQL db.internal:5432/runboard`. */
export function storeLabel(store: StoreDescription): string {
  return store.kind === 'sqlite'
    ? `SQLite ${store.file}`
    : `PostgreSQL ${store.host}:${store.port}/${store.database}`;
}
