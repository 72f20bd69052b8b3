import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { maskSecret } from '../../../../platform/secret-mask';
import { printableDatabaseUrl } from '../database-url';
import { MigrationError } from '../migrations/migrate';
import { connectToServer } from '../server-client';
import type { SqlClient } from '../sql-client';
import { copySqliteToPostgres, CopyError, type CopyProgress } from './copy-sqlite';

export const COPY_USAGE = `Copies a Runboard SQLite database into PostgreSQL (ids, times, bodies, steps, model calls, settings, the
query tables, uploaded files with their bytes, vector stores, the file-search index and the audit trail). Stop the
server first: what it writes during the copy is not copied.

  npm run db:copy -- --from data/runboard.sqlite --to postgres://user:password@host:5432/runboard

  --from PATH       the store's SQLite file (RUNBOARD_DB)
  --to URL          the PostgreSQL database (created beforehand; its schema is migrated)
  --audit PATH      the audit trail's file (RUNBOARD_AUDIT_DB); default: audit.sqlite beside --from, when there
  --no-audit        leave the audit trail out
  --files FOLDER    the uploaded files' bytes; default: files/ beside --from
  --replace         empty the target's Runboard tables first, instead of refusing a target that holds data
  --batch-rows N    rows read and written at a time (default 500)`;

export interface CommandOutput {
  /** The summary. */
  out(line: string): void;
  /** Progress and errors. */
  err(line: string): void;
}

/** `npm run db:copy`: returns the exit code (0 copied, 1 refused or failed, 2 wrong arguments). */
export async function runCopyCommand(
  argv: string[],
  output: CommandOutput,
  connect: (url: string) => SqlClient = (url) =>
    connectToServer(url, { applicationName: 'runboard-db-copy' }),
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        audit: { type: 'string' },
        'no-audit': { type: 'boolean' },
        files: { type: 'string' },
        replace: { type: 'boolean' },
        'batch-rows': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${COPY_USAGE}`);
    return 2;
  }
  if (args.help) {
    output.out(COPY_USAGE);
    return 0;
  }
  const batchRows = args['batch-rows'] === undefined ? 500 : Number(args['batch-rows']);
  const problem = !args.from
    ? '--from is required'
    : !args.to
      ? '--to is required'
      : !/^postgres(ql)?:\/\//.test(args.to)
        ? '--to takes a postgres:// URL'
        : !Number.isInteger(batchRows) || batchRows < 1 || batchRows > 10_000
          ? '--batch-rows takes a whole number from 1 to 10000'
          : args.audit && args['no-audit']
            ? '--audit and --no-audit cannot go together'
            : !existsSync(args.from)
              ? `${args.from} does not exist`
              : args.audit && !existsSync(args.audit)
                ? `${args.audit} does not exist`
                : args.files && !existsSync(args.files)
                  ? `${args.files} does not exist`
                  : null;
  if (problem) {
    output.err(`${problem}\n\n${COPY_USAGE}`);
    return 2;
  }
  const besideStore = join(dirname(args.from!), 'audit.sqlite');
  const auditPath = args['no-audit'] ? null : (args.audit ?? (existsSync(besideStore) ? besideStore : null));
  const store = new Database(args.from!, { readonly: true, fileMustExist: true });
  const audit = auditPath ? new Database(auditPath, { readonly: true, fileMustExist: true }) : undefined;
  const target = connect(args.to!);
  const where = printableDatabaseUrl(args.to!);
  output.err(`Copying ${args.from}${auditPath ? ` and ${auditPath}` : ' (no audit trail)'} into ${where}…`);
  const started = Date.now();
  try {
    const report = await copySqliteToPostgres({
      store,
      audit,
      filesFolder: args.files,
      target,
      replace: args.replace,
      batchRows,
      onProgress: progressPrinter(output),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const counts = Object.entries(report.copied).map(
      ([table, rows]) => `${table} ${rows.toLocaleString('en-US')}`,
    );
    output.out(`Copied into ${where} in ${seconds} s: ${counts.join(', ')}.`);
    const { fileBytes } = report;
    if (fileBytes.files > 0) {
      output.out(
        `Bytes of ${fileBytes.files.toLocaleString('en-US')} uploaded file(s) copied: ${fileBytes.bytes.toLocaleString('en-US')} bytes.`,
      );
    }
    if (fileBytes.withoutBytes.count > 0) {
      output.out(
        `${fileBytes.withoutBytes.count} file record(s) had no bytes in the files folder (copied without, as they were): ${fileBytes.withoutBytes.ids.join(', ')}${fileBytes.withoutBytes.count > fileBytes.withoutBytes.ids.length ? ', …' : ''}.`,
      );
    }
    if (report.missing.length > 0)
      output.out(`Not in the source (nothing to copy): ${report.missing.join(', ')}.`);
    if (report.nulReplaced > 0) {
      output.out(
        `${report.nulReplaced} value(s) held U+0000, which PostgreSQL cannot store: copied with U+FFFD in its place.`,
      );
    }
    return 0;
  } catch (error) {
    const known = error instanceof CopyError || error instanceof MigrationError;
    output.err(
      `Copy failed, the target is unchanged: ${maskSecret((error as Error).message, passwordOf(args.to!))}`,
    );
    if (!known && (error as Error).stack) output.err((error as Error).stack!);
    return 1;
  } finally {
    store.close();
    audit?.close();
    await target.close();
  }
}

function passwordOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}

/** One line when a table starts, then at most one a second, and one when it is done. */
function progressPrinter(output: CommandOutput): (progress: CopyProgress) => void {
  let lastAt = 0;
  return ({ table, copied, total }) => {
    const now = Date.now();
    if (copied !== 0 && copied !== total && now - lastAt < 1000) return;
    lastAt = now;
    output.err(`  ${table}: ${copied.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
  };
}
