import type Database from 'better-sqlite3';
import { bytesFolderBeside } from '../../../files/folder-file-bytes';
import { migrate } from '../migrations/migrate';
import type { SqlClient, SqlQueryable } from '../sql-client';
import { COPIED_TABLES, type CopiedTable } from './copied-tables';
import { copyFileBytes, type FileBytesReport } from './copy-file-bytes';
import { sqlitePages, type Row } from './sqlite-pages';
import { storableJson, storableText } from './storable-text';

export class CopyError extends Error {}

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

export interface CopyOptions {
  /** The store's SQLite database (RUNBOARD_DB). */
  store: Database.Database;
  /** The audit trail's SQLite database (RUNBOARD_AUDIT_DB), when it is copied too. */
  audit?: Database.Database;
  /** The folder holding the uploaded files' bytes. Default: `files/` beside the store's file (`FolderFileBytes`). */
  filesFolder?: string;
  /** Migrated first when it is not yet. */
  target: SqlClient;
  /** Empty the target's tables first instead of refusing a target that holds data. */
  replace?: boolean;
  /** Rows read from SQLite at a time (and so held in memory at most). Default 500. */
  batchRows?: number;
  /** Bytes of values sent to PostgreSQL in one INSERT at most (a single larger row goes alone). Default 4 MiB. */
  batchBytes?: number;
  onProgress?(progress: CopyProgress): void;
}

export interface CopyReport {
  /** Rows copied per table, in copy order; tables the source does not have are absent. */
  copied: Record<string, number>;
  /** Tables the source does not have (an older or proxy-less database, or no audit file). */
  missing: string[];
  /** Values that held U+0000, which PostgreSQL text cannot: stored with U+FFFD in its place. */
  nulReplaced: number;
  /** Uploaded files' bytes, read from the folder beside the store (`copy-file-bytes.ts`). */
  fileBytes: FileBytesReport;
}

/** The progress of the files' bytes, reported as a table of this name. */
export const FILE_BYTES_STEP = 'file bytes';

const DEFAULT_BATCH_ROWS = 500;
const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;
/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * Copies an existing SQLite store (and its audit trail) into PostgreSQL: every row with its ids, times and bodies,
 * the counters moved past the copied ids, and the uploaded files' bytes from the folder beside the store. Reads one page of rows at a time from a consistent snapshot of each SQLite
 * file, and writes it all in one transaction: a copy that fails leaves the target as it was. Refuses a target that
 * holds data unless `replace` says to empty it.
 */
export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const sources = { store: options.store, audit: options.audit };
  const present = COPIED_TABLES.filter((table) => {
    const db = sources[table.source];
    return db !== undefined && tableExists(db, table.name);
  });
  const report: CopyReport = {
    copied: {},
    missing: COPIED_TABLES.filter((table) => !present.includes(table)).map((table) => table.name),
    nulReplaced: 0,
    fileBytes: { files: 0, bytes: 0, withoutBytes: { count: 0, ids: [] } },
  };
  const filesFolder = options.filesFolder ?? bytesFolderBeside(options.store.name);
  await migrate(options.target);
  const snapshots = [options.store, options.audit].filter((db): db is Database.Database => db !== undefined);
  for (const db of snapshots) db.prepare('BEGIN').run();
  try {
    await options.target.transaction(async (tx) => {
      await prepareTarget(tx, options.replace === true);
      for (const table of present) {
        const db = sources[table.source]!;
        const total = (db.prepare(`SELECT COUNT(*) FROM ${table.name}`).pluck().get() as number) ?? 0;
        let copied = 0;
        options.onProgress?.({ table: table.name, copied, total });
        for (const page of sqlitePages(db, table, batchRows)) {
          const rows = page.map((row) => storable(table, row, report));
          for (const batch of insertBatches(table, rows, batchBytes)) await insert(tx, table, batch);
          copied += page.length;
          options.onProgress?.({ table: table.name, copied, total });
        }
        if (table.identity) await moveSequencePast(tx, table.name, table.identity);
        report.copied[table.name] = copied;
      }
      if (present.some((table) => table.name === 'files')) {
        report.fileBytes = await copyFileBytes(options.store, tx, filesFolder, batchRows, (copied, total) =>
          options.onProgress?.({ table: FILE_BYTES_STEP, copied, total }),
        );
      }
    });
  } finally {
    for (const db of snapshots) db.prepare('COMMIT').run();
  }
  return report;
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

