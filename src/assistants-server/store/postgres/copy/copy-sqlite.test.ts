import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../platform/logger';
import type { Message, Run, Thread } from '../../../../shared/openai-types';
import { createApp } from '../../../../server/app';
import { openAuditStore } from '../../../../server/audit/audit-store';
import { createBackend } from '../../../../server/backend';
import { loadConfig } from '../../../../server/config';
import { TEST_HEADERS, TEST_TOKEN } from '../../../../server/test-support/in-memory-server';
import { openSqliteStore } from '../../sqlite-assistants-store';
import { describePostgres, TEST_BACKEND, withPostgres } from '../test-support/with-postgres';
import { runCopyCommand } from './copy-command';
import { copySqliteToPostgres, type CopyProgress, type CopyReport } from './copy-sqlite';
import { COPIED_TABLES } from './copied-tables';
import { observedTransactions, withSourceFolder } from './copy-test-support';

const database = withPostgres({ migrated: false });
// A copy of a thousand-run store takes PGlite (WASM, one connection) seconds, more on a busy machine.
vi.setConfig({ testTimeout: 60_000 });
const headers = { ...TEST_HEADERS, 'content-type': 'application/json', 'openai-beta': 'assistants=v2' };
/** A message with what text columns and jsonb make hard: quotes, backslashes, emoji, a NUL, an escaped "\u0000". */
const TRICKY_TEXT = 'He said "ok" \\ then 🚀 — a NUL:\u0000 and a literal \\u0000 end';

let folder: string;
let storePath: string;
let auditPath: string;
withSourceFolder(async (paths) => {
  ({ folder, storePath } = paths);
  auditPath = join(folder, 'audit.sqlite');
  await seedSqlite();
});
let seeded: { thread: Thread; run: Run; message: Message };

/** A store written by the real server: the demo, 600 bulk-seeded runs, requests through /v1, model calls. */
async function seedSqlite(): Promise<void> {
  const config = loadConfig({
    RUNBOARD_DB: storePath,
    RUNBOARD_AUDIT_DB: auditPath,
    RUNBOARD_SEED: 'demo',
    RUNBOARD_TOKEN: TEST_TOKEN,
  });
  const backend = await createBackend(config, silentLogger);
  const audit = openAuditStore(auditPath);
  const app = createApp({ config, logger: silentLogger, backend, dashboardDir: null, audit });
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as T;
  };
  try {
    const assistant = await post<{ id: string }>('/v1/assistants', { model: 'gpt-4o', name: 'Copied' });
    const thread = await post<Thread>('/v1/threads', {
      // /v1 refuses U+0000 (json-body.ts): the text goes in without it, and is stored with it below, as a
      // database written before that refusal may hold it.
      messages: [{ role: 'user', content: TRICKY_TEXT.replace('\u0000', '') }],
      metadata: { team: 'blue' },
    });
    const run = await post<Run>(`/v1/threads/${thread.id}/runs`, { assistant_id: assistant.id });
    await post('/api/emulator/seed', { count: 600, thread_count: 30 });
    await post('/api/emulator/clock', { advance_seconds: 120 });
    const messages = (await (await app.request(`/v1/threads/${thread.id}/messages`, { headers })).json()) as {
      data: Message[];
    };
    seeded = { thread, run, message: messages.data.find((each) => each.role === 'user')! };
  } finally {
    await backend.close();
    audit.close();
  }
  const store = openSqliteStore(storePath);
  try {
    for (let turn = 1; turn <= 3; turn++) {
      await store.modelCalls.begin({
        run_id: seeded.run.id,
        turn,
        attempt: 1,
        model: 'gpt-4o-mini',
        started_at_ms: 1_760_000_000_000 + turn,
        latency_ms: 120 * turn,
        first_token_ms: 40,
        outcome: turn === 3 ? 'in_flight' : 'answered',
        http_status: 200,
        prompt_tokens: 10 * turn,
        completion_tokens: 5,
        error: null,
      });
    }
    const reply = (await store.messages.inThread(seeded.thread.id)).find(
      (each) => each.role === 'assistant',
    )!;
    await store.messages.appendText(reply, ' (and more)');
    const tricky: Message = {
      ...seeded.message,
      content: [{ type: 'text', text: { value: TRICKY_TEXT, annotations: [] } }],
    };
    await store.messages.update(tricky);
    seeded = { ...seeded, message: tricky };
  } finally {
    await store.close();
  }
}

/** A parsed JSON value with each U+0000 of its strings as U+FFFD: what PostgreSQL can hold of it. */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD');
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, withoutNul(each)]));
  }
  return value;
}

function openSources() {
  return {
    store: new Database(storePath, { readonly: true }),
    audit: new Database(auditPath, { readonly: true }),
  };
}

