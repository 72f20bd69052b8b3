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
  return { connectionString: raw, label: `${url.hostname}:${url.port || '5432'}/${database}` };
}
