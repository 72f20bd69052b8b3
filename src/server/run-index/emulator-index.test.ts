import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkSeedRuns } from '../../assistants-server/emulation/seed/bulk-seed';
import { deleteThread } from '../../assistants-server/lifecycle/delete-thread';
import { openSqliteStore } from '../../assistants-server/store/sqlite-assistants-store';
import type { RunRecord } from '../../assistants-server/store/run-record';
import type { Logger } from '../../platform/logger';
import type { Run, Thread } from '../../shared/openai-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { indexInEmulatorStore } from './emulator-source';
import type { IndexChange } from './run-index';
import { openIndexDatabase } from './run-index-schema';
import { RunsQueryEngine } from './runs-query';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-index-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log, info: log, warn: log, error: log };
}

function openStore(path: string, logger: Logger = recordingLogger()) {
  const kept = indexInEmulatorStore(logger);
  const store = openSqliteStore(path, undefined, kept.attach);
  return { store, index: kept.index() };
}

const thread: Thread = {
  id: 'thread_a',
  object: 'thread',
  created_at: 1_000,
  tool_resources: null,
  metadata: {},
};
const record = (id: string): RunRecord => ({
  run: makeRun({ id, thread_id: thread.id }),
  internal: {
    scenario: null,
    plannedToolCalls: [],
    toolOutputs: null,
    toolCallsStepId: null,
    promptTokens: 10,
  },
  schedule: null,
});

