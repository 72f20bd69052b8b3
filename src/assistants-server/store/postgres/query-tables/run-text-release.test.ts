import { expect, it } from 'vitest';
import type { SqlQueryable } from '../sql-client';
import { describePostgres, withPostgres } from '../test-support/with-postgres';

/**
 * Migration 11: a statement that moves or deletes many runs releases each text it left once, when it ends (one
 * check of the text's references each, not one a run: each walked the index entries the statement had already
 * deleted). The texts a run still has stay; those none has are gone when the statement ends, without the sweep.
 */
const database = withPostgres();

let batches = 0;
/** `count` runs of `threadId` whose search text is `text` (after the thread id, as `runSearchText` writes it). */
const insertRuns = (threadId: string, count: number, text: string) =>
  database.client.query(
    `INSERT INTO query_runs (id, thread_id, assistant_id, model, status, created_at, activity_at, k_status, k_id,
       k_assistant, k_model, k_tokens, k_outcome, k_metadata, search_text, body)
     SELECT $4 || i, $1, 'asst_a', 'gpt-4o', 'completed', i, i, 6, $4 || i, 'asst_a',
       'gpt-4o', 0, '', '', lower($1) || ' ' || $3, '{}'
     FROM generate_series(1, $2::integer) AS i`,
    [threadId, count, text, `run_${(batches += 1)}_`],
  );

const texts = async () =>
  (await database.client.query<{ text: string }>('SELECT text FROM query_run_texts ORDER BY text')).rows.map(
    (row) => row.text,
  );

/** Each text with how many runs refer to it. */
async function runsByText(): Promise<Record<string, number>> {
  const { rows } = await database.client.query<{ text: string; runs: number }>(
    `SELECT texts.text, count(search.ord)::integer AS runs FROM query_run_texts AS texts
     LEFT JOIN query_run_search AS search ON search.text_id = texts.id GROUP BY texts.text`,
  );
  return Object.fromEntries(rows.map((row) => [row.text, row.runs]));
}

/**
 * Runs `statement` and returns how many times it checked a left text's references (the backend's calls not yet
 * reported may include earlier transactions': the difference across the statement).
 */
async function releasesOf(statement: string): Promise<number> {
  return database.client.transaction(async (tx: SqlQueryable) => {
    await tx.query("SET LOCAL track_functions = 'pl'");
    const calls = async () =>
      (
        await tx.query<{ calls: number | null }>(
          "SELECT pg_stat_get_xact_function_calls('query_run_text_released'::regproc)::integer AS calls",
        )
      ).rows[0]?.calls ?? 0;
    const before = await calls();
    await tx.query(statement);
    return (await calls()) - before;
  });
}

describePostgres('the texts a statement of many runs leaves', () => {
  it('a thread deleted whole keeps the text other threads share and deletes its own, checking each once', async () => {
    await database.client.query('DELETE FROM query_runs');
    await insertRuns('thread_gone', 400, 'shared words');
    await insertRuns('thread_gone', 300, 'words of the gone thread alone');
    await insertRuns('thread_kept', 5, 'shared words');

    expect(await releasesOf("DELETE FROM query_runs WHERE thread_id = 'thread_gone'")).toBe(2);
    expect(await runsByText()).toEqual({ 'shared words': 5 });
  });

  it('one UPDATE moving many runs off their text keeps a text still held and deletes one left alone', async () => {
    await database.client.query('DELETE FROM query_runs');
    await insertRuns('thread_moved', 500, 'shared words');
    await insertRuns('thread_moved', 200, 'words only the moved runs have');
    await insertRuns('thread_kept', 3, 'shared words');

    expect(
      await releasesOf(
        "UPDATE query_runs SET search_text = 'thread_moved words they move to' WHERE thread_id = 'thread_moved'",
      ),
    ).toBe(2);
    expect(await runsByText()).toEqual({ 'shared words': 3, 'words they move to': 700 });
  });

  it('an UPDATE that keeps each run on a text some run of it has releases nothing', async () => {
    await database.client.query('DELETE FROM query_runs');
    await insertRuns('thread_a', 50, 'first words');
    await insertRuns('thread_b', 50, 'second words');

    // The two threads' texts swap, and every run's status changes: both texts are still held.
    expect(
      await releasesOf(
        `UPDATE query_runs SET k_status = 3, search_text = CASE thread_id
           WHEN 'thread_a' THEN 'thread_a second words' ELSE 'thread_b first words' END`,
      ),
    ).toBe(0);
    expect(await runsByText()).toEqual({ 'first words': 50, 'second words': 50 });
  });

  it('runs moved to another thread keep their text (it is kept without the thread id)', async () => {
    await database.client.query('DELETE FROM query_runs');
    await insertRuns('thread_from', 100, 'words that travel');

    await database.client.query(
      "UPDATE query_runs SET thread_id = 'thread_to', search_text = 'thread_to words that travel'",
    );
    expect(await runsByText()).toEqual({ 'words that travel': 100 });
    await database.client.query("DELETE FROM query_runs WHERE thread_id = 'thread_to'");
    expect(await texts()).toEqual([]);
  });

  it('a statement that changes no run releases nothing', async () => {
    await database.client.query('DELETE FROM query_runs');
    await insertRuns('thread_still', 10, 'words that stay');

    expect(await releasesOf("UPDATE query_runs SET k_status = 6 WHERE thread_id = 'thread_none'")).toBe(0);
    expect(await releasesOf("DELETE FROM query_runs WHERE thread_id = 'thread_none'")).toBe(0);
    expect(await runsByText()).toEqual({ 'words that stay': 10 });
  });
});
