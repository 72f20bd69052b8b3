import { beforeAll, expect, it } from 'vitest';
import type { RunStatus } from '../../../../shared/openai-types';
import { RUN_SORT_FIELDS, type RunSortField } from '../../../../shared/runs-query-types';
import { decodeRunCursor } from '../../run-cursor';
import { RunIndex } from '../../../../server/run-index/run-index';
import { openIndexDatabase } from '../../../../server/run-index/run-index-schema';
import { runTimeseries } from '../../../../server/run-index/run-timeseries';
import { TextSearch } from '../../../../server/run-index/text-search';
import { threadSummaries } from '../../../../server/run-index/thread-summaries';
import { decodeThreadCursor } from '../../run-cursor';
import type { TimeseriesRange } from '../../run-timeseries-buckets';
import {
  RunsQueryEngine,
  type RunFilter,
  type RunPageRequest,
  type RunPageResult,
} from '../../../../server/run-index/runs-query';
import { copySqliteToPostgres } from '../copy/copy-sqlite';
import { describePostgres, withPostgres } from '../test-support/with-postgres';
import type { SqlQueryable } from '../sql-client';
import { PostgresRunQueries } from './postgres-run-queries';
import { runWhere, SqlParams, whereClause } from './run-filter-sql';
import { MAX_MATCHED_TEXTS, planTextSearch } from './text-search-plan';
import { variedRuns } from './test-support/varied-runs';

const NAMES = new Map([
  ['asst_support', 'Support Copilot'],
  ['asst_billing', 'Billing 100%'],
]);
/**
 * Threads whose id holds a search's word (lowercased): "zebra" only in thread ids (two), "limit" in one and in texts,
 * "mini" in one and in more than 16 texts (a model's name with the runs' other words). A fifth of the runs are theirs.
 */
const WORD_THREADS = ['thread_Zebra7', 'thread_LimitZebra', 'thread_Mini9'];
/** Some runs are active: their duration counts up to now. */
const NOW_MS = 3_100_500;

/**
 * SQLite's query engine is the reference: the same runs in its index and in PostgreSQL's query tables (copied
 * from it, row for row) must give the same answer to every query, page after page.
 */
