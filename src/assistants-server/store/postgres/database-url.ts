/** A PostgreSQL connection URL (`RUNBOARD_DATABASE_URL`): kept whole to connect, shown without its password. */
export interface DatabaseUrl {
  /** The URL as given: what the client connects with. Never log or show it (it may hold the password). */
  readonly connectionString: string;
  /** `host:port/database`: what logs and the dashboard show. */
  readonly label: string;
}

/**
 * Checks a `postgres://` (or `postgresql://`) URL: a host and a database name. Throws an Error naming `setting` whose
 * message never repeats the password.
 */
export function parseDatabaseUrl(raw: string, setting = 'RUNBOARD_DATABASE_URL'): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `${setting} must be a URL such as postgres://user:password@host:5432/runboard, got something else (not shown: it may hold a password).`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`${setting} must start with postgres:// or postgresql://, got '${url.protocol}//…'.`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname)
    throw new Error(`${setting} must name a host: postgres://user:password@host:5432/runboard.`);
  if (!database || database.includes('/')) {
    throw new Error(`${setting} must name one database after the host: postgres://…@${url.host}/runboard.`);
  }
  return { connectionString: raw, label: printableDatabaseUrl(raw) };
}

/** Where a PostgreSQL URL points: all that logs, `/api/health` and `db:copy` show of it. */
export interface DatabaseLocation {
  /** A host name, an address, or a unix socket's folder (`/var/run/postgresql`). */
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

/**
 * The host, port and database of a `postgres://` URL, as the driver reads them (a `host` or `port` parameter wins over
 * the URL's own; a socket folder may be given percent-encoded as the host), leaving out the user, the password and
 * every other parameter. Null when `raw` is not a `postgres://` or `postgresql://` URL.
 */
export function databaseLocation(raw: string): DatabaseLocation | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return null;
    const host = url.searchParams.get('host') || decodeURIComponent(url.hostname) || 'localhost';
    const port = Number(url.searchParams.get('port') || url.port || 5432);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
    return Number.isInteger(port) ? { host, port, database } : null;
  } catch {
    // Not a URL, or a broken percent-escape in its host or database.
    return null;
  }
}

/** `host:port/database`, never a user or a password; `(not a postgres:// URL)` for anything that is not one. */
export function printableDatabaseUrl(raw: string): string {
  const location = databaseLocation(raw);
  return location ? `${location.host}:${location.port}/${location.database}` : '(not a postgres:// URL)';
}
