import { expect, it } from 'vitest';
import type { SqlClient, SqlQueryable } from '../sql-client';
import { describePostgres, TEST_BACKEND, withPostgres } from '../test-support/with-postgres';
import { RunTextSweep, sweepRunTexts } from '../query-tables/run-text-sweep';
import { planTextSearch } from './text-search-plan';

/**
 * Migration 8 keeps each distinct search text once (`query_run_texts`), deleted by the write that leaves it unused.
 * Two writers at once, one leaving a text and one taking it up, must never leave a run pointing at a deleted text (it
 * would vanish from every search). Two connections: a server only.
 */
const database = withPostgres();

const insertRun = (db: SqlQueryable, id: string, text: string) =>
  db.query(
    `INSERT INTO query_runs (id, thread_id, assistant_id, model, status, created_at, activity_at, k_status, k_id,
       k_assistant, k_model, k_tokens, k_outcome, k_metadata, search_text, body)
     VALUES ($1, 'thread_t', 'asst_a', 'gpt-4o', 'failed', 1, 1, 5, $1, 'asst_a', 'gpt-4o', 0, '', '', $2, '{}')`,
    [id, text],
  );

/** The run's text as `query_run_search` points at it (null: a text that is gone). */
async function textOf(db: SqlQueryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ text: string | null }>(
    `SELECT texts.text FROM query_runs
     JOIN query_run_search AS search ON search.ord = query_runs.ord
     LEFT JOIN query_run_texts AS texts ON texts.id = search.text_id
     WHERE query_runs.id = $1`,
    [id],
  );
  return rows[0]?.text ?? null;
}

/** A text no run refers to (as a leak leaves one). */
const insertUnreferencedText = (db: SqlQueryable, text: string) =>
  db.query('INSERT INTO query_run_texts (digest, text) VALUES (query_run_text_digest($1), $1)', [text]);

async function unreferencedTexts(db: SqlQueryable): Promise<string[]> {
  const { rows } = await db.query<{ text: string }>(
    `SELECT text FROM query_run_texts AS texts
     WHERE NOT EXISTS (SELECT 1 FROM query_run_search WHERE text_id = texts.id) ORDER BY text`,
  );
  return rows.map((row) => row.text);
}