function sqliteCount(db: Database.Database, table: string): number {
  return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

let report: CopyReport;
const progress: CopyProgress[] = [];

describePostgres('copying a SQLite database into PostgreSQL', () => {
  it('copies every row of every table, in batches, and reports progress', async () => {
    const sources = openSources();
    try {
      report = await copySqliteToPostgres({
        ...sources,
        target: database.client,
        batchRows: 100,
        onProgress: (step) => progress.push(step),
      });
      for (const table of COPIED_TABLES) {
        const source = table.source === 'store' ? sources.store : sources.audit;
        const expected = sqliteCount(source, table.name);
        const { rows } = await database.client.query<{ n: number }>(
          `SELECT COUNT(*)::bigint AS n FROM ${table.name}`,
        );
        expect({ table: table.name, rows: rows[0]!.n }).toEqual({ table: table.name, rows: expected });
        expect(report.copied[table.name]).toBe(expected);
      }
      expect(sqliteCount(sources.store, 'runs')).toBeGreaterThan(600);
      expect(sqliteCount(sources.store, 'query_runs')).toBeGreaterThan(600);
      expect(sqliteCount(sources.store, 'model_calls')).toBe(3);
      expect(sqliteCount(sources.audit, 'audit_entries')).toBeGreaterThanOrEqual(3);
    } finally {
      sources.store.close();
      sources.audit.close();
    }
    expect(report.missing).toEqual([]);
    const runs = progress.filter((step) => step.table === 'runs');
    expect(runs[0]).toEqual({ table: 'runs', copied: 0, total: runs.at(-1)!.total });
    expect(runs.map((step) => step.copied).slice(1, 4)).toEqual([100, 200, 300]);
    expect(runs.at(-1)!.copied).toBe(runs.at(-1)!.total);
  });

  it('keeps ids, times and bodies: the objects read back equal to what /v1 answered', async () => {
    const sources = openSources();
    try {
      for (const table of ['assistants', 'threads', 'messages', 'runs', 'run_steps', 'model_calls']) {
        const expected = sources.store.prepare(`SELECT * FROM ${table} ORDER BY seq`).all() as Array<
          Record<string, unknown>
        >;
        const { rows } = await database.client.query<Record<string, unknown>>(
          `SELECT * FROM ${table} ORDER BY seq`,
        );
        // Every row, every column: jsonb read back equals the JSON SQLite held (but the one NUL, below).
        const asStored = expected.map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([column, value]) => [
              column,
              column === 'body' || column === 'internal' ? withoutNul(JSON.parse(value as string)) : value,
            ]),
          ),
        );
        const copied = rows.map(({ lease_owner: _owner, lease_expires_at: _expiry, ...row }) => row);
        expect(copied).toEqual(asStored);
      }
      const settings = sources.store.prepare('SELECT key, value FROM settings ORDER BY key').all();
      expect((await database.client.query('SELECT key, value FROM settings ORDER BY key')).rows).toEqual(
        settings,
      );
      expect(settings).toEqual(expect.arrayContaining([{ key: 'clock_offset_ms', value: '120000' }]));
      const audit = sources.audit.prepare('SELECT * FROM audit_entries ORDER BY id').all();
      expect((await database.client.query('SELECT * FROM audit_entries ORDER BY id')).rows).toEqual(audit);
      const appends = sources.store.prepare('SELECT * FROM message_text_appends ORDER BY seq').all();
      expect(appends).toHaveLength(1);
      expect((await database.client.query('SELECT * FROM message_text_appends ORDER BY seq')).rows).toEqual(
        appends,
      );
    } finally {
      sources.store.close();
      sources.audit.close();
    }
  });

  it('stores U+0000 as U+FFFD (PostgreSQL cannot hold it) and counts it; a literal "\\u0000" stays as written', async () => {
    const { rows } = await database.client.query<{ body: Message }>(
      'SELECT body FROM messages WHERE id = $1',
      [seeded.message.id],
    );
    const text = rows[0]!.body.content[0]!;
    expect(text.type === 'text' && text.text.value).toBe(TRICKY_TEXT.replace('\u0000', '\uFFFD'));
    // The thread's message, and the query index's copy of its preview text.
    expect(report.nulReplaced).toBeGreaterThanOrEqual(1);
  });

  it('moves every counter past the copied ids: a new row takes the next one', async () => {
    const { rows } = await database.client.query<{ seq: number; max: number }>(
      `WITH added AS (INSERT INTO model_calls (run_id, body) VALUES ('run_new', '{}') RETURNING seq)
       SELECT (SELECT seq FROM added) AS seq, (SELECT MAX(seq) FROM model_calls) AS max`,
    );
    expect(rows[0]!.seq).toBe(4);
    await database.client.query("DELETE FROM model_calls WHERE run_id = 'run_new'");
  });

  it('copies query rows the trigram index finds', async () => {
    // The run's search text holds its thread's id (not its own: runSearchText).
    const { rows } = await database.client.query<{ id: string }>(
      "SELECT id FROM query_runs WHERE search_text ILIKE '%' || $1 || '%'",
      [seeded.thread.id.slice(7, 19)],
    );
    expect(rows.map((row) => row.id)).toContain(seeded.run.id);
  });

  it('refuses a second copy into the same database, naming what it holds, and changes nothing', async () => {
    const sources = openSources();
    try {
      await expect(copySqliteToPostgres({ ...sources, target: database.client })).rejects.toThrow(
        /^The target database already holds data \(settings: \d+, assistants: \d+, threads: \d+, .*runs: \d+.*\)\. Copy into an empty database, or pass --replace/,
      );
    } finally {
      sources.store.close();
      sources.audit.close();
    }
    const { rows } = await database.client.query<{ n: number }>('SELECT COUNT(*)::bigint AS n FROM runs');
    expect(rows[0]!.n).toBe(report.copied.runs);
  });

  it('copies again over the old data with replace, never sending more than the byte bound in one INSERT', async () => {
    await database.client.query("INSERT INTO change_log (type, body) VALUES ('resync', '{}')");
    const inserts: Array<{ rows: number; bytes: number }> = [];
    const target = observedTransactions(database.client, (text, params) => {
      if (!text.startsWith('INSERT INTO')) return;
      const bytes = params.reduce<number>(
        (sum, value) => sum + (typeof value === 'string' ? Buffer.byteLength(value) : 8),
        0,
      );
      inserts.push({ rows: (text.match(/\),? ?\(/g)?.length ?? 0) + 1, bytes });
    });
    const sources = openSources();
    try {
      const again = await copySqliteToPostgres({ ...sources, target, replace: true, batchBytes: 16 * 1024 });
      expect(again.copied).toEqual(report.copied);
      expect(inserts.length).toBeGreaterThan(20);
      expect(inserts.filter((insert) => insert.rows > 1 && insert.bytes > 16 * 1024)).toEqual([]);
    } finally {
      sources.store.close();
      sources.audit.close();
    }
    expect((await database.client.query('SELECT id FROM change_log')).rows).toEqual([]);
  });

  it('stops at a row that is not JSON, naming it, and leaves the target unchanged', async () => {
    const brokenPath = join(folder, 'broken.sqlite');
    const source = new Database(storePath, { readonly: true });
    await source.backup(brokenPath);
    source.close();
    const broken = new Database(brokenPath);
    broken
      .prepare("UPDATE run_steps SET body = '{not json' WHERE seq = (SELECT MIN(seq) FROM run_steps)")
      .run();
    const stepId = broken.prepare('SELECT id FROM run_steps ORDER BY seq LIMIT 1').pluck().get() as string;
    try {
      await expect(
        copySqliteToPostgres({ store: broken, target: database.client, replace: true }),
      ).rejects.toThrow(
        `run_steps (seq ${broken.prepare('SELECT MIN(seq) FROM run_steps').pluck().get()}): body is not JSON`,
      );
    } finally {
      broken.close();
    }
    expect(stepId).toMatch(/^step_/);
    const { rows } = await database.client.query<{ n: number }>('SELECT COUNT(*)::bigint AS n FROM runs');
    expect(rows[0]!.n).toBe(report.copied.runs);
  });

  it('says what is wrong with the command line, with the usage', async () => {
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    expect(await runCopyCommand(['--from', storePath], output)).toBe(2);
    expect(lines.join('\n')).toContain('--to is required');
    expect(lines.join('\n')).toContain('npm run db:copy -- --from data/runboard.sqlite --to postgres://');
    lines.length = 0;
    expect(await runCopyCommand(['--from', storePath, '--to', 'mysql://x'], output)).toBe(2);
    expect(lines[0]).toContain('--to takes a postgres:// URL');
    lines.length = 0;
    expect(
      await runCopyCommand(['--from', join(folder, 'nope.sqlite'), '--to', 'postgres://h/db'], output),
    ).toBe(2);
    expect(lines[0]).toContain('nope.sqlite does not exist');
  });

  it.runIf(TEST_BACKEND === 'server')(
    'copies from the command line, with the audit trail beside the store, and refuses a second run',
    async () => {
      const url = new URL(database.url!);
      url.password = 'hunter2-not-printed';
      const lines: string[] = [];
      const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
      await database.client.query(`TRUNCATE ${COPIED_TABLES.map((table) => table.name).join(', ')}`);
      expect(await runCopyCommand(['--from', storePath, '--to', url.toString()], output)).toBe(0);
      const text = lines.join('\n');
      expect(text).toContain(`and ${auditPath}`);
      expect(text).toMatch(/runs: 0 \/ [\d,]+\n/);
      expect(text).toMatch(
        /Copied into 127\.0\.0\.1:\d+\/runboard_test_\w+ in [\d.]+ s: settings \d+, assistants/,
      );
      expect(text).not.toContain('hunter2');
      lines.length = 0;
      expect(await runCopyCommand(['--from', storePath, '--to', url.toString()], output)).toBe(1);
      expect(lines.join('\n')).toContain(
        'Copy failed, the target is unchanged: The target database already holds data',
      );
    },
  );
});