describe("the query index in the emulator's database", () => {
  it('is written in the transaction of the write it reflects, and reports the change once that commits', async () => {
    const { store, index } = openStore(':memory:');
    const reported: IndexChange[] = [];
    index.subscribe((change) => reported.push(change));

    await store.transaction(async (tx) => {
      await tx.threads.insert(thread);
      await tx.runs.insert(record('run_1'));
      expect(index.hasRun('run_1')).toBe(true);
      expect(reported).toEqual([]);
    });
    expect(reported.map((change) => change.type)).toEqual(['thread.created', 'run.created']);

    await expect(
      store.transaction(async (tx) => {
        await tx.runs.insert(record('run_2'));
        throw new Error('the write fails after the insert');
      }),
    ).rejects.toThrow('the write fails');
    expect(index.hasRun('run_2')).toBe(false);
    expect(index.runCount(thread.id)).toBe(1);
    expect(reported).toHaveLength(2);
    await store.close();
  });

  it('indexes a bulk seed as it inserts it, with its totals, reported as one reset', async () => {
    const { store, index } = openStore(':memory:');
    const reported: IndexChange[] = [];
    index.subscribe((change) => reported.push(change));
    const seeded = await bulkSeedRuns(store, { count: 50, threadCount: 5, now: 1_000_000 });
    expect(index.runCount(null)).toBe(50);
    for (const threadId of seeded.thread_ids) expect(index.runCount(threadId)).toBe(10);
    expect(reported.filter((change) => change.type === 'reset')).toEqual([
      { type: 'reset', reason: 'bulk_insert', thread_ids: seeded.thread_ids },
    ]);
    await store.close();
  });

  it("writes a seeded run's body once, in the store's row, and reads it there until the run changes or goes", async () => {
    const { store, index } = openStore(':memory:');
    const seeded = await bulkSeedRuns(store, { count: 40, threadCount: 2, now: 1_000_000 });
    const count = (sql: string) => index.db.prepare(sql).pluck().get() as number;
    expect(count("SELECT COUNT(*) FROM query_runs WHERE body = ''")).toBe(40);
    const engine = new RunsQueryEngine(index.db, (threadId) => index.runCount(threadId));
    const page = engine.page({
      filter: {},
      sort: { field: 'created', desc: true },
      limit: 100,
      after: null,
      nowMs: 0,
    });
    const served = page.bodies.map((body) => JSON.parse(body) as Run);
    expect(served).toHaveLength(40);
    for (const run of served) expect(run).toEqual((await store.runs.get(run.id))!.run);

    // A failed run ends well after all: the index reads what it was (its error, its status) before the store's
    // row changed, as for any run.
    const failedRun = served.find((run) => run.status === 'failed')!;
    const before = {
      failed: engine.counts({}).byStatus.failed,
      errors: engine.counts({ q: 'exceeded' }).total,
    };
    const record = (await store.runs.get(failedRun.id))!;
    await store.transaction(async (tx) => {
      await tx.runs.update({
        ...record,
        run: { ...failedRun, status: 'completed', last_error: null, failed_at: null, completed_at: 1 },
      });
    });
    const failedError = failedRun.last_error!.message.toLowerCase().includes('exceeded') ? 1 : 0;
    expect(engine.counts({}).byStatus.failed).toBe(before.failed - 1);
    expect(engine.counts({ q: 'exceeded' }).total).toBe(before.errors - failedError);
    expect(index.storedRun(failedRun.id)?.status).toBe('completed');

    // A thread's deletion removes its runs' text entries (read from their bodies before the rows went).
    const [gone, kept] = seeded.thread_ids;
    await deleteThread(store, (await store.threads.get(gone!))!);
    expect(index.runCount(null)).toBe(20);
    expect(engine.counts({ q: 'exceeded' }).total).toBe(
      served.filter(
        (run) => run.thread_id === kept && run.last_error?.message.toLowerCase().includes('exceeded'),
      ).length,
    );
    expect(
      count('SELECT COUNT(*) FROM query_run_text_runs WHERE ord NOT IN (SELECT ord FROM query_runs)'),
    ).toBe(0);
    await store.close();
  });

  it('inserts a seed thread by thread, each thread still holding every thread-count-th run by time', async () => {
    const { store, index } = openStore(':memory:');
    const seeded = await bulkSeedRuns(store, { count: 12, threadCount: 3, now: 1_000_000 });
    const threadsBy = (order: string) =>
      index.db.prepare(`SELECT thread_id FROM runs ORDER BY ${order}`).pluck().all() as string[];
    const [a, b, c] = seeded.thread_ids;
    expect(threadsBy('created_at')).toEqual([a, b, c, a, b, c, a, b, c, a, b, c]);
    expect(threadsBy('seq')).toEqual([a, a, a, a, b, b, b, b, c, c, c, c]);
    expect(index.db.prepare('SELECT thread_id FROM query_runs ORDER BY ord').pluck().all()).toEqual(
      threadsBy('seq'),
    );
    await store.close();
  });

  it("takes the planner's statistics after a bulk seed only once the runs have doubled since the last time", async () => {
    const { store, index } = openStore(':memory:');
    const analyzedAt = () =>
      index.db.prepare("SELECT value FROM query_index_state WHERE key = 'analyzed_runs'").pluck().get();
    const statistics = () =>
      index.db.prepare("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'query_runs'").pluck().get();
    const seed = () => bulkSeedRuns(store, { count: 10, threadCount: 1, now: 1_000_000 });
    await seed();
    expect(analyzedAt()).toBe('10');
    expect(statistics()).toBeGreaterThan(0);
    await seed();
    expect(analyzedAt()).toBe('20');
    await seed();
    await seed();
    expect(analyzedAt()).toBe('40');
    await seed();
    await seed();
    expect(analyzedAt()).toBe('40');
    await store.close();
  });

  it("takes the planner's statistics again once deleted threads have halved the runs, not before", async () => {
    const { store, index } = openStore(':memory:');
    const analyzedAt = () =>
      index.db.prepare("SELECT value FROM query_index_state WHERE key = 'analyzed_runs'").pluck().get();
    // How many rows the planner believes query_runs' id index holds (the first number of its `stat`).
    const believedRuns = () =>
      Number(
        (
          index.db
            .prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'query_runs' AND idx LIKE '%autoindex%'")
            .pluck()
            .get() as string
        ).split(' ')[0],
      );
    const seeded = await bulkSeedRuns(store, { count: 40, threadCount: 4, now: 1_000_000 });
    const removeThread = async (threadId: string) =>
      deleteThread(store, (await store.threads.get(threadId))!);
    expect(analyzedAt()).toBe('40');
    expect(believedRuns()).toBe(40);

    await removeThread(seeded.thread_ids[0]!);
    expect(index.runCount(null)).toBe(30);
    expect(analyzedAt()).toBe('40');

    await removeThread(seeded.thread_ids[1]!);
    expect(analyzedAt()).toBe('20');
    expect(believedRuns()).toBe(20);

    // Runs back to 30: between half and double of 20, the statistics stay.
    await bulkSeedRuns(store, { count: 10, threadCount: 1, now: 1_000_000 });
    expect(index.runCount(null)).toBe(30);
    expect(analyzedAt()).toBe('20');

    await removeThread(seeded.thread_ids[2]!);
    await removeThread(seeded.thread_ids[3]!);
    expect(index.runCount(null)).toBe(10);
    expect(analyzedAt()).toBe('10');
    expect(believedRuns()).toBe(10);
    await store.close();
  });

  it('indexes a database written before it existed once, when it opens, and never again', async () => {
    const path = join(directory, 'runboard.sqlite');
    const before = openSqliteStore(path);
    await bulkSeedRuns(before, { count: 30, threadCount: 3, now: 1_000_000 });
    await before.close();

    const firstLog = recordingLogger();
    const first = openStore(path, firstLog);
    expect(first.index.runCount(null)).toBe(30);
    expect(first.index.threadCount()).toBe(3);
    expect(firstLog.lines.join('\n')).toMatch(/indexing the stored runs once.*"runs":30/);
    expect(firstLog.lines.join('\n')).toMatch(/Query index: ready.*"runs":30/);
    await first.store.close();

    // Rows removed behind its back stay removed: the next start reads the index as it is, it does not rebuild it.
    const raw = new Database(path);
    raw.exec('DELETE FROM query_runs WHERE ord = (SELECT MIN(ord) FROM query_runs)');
    raw.close();
    const secondLog = recordingLogger();
    const second = openStore(path, secondLog);
    expect(second.index.runCount(null)).toBe(30); // the kept totals were not recounted either
    expect(second.index.db.prepare('SELECT COUNT(*) FROM query_runs').pluck().get()).toBe(29);
    expect(secondLog.lines).toEqual([]);
    await second.store.close();
  });
  it('migrates an index of the earlier shape once, when it opens, with progress in the log', async () => {
    const path = join(directory, 'runboard.sqlite');
    const seeded = openStore(path);
    await bulkSeedRuns(seeded.store, { count: 30, threadCount: 3, now: 1_000_000 });
    await seeded.store.close();
    // Back to the earlier shape: each run's search text in a column under a trigram index without positions, and
    // no totals over all threads.
    const raw = new Database(path);
    raw.exec(`
      ALTER TABLE query_runs ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
      CREATE VIRTUAL TABLE query_run_search USING fts5(
        search_text, content='query_runs', content_rowid='ord', tokenize='trigram', detail='none', columnsize=0);
      DELETE FROM query_run_text;
      DELETE FROM query_run_totals_all;
      CREATE INDEX query_runs_by_tokens ON query_runs (k_tokens, ord);
    `);
    raw.close();

    const log = recordingLogger();
    const { store, index } = openStore(path, log);
    expect(log.lines.join('\n')).toMatch(/migrating to the exact trigram index, once.*"runs":30/);
    expect(log.lines.join('\n')).toMatch(/Query index: migrated.*"runs":30/);
    const engine = new RunsQueryEngine(index.db, (threadId) => index.runCount(threadId));
    // 3 failure codes in turn over the failed tenth of the runs: the one rate-limited run.
    expect(engine.counts({ q: 'quota' }).byStatus).toMatchObject({ failed: 1 });
    expect(engine.counts({}).total).toBe(30);
    const columns = index.db.prepare("SELECT name FROM pragma_table_info('query_runs')").pluck().all();
    expect(columns).not.toContain('search_text');
    // Sorts across threads read the indexes within a status: the sort's own index is gone.
    const indexes = index.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(indexes).not.toContain('query_runs_by_tokens');
    expect(indexes).toContain('query_runs_by_status_tokens');
    await store.close();

    const again = recordingLogger();
    await openStore(path, again).store.close();
    expect(again.lines).toEqual([]);
  });

  it('migrates a text index holding the runs ids, one entry per run, once, to one of distinct texts without them', async () => {
    const path = join(directory, 'runboard.sqlite');
    const seeded = openStore(path);
    await bulkSeedRuns(seeded.store, { count: 30, threadCount: 3, now: 1_000_000 });
    await seeded.store.close();
    // Back to the shape before: every run's id in the text index, and no mark that it holds none.
    const raw = new Database(path);
    const rows = raw.prepare('SELECT ord, k_status, id FROM query_runs').all() as Array<{
      ord: number;
      k_status: number;
      id: string;
    }>;
    const insert = raw.prepare('INSERT INTO query_run_text (rowid, text) VALUES (?, ?)');
    for (const row of rows) insert.run(row.ord * 16 + row.k_status, `${row.id.toLowerCase()}  `);
    const ids = rows.map((row) => row.id);
    raw.exec("DELETE FROM query_index_state WHERE key = 'text_index'");
    raw.close();

    const log = recordingLogger();
    const { store, index } = openStore(path, log);
    expect(log.lines.join('\n')).toMatch(
      /migrating to a text index of distinct texts without run ids, once.*"runs":30/,
    );
    const idTrigram = ids[0]!.slice(-3).toLowerCase();
    const terms = index.db.prepare('SELECT term FROM query_run_text_terms').pluck().all();
    expect(terms).not.toContain(idTrigram);
    const engine = new RunsQueryEngine(index.db, (threadId) => index.runCount(threadId));
    expect(engine.counts({ q: 'quota' }).total).toBe(1);
    // A run is found by the start of its id, in any case; not by a piece from its middle.
    expect(engine.counts({ q: `${ids[0]!.slice(0, 12).toUpperCase()} ` }).total).toBe(1);
    expect(engine.counts({ q: ids[0]!.slice(5, 14) }).total).toBe(0);
    await store.close();

    const again = recordingLogger();
    await openStore(path, again).store.close();
    expect(again.lines).toEqual([]);
  });
});