describePostgres('the query API on PostgreSQL answers as SQLite does', () => {
  const database = withPostgres();
  const index = new RunIndex(openIndexDatabase(':memory:'));
  const sqlite = new RunsQueryEngine(
    index.db,
    (threadId) => index.runCount(threadId),
    () => NAMES,
  );
  let postgres: PostgresRunQueries;

  beforeAll(async () => {
    const varied = variedRuns(400, 7);
    const threads = [
      ...varied.threads,
      ...WORD_THREADS.map((id, at) => ({ ...varied.threads[0]!, id, created_at: 1_100 + at })),
    ];
    const runs = varied.runs.map((run, at) =>
      at % 5 === 0 ? { ...run, thread_id: WORD_THREADS[(at / 5) % WORD_THREADS.length]! } : run,
    );
    index.transaction(() => {
      threads.forEach((thread) => index.upsertThread(thread));
      // Threads without runs, active at the same time: the thread list's order breaks the tie by id.
      for (const id of ['thread_quiet_1', 'thread_quiet_2', 'thread_quiet_3']) {
        index.upsertThread({ id, object: 'thread', created_at: 900, metadata: {}, tool_resources: {} });
      }
      runs.forEach((run) => index.upsertRun(run));
      // Updates and a deletion: the kept totals and counters follow them.
      runs.slice(0, 40).forEach((run) =>
        index.upsertRun({
          ...run,
          status: 'completed',
          completed_at: run.created_at + 5,
          usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
        }),
      );
      index.deleteRun('run_41');
    });
    await copySqliteToPostgres({ store: index.db, target: database.client });
    postgres = new PostgresRunQueries(database.client, () => NAMES);
  }, 60_000);

  const statuses = (...list: RunStatus[]) => list;
  const FILTERS: Record<string, RunFilter> = {
    'every run': {},
    'a thread': { threadId: 'thread_3' },
    'a status': { statuses: statuses('failed') },
    'statuses across threads': { statuses: statuses('completed', 'requires_action', 'in_progress') },
    'statuses in a thread': { threadId: 'thread_2', statuses: statuses('completed', 'queued') },
    'an assistant': { assistantId: 'asst_billing' },
    'a model': { model: 'model_9' },
    'a model and statuses': { model: 'gpt-4o', statuses: statuses('completed', 'failed') },
    'a created range': { createdAfter: 1_500, createdBefore: 2_200 },
    'a metadata key': { metadataKey: 'priority' },
    'a metadata key and value': { metadataKey: 'customer', metadataValue: 'initech_10' },
    'a word of 2 letters': { q: 'ra' },
    'a word of 3 letters': { q: 'quo' },
    'a longer word': { q: 'quota' },
    'two words': { q: 'rate limit' },
    'words of a few texts (each read in order)': { q: 'acme quota' },
    "an assistant's name": { q: 'copilot' },
    "a name and the text's word": { q: 'copilot quota' },
    'a wildcard taken literally': { q: '100%' },
    'an underscore taken literally': { q: 'initech_1' },
    'accents and case': { q: 'ÜBER ÇA' },
    'a whole run id': { q: 'run_17' },
    'the start of run ids pasted alone': { q: 'run_1' },
    'the start of run ids, in any case, and a word': { q: 'RUN_1 quota' },
    "a start of every run's id": { q: 'run' },
    'the start of run ids alone, in capitals': { q: 'RUN_1' },
    'a whole thread id': { q: 'thread_4' },
    'the start of thread ids pasted alone': { q: 'thread_1' },
    'a whole assistant id, statuses': { q: 'asst_x', statuses: statuses('failed', 'expired') },
    'nothing matches': { q: 'zzzz' },
    'a word only in thread ids': { q: 'zebra' },
    'a word only in thread ids, statuses': {
      q: 'ZEBRA',
      statuses: statuses('failed', 'completed', 'queued'),
    },
    'a word in a thread id and in texts': { q: 'limit' },
    'a word in a thread id and in texts, statuses': { q: 'limit', statuses: statuses('failed', 'cancelled') },
    "a text's word and a word only in thread ids": { q: 'quota zebra' },
    'two words in one thread id, one also in texts': { q: 'limit zebra' },
    'a word in a thread id and texts, another in a few texts': { q: 'acme limit' },
    'a word in more than 16 texts': { q: 'gpt' },
    'a word in more than 16 texts, statuses': {
      q: 'gpt',
      statuses: statuses('completed', 'failed', 'queued'),
    },
    'a word in a thread id and in more than 16 texts': { q: 'mini' },
    'a word in a thread id and in more than 16 texts, statuses': {
      q: 'mini',
      statuses: statuses('completed', 'failed', 'expired', 'in_progress'),
    },
    'search, thread, metadata': { q: 'acme', threadId: 'thread_1', metadataKey: 'customer' },
  };

  /** Every page of a query, from the first to the end by cursors, as both engines answer it. */
  async function everyPage(filter: RunFilter, field: RunSortField, desc: boolean, limit: number) {
    const pages: Array<{ sqlite: RunPageResult; postgres: RunPageResult }> = [];
    let after: string | null = null;
    do {
      const request: RunPageRequest = {
        filter,
        sort: { field, desc },
        limit,
        after: after === null ? null : decodeRunCursor(after),
        nowMs: NOW_MS,
      };
      const answers = { sqlite: sqlite.page(request), postgres: await postgres.page(request) };
      pages.push(answers);
      after = answers.sqlite.nextCursor;
    } while (after !== null && pages.length < 100);
    return pages;
  }

  /** A page as compared: the runs (jsonb does not keep key order: equal objects), the cursor, the total. */
  const comparable = (page: RunPageResult) => ({
    runs: page.bodies.map((body) => JSON.parse(body) as unknown),
    nextCursor: page.nextCursor,
    total: page.total,
  });

  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`pages ${name} in every sort, both ways, to the end`, async () => {
      let seen = 0;
      for (const field of RUN_SORT_FIELDS) {
        for (const desc of [false, true]) {
          const pages = await everyPage(filter, field, desc, 23);
          for (const [at, page] of pages.entries()) {
            expect(comparable(page.postgres), `${field} ${desc ? 'desc' : 'asc'}, page ${at + 1}`).toEqual(
              comparable(page.sqlite),
            );
          }
          seen += pages.reduce((total, page) => total + page.sqlite.bodies.length, 0);
        }
      }
      // Each sort both ways pages through every match once.
      expect(seen).toBe(RUN_SORT_FIELDS.length * 2 * (await postgres.page(firstPage(filter))).total);
    });

    it(`counts and sums the usage of ${name}`, async () => {
      expect(await postgres.counts(filter)).toEqual(sqlite.counts(filter));
      expect(await postgres.usage(filter)).toEqual(sqlite.usage(filter));
    });
  }

  for (const [name, range] of Object.entries({
    'from the earliest run, its interval chosen': { end: 3_200 },
    'a given start and interval': { start: 1_234, end: 2_500, interval: 60 },
    'a start on a bucket boundary': { start: 1_800, end: 2_400, interval: 300 },
    'a range before every run': { start: 10, end: 500, interval: 300 },
    'an end before the earliest run': { end: 500 },
  } satisfies Record<string, TimeseriesRange>)) {
    it(`gives the same time series ${name}, for every filter`, async () => {
      for (const [filterName, filter] of Object.entries(FILTERS)) {
        expect(await postgres.timeseries(filter, range), filterName).toEqual(
          runTimeseries(index.db, filter, range, new TextSearch(index.db, () => NAMES)),
        );
      }
    });
  }

  it('refuses a time series of too many buckets as SQLite does', async () => {
    const range = { start: 0, end: 1_000_000, interval: 60 };
    expect(() => runTimeseries(index.db, {}, range, new TextSearch(index.db, () => NAMES))).toThrow(
      /at most 1000/,
    );
    await expect(postgres.timeseries({}, range)).rejects.toThrow(/at most 1000/);
  });

  for (const q of ['', 'billing', 'te', 'thread_3', 'team: search', 'nothing']) {
    it(`lists the threads searched for "${q}" page by page as SQLite does`, async () => {
      let after: string | null = null;
      let pages = 0;
      do {
        const request = { q, limit: 2, after: after === null ? null : decodeThreadCursor(after) };
        const expected = threadSummaries(index.db, request);
        expect(await postgres.threads(request)).toEqual(expected);
        after = expected.nextCursor;
        pages++;
      } while (after !== null);
      if (q === '') expect(pages).toBe(7);
    });
  }

  it('seeks a cursor holding a fraction or a huge number on an integer column as SQLite compares them', async () => {
    for (const field of ['created', 'tokens', 'status', 'duration'] as const) {
      for (const desc of [false, true]) {
        for (const value of [1_500.5, 230.5, 2.5, -0.5, 1e300, -Infinity]) {
          const request: RunPageRequest = {
            ...firstPage({}),
            sort: { field, desc },
            limit: 5,
            after: { field, desc, value, ord: 200 },
          };
          expect(comparable(await postgres.page(request)), `${field} ${desc} ${value}`).toEqual(
            comparable(sqlite.page(request)),
          );
        }
      }
    }
  });

  it("reads the runs whose id starts with a word by an index, not every run's id", async () => {
    const plan = await database.client.transaction(async (tx) => {
      // 400 runs fit in a few pages: without this the planner rightly reads them all.
      await tx.query('SET LOCAL enable_seqscan = off');
      const params = new SqlParams();
      const where = runWhere({ q: 'RUN_1' }, params, true, NAMES);
      const { rows } = await tx.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (FORMAT JSON) SELECT COUNT(*) FROM query_runs ${whereClause(where)}`,
        params.values,
      );
      return JSON.stringify(rows[0]!['QUERY PLAN']);
    });
    expect(plan).toContain('query_runs_by_lower_id');
  });

  /** The engine on a connection that records every statement it sends. */
  function recording() {
    const statements: string[] = [];
    const recorded: SqlQueryable = {
      query: (text, params) => {
        statements.push(text);
        return database.client.query(text, params);
      },
      exec: (script) => database.client.exec(script),
    };
    return { statements, queries: new PostgresRunQueries(recorded, () => NAMES) };
  }

  it("answers a text search over a few texts by a text column or duration from each text's runs in order", async () => {
    for (const field of ['outcome', 'duration'] as const) {
      const { statements, queries } = recording();
      // Three distinct texts hold both words: each text's runs are read in the sort's order.
      const request: RunPageRequest = { ...firstPage({ q: 'acme quota' }), sort: { field, desc: false } };
      const page = await queries.page(request);
      expect(comparable(page)).toEqual(comparable(sqlite.page(request)));
      const read = statements.join('\n');
      expect(read, field).toContain('query_run_search');
      // Neither every match read in query_runs, nor every match's key counted and sorted (the window path).
      expect(read, field).not.toContain('search_text LIKE');
      expect(read, field).not.toContain('COUNT(*) OVER ()');
    }
  });

  /** How many distinct texts hold the words of `q` (null: no plan of texts answers it). */
  async function textsOf(q: string) {
    const plan = await planTextSearch(database.client, { q }, NAMES);
    return plan !== null && plan !== 'every run' ? plan.textIds.length : null;
  }

  /**
   * Pages (first, both ways) and counts `filter` by `field` as SQLite does, without reading every match on
   * `query_runs` (`search_text LIKE`): from the texts' runs in `query_run_search` (and the threads' by their ids).
   * Gives the statements read.
   */
  async function expectAnsweredFromTexts(filter: RunFilter, field: RunSortField) {
    const { statements, queries } = recording();
    for (const desc of [false, true]) {
      const request: RunPageRequest = { ...firstPage(filter), limit: 23, sort: { field, desc } };
      const page = await queries.page(request);
      expect(comparable(page), `${filter.q} ${field}`).toEqual(comparable(sqlite.page(request)));
      expect(page.bodies.length, filter.q).toBeGreaterThan(0);
    }
    expect(await queries.counts(filter)).toEqual(sqlite.counts(filter));
    expect(statements.join('\n'), `${filter.q} ${field}`).not.toContain('search_text LIKE');
    return statements.join('\n');
  }

  it("answers a search whose words are in a few thread ids from the texts and those threads' runs", async () => {
    const searches: Array<[RunFilter, RunSortField]> = [
      [{ q: 'zebra' }, 'created'],
      [{ q: 'limit', statuses: statuses('failed', 'cancelled') }, 'created'],
      // A few texts (each read in order) and a thread's runs.
      [{ q: 'limit acme' }, 'outcome'],
      [{ q: 'quota zebra' }, 'duration'],
      [{ q: 'limit zebra' }, 'metadata'],
      // Over 16 texts: every match's key from the index, the threads' runs among them.
      [{ q: 'mini', statuses: statuses('completed', 'failed') }, 'tokens'],
    ];
    for (const [filter, field] of searches) {
      const plan = await planTextSearch(database.client, filter, NAMES);
      expect(plan, filter.q).toMatchObject({ threadIds: expect.arrayContaining([expect.any(String)]) });
      await expectAnsweredFromTexts(filter, field);
    }
    expect(await textsOf('limit acme')).toBeGreaterThan(0);
    expect(await textsOf('limit acme')).toBeLessThanOrEqual(16);
    expect(await textsOf('mini')).toBeGreaterThan(16);
  });

  it("answers a search over more than 16 texts by a text column from each text's runs in order", async () => {
    expect(await textsOf('gpt')).toBeGreaterThan(16);
    const searches: Array<[RunFilter, RunSortField]> = [
      [{ q: 'gpt' }, 'outcome'],
      [{ q: 'gpt', statuses: statuses('failed', 'expired') }, 'id'],
      // With a thread's runs.
      [{ q: 'mini' }, 'model'],
      [{ q: 'mini', statuses: statuses('completed', 'in_progress') }, 'assistant'],
    ];
    for (const [filter, field] of searches) await expectAnsweredFromTexts(filter, field);
  });

  it('pages a search over more than 16 texts without statuses by a numeric key from each text in order', async () => {
    for (const [q, field] of [
      ['gpt', 'created'],
      ['gpt', 'duration'],
      ['mini', 'tokens'],
      ['mini', 'status'],
    ] as const) {
      const read = await expectAnsweredFromTexts({ q }, field);
      // Not every match's key counted and sorted (the window).
      expect(read, `${q} ${field}`).not.toContain('COUNT(*) OVER ()');
    }
  });

  it('reads the runs instead when the threads holding a word hold more runs than the bound', async () => {
    const plan = await planTextSearch(database.client, { q: 'zebra' }, NAMES);
    expect(plan).toMatchObject({ textIds: [], likes: ['%zebra%'] });
    expect(plan !== null && plan !== 'every run' && [...plan.threadIds].sort()).toEqual([
      'thread_LimitZebra',
      'thread_Zebra7',
    ]);
    const { total } = await postgres.page(firstPage({ q: 'zebra' }));
    expect(
      await planTextSearch(database.client, { q: 'zebra' }, NAMES, MAX_MATCHED_TEXTS, total),
    ).not.toBeNull();
    expect(
      await planTextSearch(database.client, { q: 'zebra' }, NAMES, MAX_MATCHED_TEXTS, total - 1),
    ).toBeNull();
  });

  it("keeps the search table and its texts (migrations 8, 9) equal to the runs' keys and text through every write", async () => {
    const keys =
      'ord, thread_id, k_status, created_at, k_tokens, k_duration, k_id, k_assistant, k_model, k_outcome, k_metadata';
    const kept = (tx: SqlQueryable) =>
      tx.query<{ runs: string; search: string; unused: number; texts: number }>(
        `SELECT (SELECT string_agg(concat_ws(' ', ${keys},
                   query_run_text_of(search_text, thread_id)), ',' ORDER BY ord) FROM query_runs) AS runs,
                (SELECT string_agg(concat_ws(' ', ${keys}, text),
                   ',' ORDER BY ord)
                 FROM query_run_search JOIN query_run_texts ON query_run_texts.id = text_id) AS search,
                (SELECT COUNT(*)::int FROM query_run_texts
                 WHERE NOT EXISTS (SELECT 1 FROM query_run_search WHERE text_id = query_run_texts.id)) AS unused,
                (SELECT COUNT(*)::int FROM query_run_texts) AS texts`,
      );
    const rolledBack = new Error('rolled back');
    const after = await database.client
      .transaction(async (tx) => {
        await tx.query("UPDATE query_runs SET k_status = 0, search_text = 'edited words' WHERE id = 'run_7'");
        await tx.query("UPDATE query_runs SET model = 'model_edited' WHERE id = 'run_8'");
        await tx.query("DELETE FROM query_runs WHERE id IN ('run_9', 'run_10')");
        await tx.query(
          `INSERT INTO query_runs (id, thread_id, assistant_id, model, status, created_at, activity_at, k_status, k_id,
             k_assistant, k_model, k_tokens, k_outcome, k_metadata, search_text, body)
           SELECT 'run_new', thread_id, assistant_id, model, status, created_at, activity_at, k_status, 'run_new',
             k_assistant, k_model, k_tokens, k_outcome, k_metadata, 'a new run', body FROM query_runs WHERE id = 'run_11'`,
        );
        await tx.query(
          "UPDATE query_runs SET k_tokens = k_tokens + 1, created_at = created_at - 1 WHERE id = 'run_12'",
        );
        // A sort key of text changed without the search text (kept by migration 9).
        await tx.query(
          "UPDATE query_runs SET k_outcome = 'an edited outcome', k_metadata = 'edited: yes' WHERE id = 'run_13'",
        );
        const edited = (await kept(tx)).rows[0]!;
        expect(edited.search).toContain('edited words');
        expect(edited.search).toContain('a new run');
        expect(edited.search).toBe(edited.runs);
        // Each text once, and none left that no run has.
        expect(edited.unused).toBe(0);
        expect(edited.texts).toBeLessThan(400);
        await tx.query('TRUNCATE query_runs CASCADE');
        expect((await tx.query('SELECT ord FROM query_run_search')).rows).toEqual([]);
        expect((await tx.query('SELECT id FROM query_run_texts')).rows).toEqual([]);
        throw rolledBack;
      })
      .catch((error: unknown) => {
        if (error !== rolledBack) throw error;
        return kept(database.client);
      });
    expect(after.rows[0]!.search).toBe(after.rows[0]!.runs);
  });

  it('matches something with most filters (a test of equal empty answers would prove nothing)', async () => {
    for (const [name, filter] of Object.entries(FILTERS)) {
      if (name === 'nothing matches') continue;
      expect((await postgres.counts(filter)).total, name).toBeGreaterThan(0);
    }
  });
});

const firstPage = (filter: RunFilter): RunPageRequest => ({
  filter,
  sort: { field: 'created', desc: true },
  limit: 1,
  after: null,
  nowMs: NOW_MS,
});
