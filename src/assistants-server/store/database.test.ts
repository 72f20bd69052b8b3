import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEW_DATABASE_PAGE_BYTES, openDatabase } from './database';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-database-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const pageSize = (db: Database.Database) => db.pragma('page_size', { simple: true }) as number;

describe("the store's SQLite file", () => {
  it('is made with 16 KB pages; a file made with smaller ones keeps them and opens as before', () => {
    const fresh = openDatabase(join(directory, 'new.sqlite'));
    expect(pageSize(fresh)).toBe(NEW_DATABASE_PAGE_BYTES);
    fresh.close();

    const oldPath = join(directory, 'old.sqlite');
    const old = new Database(oldPath);
    old.pragma('page_size = 4096');
    old.exec(
      "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO settings VALUES ('a', 'b')",
    );
    old.close();
    const reopened = openDatabase(oldPath);
    expect(pageSize(reopened)).toBe(4096);
    expect(reopened.prepare('SELECT value FROM settings').pluck().get()).toBe('b');
    reopened.close();
  });
});
