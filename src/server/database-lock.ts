import Database from 'better-sqlite3';
import { hostname } from 'node:os';

/** Another live process holds the database file: this one must not start. */
export class DatabaseInUseError extends Error {}

/** Who holds a database file, as the second process reports it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Where it listens (`127.0.0.1:3180`); the configured port, so `:0` when it picked a free one. */
  address: string;
  since: string;
}

export interface DatabaseLock {
  release(): void;
}

/**
 * One process per SQLite file. Two servers on one file answer "database is locked" and apply the same transitions
 * twice, so the second refuses to start, naming the file and the holder.
 *
 * The lock is SQLite's own write lock on a small file beside the database (`<file>.lock`): the holder keeps a write
 * transaction open for its whole life, and the operating system drops the lock when the process ends, however it
 * ends (kill -9 included), so a stale lock cannot block a restart and a reused pid cannot fake a holder. The
 * holder's pid, host and address are committed to that file first, for the refusal to show; readers can read them
 * while the lock is held.
 */
export function lockDatabaseFile(dbPath: string, address: string, setting = 'RUNBOARD_DB'): DatabaseLock {
  const lockPath = `${dbPath}.lock`;
  // No busy wait: a lock held now is held by a running server.
  const db = new Database(lockPath, { timeout: 0 });
  try {
    takeWriteLock(db, dbPath, setting);
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, host TEXT, address TEXT, since TEXT)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder VALUES (?, ?, ?, ?)').run(
      process.pid,
      hostname(),
      address,
      new Date().toISOString(),
    );
    db.exec('COMMIT');
    // Held from here on. Another process that starts in the instant between the commit and this line takes the
    // lock instead, and this one refuses: never both.
    takeWriteLock(db, dbPath, setting);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function takeWriteLock(db: Database.Database, dbPath: string, setting: string): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if (isBusy(error)) throw new DatabaseInUseError(inUseMessage(dbPath, readHolder(db), setting));
    if (isNotDatabase(error)) {
      throw new DatabaseInUseError(
        `the lock file ${db.name} beside ${dbPath} is not one Runboard wrote (${(error as Error).message}). ` +
          `If no Runboard process uses ${dbPath}, delete ${db.name} and start again.`,
      );
    }
    throw error;
  }
}

function readHolder(db: Database.Database): LockHolder | null {
  try {
    return (db.prepare('SELECT pid, host, address, since FROM holder LIMIT 1').get() as LockHolder) ?? null;
  } catch {
    return null; // caught mid-commit, or an older lock file without the table
  }
}

function inUseMessage(dbPath: string, holder: LockHolder | null, setting: string): string {
  const who = holder
    ? `another Runboard process (pid ${holder.pid} on ${holder.host}, listening on ${holder.address}, since ${holder.since})`
    : 'another Runboard process';
  return (
    `the database file ${dbPath} is in use by ${who}. Two processes on one file would apply every run's ` +
    `transitions twice: stop that process first, or set ${setting} to another file.`
  );
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function isNotDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}
