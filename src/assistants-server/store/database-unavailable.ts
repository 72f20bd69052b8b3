/** A socket error of the connection to a database server: it is down, restarting, or out of reach. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * PostgreSQL's SQLSTATEs for a database that cannot serve: class 08 (connection exception), the server shutting
 * down or starting (57P01-57P03), no connection slot left (53300).
 */
const POSTGRES_STATES = /^(08...|57P0[123]|53300)$/;

/** `pg`'s own words when its connection ends or never opens. */
const DRIVER_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** SQLite: the file cannot be opened or read any more (removed, its disk gone). */
const SQLITE_CODES = /^SQLITE_(CANTOPEN|IOERR|READONLY_DBMOVED)/;

/**
 * Whether `error` says the store's database cannot be reached (rather than a bug, or a refused statement), and if so,
 * in a few words why (the driver's message). Null for any other error. Looks through `cause` and an
 * `AggregateError`'s errors (a host name with several addresses).
 */
export function databaseUnavailableReason(error: unknown, depth = 0): string | null {
  if (!(error instanceof Error) || depth > 3) return null;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || POSTGRES_STATES.test(code) || SQLITE_CODES.test(code))
  ) {
    return error.message || code;
  }
  if (DRIVER_MESSAGES.test(error.message)) return error.message;
  if (error instanceof AggregateError) {
    for (const each of error.errors as unknown[]) {
      const reason = databaseUnavailableReason(each, depth + 1);
      if (reason) return reason;
    }
  }
  return databaseUnavailableReason(error.cause, depth + 1);
}