async function prepareTarget(tx: SqlQueryable, replace: boolean): Promise<void> {
  const names = [...COPIED_TABLES.map((table) => table.name), 'file_contents', 'change_log'];
  if (replace) {
    await tx.query(`TRUNCATE ${[...names, 'file_content_parts'].join(', ')}`);
    return;
  }
  const counts = await tx.query<{ name: string; n: number }>(
    names
      .map((name) => `SELECT '${name}' AS name, (SELECT COUNT(*) FROM ${name})::bigint AS n`)
      .join(' UNION ALL '),
  );
  const held = counts.rows.filter((row) => row.n > 0);
  if (held.length > 0) {
    throw new CopyError(
      `The target database already holds data (${held.map((row) => `${row.name}: ${row.n}`).join(', ')}). Copy into an empty database, or pass --replace to empty these tables first (what they hold is lost).`,
    );
  }
}

/** A row as PostgreSQL takes it: JSON checked (a row that is not JSON stops the copy, naming it), U+0000 replaced. */
function storable(table: CopiedTable, row: Row, report: CopyReport): Row {
  const out: Row = {};
  for (const column of table.columns) {
    const derive = table.derived?.[column];
    const value = derive ? derive(row) : row[column];
    if (typeof value !== 'string') {
      out[column] = value;
      continue;
    }
    const result = table.json?.includes(column) ? storableJson(value) : storableText(value);
    if (result === null) {
      const key = table.key.map((name) => `${name} ${JSON.stringify(row[name])}`).join(', ');
      throw new CopyError(
        `${table.name} (${key}): ${column} is not JSON, so PostgreSQL cannot store it as jsonb. Nothing was copied; repair or delete that row in the SQLite file and copy again.`,
      );
    }
    if (result.replaced) report.nulReplaced += 1;
    out[column] = result.value;
  }
  return out;
}

function rowBytes(row: Row): number {
  let bytes = 0;
  for (const value of Object.values(row)) {
    bytes +=
      typeof value === 'string' ? value.length * 3 : value instanceof Uint8Array ? value.byteLength : 8;
  }
  return bytes;
}

/** Splits a page into INSERTs of at most `maxBytes` (a larger row goes alone) and PostgreSQL's parameter limit. */
function* insertBatches(table: CopiedTable, rows: Row[], maxBytes: number): Generator<Row[]> {
  const maxRows = Math.floor(MAX_PARAMETERS / table.columns.length);
  let batch: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = rowBytes(row);
    if (batch.length > 0 && (bytes + size > maxBytes || batch.length === maxRows)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(row);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

async function insert(tx: SqlQueryable, table: CopiedTable, rows: Row[]): Promise<void> {
  const width = table.columns.length;
  const casts = table.columns.map((column) =>
    table.json?.includes(column) ? '::jsonb' : table.binary?.includes(column) ? '::bytea' : '',
  );
  const values = rows
    .map((_, index) => `(${casts.map((cast, column) => `$${index * width + column + 1}${cast}`).join(', ')})`)
    .join(', ');
  await tx.query(
    `INSERT INTO ${table.name} (${table.columns.join(', ')})${table.identity ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${values}`,
    rows.flatMap((row) => table.columns.map((column) => row[column] ?? null)),
  );
}

/** The next id a new row takes is above every copied one (or 1 on an empty table). */
async function moveSequencePast(tx: SqlQueryable, table: string, column: string): Promise<void> {
  await tx.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(${column}) FROM ${table}), 1),
       (SELECT MAX(${column}) FROM ${table}) IS NOT NULL)`,
    [table, column],
  );
}