/** Resolves once the backend running `a` waits for a lock, or `a` has ended (it did not wait). */
async function waitingOrDone(admin: SqlClient, pid: number, a: Promise<unknown>): Promise<void> {
  let done = false;
  void a.finally(() => (done = true)).catch(() => {});
  for (;;) {
    const { rows } = await admin.query<{ waiting: boolean }>(
      `SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`,
      [pid],
    );
    if (done || rows[0]?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs `first` in a transaction, then `second` in another while the first is open, then commits both. */
async function interleaved(
  first: (tx: SqlQueryable) => Promise<unknown>,
  second: (tx: SqlQueryable) => Promise<unknown>,
) {
  const one = database.connect({ maxConnections: 1 });
  const two = database.connect({ maxConnections: 1 });
  const pid = (await two.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  let commitFirst!: () => void;
  let firstDone!: () => void;
  const firstWrote = new Promise<void>((resolve) => (firstDone = resolve));
  const committed = one.transaction(async (tx) => {
    await first(tx);
    firstDone();
    await new Promise<void>((resolve) => (commitFirst = resolve));
  });
  await firstWrote;
  const secondCommitted = two.transaction(second);
  await waitingOrDone(database.client, pid, secondCommitted);
  commitFirst();
  await Promise.all([committed, secondCommitted]);
}

describePostgres('the distinct search texts under concurrent writers', () => {
  it.skipIf(TEST_BACKEND !== 'server')(
    'a text deleted by one writer is made again by another that takes it up meanwhile',
    async () => {
      await insertRun(database.client, 'run_leaving', 'thread_t words only two runs hold');
      // The first deletes the text's last run (and the text); the second takes it up before the first commits.
      await interleaved(
        (tx) => tx.query("DELETE FROM query_runs WHERE id = 'run_leaving'"),
        (tx) => insertRun(tx, 'run_taking', 'thread_t words only two runs hold'),
      );
      expect(await textOf(database.client, 'run_taking')).toBe('words only two runs hold');
    },
  );

  it.skipIf(TEST_BACKEND !== 'server')(
    'a text taken up by one writer is not deleted by another that leaves it meanwhile',
    async () => {
      await insertRun(database.client, 'run_left', 'thread_t another text of one run');
      await interleaved(
        (tx) => insertRun(tx, 'run_took', 'thread_t another text of one run'),
        (tx) => tx.query("DELETE FROM query_runs WHERE id = 'run_left'"),
      );
      expect(await textOf(database.client, 'run_took')).toBe('another text of one run');
    },
  );

  it('resolves a search to the texts holding its words, up to a bound past which the runs are read instead', async () => {
    await insertRun(database.client, 'run_unbound', 'thread_t nothing of the word');
    await insertRun(database.client, 'run_bound_1', 'thread_t bounded alpha');
    await insertRun(database.client, 'run_bound_2', 'thread_t bounded beta');
    await insertRun(database.client, 'run_bound_3', 'thread_t bounded beta');
    const plan = await planTextSearch(database.client, { q: 'bounded' }, new Map(), 2);
    expect(plan).toMatchObject({ textIds: [expect.any(Number), expect.any(Number)] });
    expect(await planTextSearch(database.client, { q: 'bounded' }, new Map(), 1)).toBeNull();
    // A whole id pasted alone: the runs are read.
    expect(await planTextSearch(database.client, { q: 'thread_t' }, new Map())).toBeNull();
    // Another filter, or a word of an assistant's name: the runs too.
    expect(await planTextSearch(database.client, { q: 'bounded', model: 'gpt-4o' }, new Map())).toBeNull();
    expect(
      await planTextSearch(database.client, { q: 'bounded' }, new Map([['asst_a', 'Bounded helper']])),
    ).toBeNull();
  });

  it('deletes a text once no run has it, and keeps one a run still has', async () => {
    await insertRun(database.client, 'run_one', 'thread_t shared words');
    await insertRun(database.client, 'run_two', 'thread_t shared words');
    const texts = async () =>
      (
        await database.client.query<{ text: string }>('SELECT text FROM query_run_texts ORDER BY text')
      ).rows.map((row) => row.text);
    await database.client.query(
      "UPDATE query_runs SET search_text = 'thread_t other words' WHERE id = 'run_one'",
    );
    expect(await texts()).toContain('shared words');
    await database.client.query("DELETE FROM query_runs WHERE id = 'run_two'");
    expect(await texts()).not.toContain('shared words');
    expect(await textOf(database.client, 'run_one')).toBe('other words');
  });

  it.skipIf(TEST_BACKEND !== 'server')(
    'a text two writers leave at once is left by both, and the sweep deletes it',
    async () => {
      await new RunTextSweep(database.client).sweep();
      await insertRun(database.client, 'run_leak_1', 'thread_t a text two writers leave');
      await insertRun(database.client, 'run_leak_2', 'thread_t a text two writers leave');
      // Each delete's trigger sees the other's run (not yet deleted for it) and keeps the text.
      await interleaved(
        (tx) => tx.query("DELETE FROM query_runs WHERE id = 'run_leak_1'"),
        (tx) => tx.query("DELETE FROM query_runs WHERE id = 'run_leak_2'"),
      );
      expect(await unreferencedTexts(database.client)).toEqual(['a text two writers leave']);
      expect(await new RunTextSweep(database.client).sweep()).toBe(1);
      expect(await unreferencedTexts(database.client)).toEqual([]);
    },
  );

  it.skipIf(TEST_BACKEND !== 'server')(
    'a text left while a writer that held it rolls back is kept, and the sweep deletes it',
    async () => {
      await new RunTextSweep(database.client).sweep();
      await insertRun(database.client, 'run_last_holder', 'thread_t a text a writer gives up');
      const writer = database.connect({ maxConnections: 1 });
      let rollBack!: () => void;
      let held!: () => void;
      const holding = new Promise<void>((resolve) => (held = resolve));
      const rolledBack = writer
        .transaction(async (tx) => {
          await insertRun(tx, 'run_given_up', 'thread_t a text a writer gives up');
          held();
          await new Promise<void>((resolve) => (rollBack = resolve));
          throw new Error('rolled back');
        })
        .catch(() => {});
      await holding;
      // The delete's trigger finds the text held FOR KEY SHARE, skips it, and the writer then rolls back.
      await database.client.query("DELETE FROM query_runs WHERE id = 'run_last_holder'");
      rollBack();
      await rolledBack;
      expect(await unreferencedTexts(database.client)).toEqual(['a text a writer gives up']);
      expect(await new RunTextSweep(database.client).sweep()).toBe(1);
      expect(await unreferencedTexts(database.client)).toEqual([]);
    },
  );

  it.skipIf(TEST_BACKEND !== 'server')(
    'the sweep skips a text a writer holds to refer to it, without waiting for the writer',
    async () => {
      await insertUnreferencedText(database.client, 'held by a writer');
      const writer = database.connect({ maxConnections: 1 });
      let commit!: () => void;
      let wrote!: () => void;
      const written = new Promise<void>((resolve) => (wrote = resolve));
      const committed = writer.transaction(async (tx) => {
        await insertRun(tx, 'run_holding', 'thread_t held by a writer');
        wrote();
        await new Promise<void>((resolve) => (commit = resolve));
      });
      await written;
      // The writer's run is not committed: the text looks unreferenced, but the writer holds it FOR KEY SHARE.
      expect(await new RunTextSweep(database.client).sweep()).toBe(0);
      commit();
      await committed;
      expect(await textOf(database.client, 'run_holding')).toBe('held by a writer');
    },
  );

  it('the sweep keeps a text a writer took up after the sweep found it unreferenced', async () => {
    await insertUnreferencedText(database.client, 'taken up meanwhile');
    await insertUnreferencedText(database.client, 'left alone');
    const writer = database.connect({ maxConnections: 1 });
    const batch = await sweepRunTexts(database.client, 0, 1_000, () =>
      insertRun(writer, 'run_meanwhile', 'thread_t taken up meanwhile').then(() => {}),
    );
    expect(batch.deleted).toBe(1);
    expect(await textOf(database.client, 'run_meanwhile')).toBe('taken up meanwhile');
    expect(await unreferencedTexts(database.client)).toEqual([]);
  });

  it('sweeps at most a round of texts at a time, from where the last round stopped', async () => {
    await database.client.query('DELETE FROM query_runs');
    await new RunTextSweep(database.client).sweep();
    await insertRun(database.client, 'run_kept', 'thread_t kept among the swept');
    for (const text of ['swept 1', 'swept 2', 'swept 3', 'swept 4', 'swept 5']) {
      await insertUnreferencedText(database.client, text);
    }
    const sweep = new RunTextSweep(database.client, 3, 2);
    const rounds: string[][] = [];
    for (let round = 0; round < 3; round += 1) {
      await sweep.sweep();
      rounds.push(await unreferencedTexts(database.client));
    }
    // 3 texts a round (the run's text first): the third round finds none after the last, and wraps.
    expect(rounds).toEqual([['swept 3', 'swept 4', 'swept 5'], [], []]);
    await insertUnreferencedText(database.client, 'swept 6');
    expect(await sweep.sweep()).toBe(1);
    expect(await textOf(database.client, 'run_kept')).toBe('kept among the swept');
  });

  it('a text no run refers to does not keep a search every run holds from filtering nothing', async () => {
    await database.client.query('DELETE FROM query_runs');
    await insertRun(database.client, 'run_every_1', 'thread_t alpha common');
    await insertRun(database.client, 'run_every_2', 'thread_t beta common');
    await insertUnreferencedText(database.client, 'gamma');
    expect(await planTextSearch(database.client, { q: 'common' }, new Map())).toBe('every run');
    expect(await planTextSearch(database.client, { q: 'alpha' }, new Map())).toMatchObject({
      textIds: [expect.any(Number)],
    });
  });
});
