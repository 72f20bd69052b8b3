import type Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkedFileId } from '../../../files/file-bytes';
import { PostgresFileBytes } from '../files/postgres-file-bytes';
import type { SqlQueryable } from '../sql-client';
import { COPIED_TABLES } from './copied-tables';
import { sqlitePages } from './sqlite-pages';

/** How many ids of files without bytes the report names (it counts them all). */
export const NAMED_WITHOUT_BYTES = 10;

export interface FileBytesReport {
  /** Files whose bytes were copied, and how many bytes in all. */
  files: number;
  bytes: number;
  /** Records whose bytes are not in the folder (removed by hand): copied, their content answers an error as before. */
  withoutBytes: { count: number; ids: string[] };
}

/**
 * Streams the bytes of every copied `files` record from the folder beside the SQLite file (`FolderFileBytes`) into
 * PostgreSQL's `file_contents` (`PostgresFileBytes`: parts of at most 1 MiB, one in memory at a time), kept as
 * `PostgresFileTable.insert` keeps an upload's. Runs in the copy's transaction.
 */
export async function copyFileBytes(
  store: Database.Database,
  tx: SqlQueryable,
  folder: string,
  batchRows: number,
  onProgress?: (copied: number, total: number) => void,
): Promise<FileBytesReport> {
  const report: FileBytesReport = { files: 0, bytes: 0, withoutBytes: { count: 0, ids: [] } };
  const files = COPIED_TABLES.find((table) => table.name === 'files')!;
  const total = store.prepare('SELECT COUNT(*) FROM files').pluck().get() as number;
  const target = new PostgresFileBytes(tx);
  let seen = 0;
  onProgress?.(seen, total);
  for (const page of sqlitePages(store, files, batchRows, ['seq', 'id'])) {
    for (const { id } of page as Array<{ id: string }>) {
      const path = join(folder, checkedFileId(id));
      const found = await stat(path).catch(() => null);
      if (!found?.isFile()) {
        report.withoutBytes.count++;
        if (report.withoutBytes.ids.length < NAMED_WITHOUT_BYTES) report.withoutBytes.ids.push(id);
        continue;
      }
      report.bytes += await target.write(id, createReadStream(path), Number.MAX_SAFE_INTEGER);
      await tx.query('UPDATE file_contents SET kept = true WHERE file_id = $1', [id]);
      report.files++;
    }
    seen += page.length;
    onProgress?.(seen, total);
  }
  return report;
}