describe("proxy mode's index file", () => {
  it('drops the runs of a file from before the query_* tables and lists its watched threads again', async () => {
    const path = join(directory, 'index.sqlite');
    const legacy = new Database(path);
    legacy.exec(`
      CREATE TABLE runs (ord INTEGER PRIMARY KEY, id TEXT, k_status INTEGER);
      CREATE TABLE threads (id TEXT PRIMARY KEY);
      CREATE TABLE status_counts (thread_id TEXT, k_status INTEGER, n INTEGER);
      CREATE TABLE watched_threads (thread_id TEXT PRIMARY KEY, added_at INTEGER NOT NULL, state TEXT NOT NULL,
        error TEXT, refreshed_at INTEGER, full_sync_at INTEGER);
      INSERT INTO runs VALUES (1, 'run_old', 0);
      INSERT INTO watched_threads VALUES ('thread_a', 1, 'ready', NULL, 5, 5);
    `);
    legacy.close();

    const db = openIndexDatabase(path);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    expect(tables).not.toContain('runs');
    expect(tables).not.toContain('status_counts');
    expect(tables).toContain('query_runs');
    expect(db.prepare('SELECT thread_id, state, full_sync_at FROM watched_threads').all()).toEqual([
      { thread_id: 'thread_a', state: 'loading', full_sync_at: null },
    ]);
    db.close();
  });
});
