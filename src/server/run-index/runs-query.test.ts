import { describe, expect, it } from 'vitest';
import type { Run, RunStatus } from '../../shared/openai-types';
import { RUN_SORT_FIELDS } from '../../shared/runs-query-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { decodeRunCursor } from '../../assistants-server/store/run-cursor';
import { RunIndex } from './run-index';
import { openIndexDatabase, type IndexDb } from './run-index-schema';
import { RunsQueryEngine, type RunFilter, type RunPageResult } from './runs-query';
import { TextSearch } from './text-search';

function engineOver(runs: Run[], names: Record<string, string> = {}) {
  const index = new RunIndex(openIndexDatabase(':memory:'));
  index.transaction(() => runs.forEach((run) => index.upsertRun(run)));
  const statements: string[] = [];
  const prepare = index.db.prepare.bind(index.db);
  index.db.prepare = ((sql: string) => {
    statements.push(sql);
    return prepare(sql);
  }) as typeof index.db.prepare;
  const engine = new RunsQueryEngine(
    index.db,
    (threadId) => index.runCount(threadId),
    () => new Map(Object.entries(names)),
  );
  const ids = (filter: RunFilter) =>
    engine
      .page({ filter, sort: { field: 'created', desc: false }, limit: 100, after: null, nowMs: 0 })
      .bodies.map((body) => (JSON.parse(body) as Run).id);
  return { engine, ids, statements };
}

const failed = (id: string, message: string, assistantId = 'asst_a') =>
  makeRun({
    id,
    assistant_id: assistantId,
    status: 'failed',
    last_error: { code: 'rate_limit_exceeded', message },
  });

describe('text search', () => {
  const words = Array.from({ length: 40 }, (_, index) => `word${index}`);
  const runs = [
    failed('run_all', words.join(' ')),
    failed('run_most', words.slice(1).join(' ')),
    // Every trigram of "quota" without the word: the trigram index alone would take it.
    failed('run_trigrams', 'quo uot ota'),
    failed('run_quota', 'you exceeded your quota'),
    failed('run_named', 'quota', 'asst_support'),
  ];

  it('asks the trigram index once, whatever the number of words, and confirms each word', () => {
    const { ids, statements } = engineOver(runs);
    expect(ids({ q: words.join(' ') })).toEqual(['run_all']);
    const matches = statements.flatMap((sql) => sql.match(/MATCH/g) ?? []);
    // One page query and its count: one full-text query each.
    expect(matches).toHaveLength(2);
    expect(ids({ q: 'quota' })).toEqual(['run_quota', 'run_named']);
  });

  it("finds a word in the run's assistant's name beside the words of its text", () => {
    const { ids } = engineOver(runs, { asst_support: 'Support Copilot' });
    expect(ids({ q: 'copilot quota' })).toEqual(['run_named']);
    expect(ids({ q: 'rate_limit co' })).toEqual(['run_named']);
  });

  it("finds a run by its id's start in any case, never by a piece of its middle, and indexes no id's text", () => {
    const mixedCase = [makeRun({ id: 'run_AbCdEfGhXy1' }), makeRun({ id: 'run_abcdefghxy2' }), ...runs];
    const { engine, ids } = engineOver(mixedCase);
    // Past the spellings looked up (6 letters), the rest of the word is confirmed on each id.
    expect(ids({ q: 'RUN_ABCDEFGHXY' })).toEqual(['run_AbCdEfGhXy1', 'run_abcdefghxy2']);
    expect(ids({ q: 'Run_abcdefghxy1' })).toEqual(['run_AbCdEfGhXy1']);
    expect(ids({ q: 'cdefgh' })).toEqual([]);
    expect(ids({ q: 'run_qu quota' })).toEqual(['run_quota']);
    expect(ids({ q: 'run_al quota' })).toEqual([]);
    // A start of every run's id filters nothing.
    expect(engine.counts({ q: 'run' }).total).toBe(mixedCase.length);
    const db = (engine as unknown as { db: IndexDb }).db;
    const terms = db.prepare('SELECT term FROM query_run_text_terms').pluck().all();
    expect(terms).not.toContain('run');
    expect(terms).not.toContain('cde');
  });

  it('indexes a text many runs share once, and keeps it while one of them holds it', () => {
    const index = new RunIndex(openIndexDatabase(':memory:'));
    const engine = new RunsQueryEngine(index.db, (threadId) => index.runCount(threadId));
    const distinct = () => index.db.prepare('SELECT COUNT(*) FROM query_run_text_distinct').pluck().get();
    index.upsertRun(failed('run_1', 'you exceeded your quota'));
    index.insertBulk([failed('run_2', 'you exceeded your quota'), failed('run_3', 'something else')]);
    expect(distinct()).toBe(2);
    expect(engine.counts({ q: 'exceeded quota' }).byStatus).toMatchObject({ failed: 2 });
    // A status change moves the run within its text's runs.
    index.upsertRun({ ...failed('run_2', 'you exceeded your quota'), status: 'expired' });
    expect(engine.counts({ q: 'exceeded quota' }).byStatus).toMatchObject({ failed: 1, expired: 1 });
    index.deleteRun('run_1');
    expect(engine.counts({ q: 'quota' }).total).toBe(1);
    index.deleteRun('run_2');
    expect(engine.counts({ q: 'quota' }).total).toBe(0);
    expect(distinct()).toBe(1);
    const terms = index.db.prepare('SELECT term FROM query_run_text_terms').pluck().all();
    expect(terms).not.toContain('quo');
  });

  it('counts a text word beside a word of a few thread ids from the indexes, and drops a word of every thread id', () => {
    const inThread = (id: string, threadId: string, message: string) => ({
      ...failed(id, message),
      thread_id: threadId,
    });
    const { engine, ids, statements } = engineOver([
      inThread('run_1', 'thread_alpha', 'you exceeded your quota'),
      inThread('run_2', 'thread_beta', 'you exceeded your quota'),
      inThread('run_3', 'thread_alpha', 'something else'),
    ]);
    expect(engine.counts({ q: 'quota alpha' }).byStatus).toMatchObject({ failed: 1 });
    expect(ids({ q: 'quota alpha' })).toEqual(['run_1']);
    // Counted from the text's runs, not from the runs' rows.
    const count = statements.find((sql) => sql.includes('COUNT(*)') && sql.includes('thread_id IN'));
    expect(count).toMatch(/^SELECT k_status AS rank, COUNT\(\*\) AS n FROM query_run_text_runs/);
    // Every thread's id holds `read` (thread_): so does every run.
    expect(engine.counts({ q: 'read quota' }).total).toBe(2);
    expect(ids({ q: 'hread' })).toEqual(['run_1', 'run_2', 'run_3']);
    expect(TextSearch.filtersNothing(engine.textSearch.plan('hread'))).toBe(true);
  });

  it('reads a word of a few thread ids and of texts as two sources in order, and pages them to the end in every sort', () => {
    const statuses: RunStatus[] = ['completed', 'failed', 'cancelled', 'in_progress', 'expired'];
    const many = Array.from({ length: 60 }, (_, at) => {
      const status = statuses[at % statuses.length]!;
      const ended = status !== 'in_progress';
      return makeRun({
        id: `run_${String(at).padStart(3, '0')}`,
        // 'quo' is in two thread ids, and in the text of a run in three of every four.
        thread_id: at % 7 === 0 ? `thread_quo${at % 2}` : `thread_${at % 5}`,
        created_at: 1_000 + (at % 9),
        model: at % 3 === 0 ? 'gpt-4o-mini' : 'gpt-4o',
        status,
        started_at: 1_000,
        ...(ended ? { completed_at: 1_000 + (at % 4) } : {}),
        last_error:
          at % 4 === 0
            ? null
            : { code: 'rate_limit_exceeded', message: `quota ${['low', 'mid', 'high'][at % 3]}` },
        usage: ended ? { prompt_tokens: at % 6, completion_tokens: 1, total_tokens: (at % 6) + 1 } : null,
      });
    });
    const { engine, statements } = engineOver(many);
    const plan = engine.textSearch.plan('quo');
    expect(engine.textSearch.splitFew(plan, 20_000)).not.toBeNull();
    // The engine as it was: the word's threads OR'ed with its text matches, in one read.
    const asOne = new RunsQueryEngine((engine as unknown as { db: IndexDb }).db, () => many.length);
    asOne.textSearch.splitFew = () => null;
    const everyPage = (
      on: RunsQueryEngine,
      filter: RunFilter,
      field: (typeof RUN_SORT_FIELDS)[number],
      desc: boolean,
    ) => {
      const pages: RunPageResult[] = [];
      let after: string | null = null;
      do {
        const cursor = after === null ? null : decodeRunCursor(after);
        const page = on.page({
          filter,
          sort: { field, desc },
          limit: 7,
          after: cursor,
          nowMs: 2_000_000,
        });
        pages.push(page);
        after = page.nextCursor;
      } while (after !== null && pages.length < 50);
      return pages;
    };
    const holding = many.filter((run) => run.thread_id.includes('quo') || run.last_error !== null);
    const filters: RunFilter[] = [
      { q: 'quo' },
      { q: 'quo', statuses: ['failed', 'cancelled', 'completed'] },
      // Beside a word only the text holds, and beside a filter counted from the rows.
      { q: 'quo mid' },
      { q: 'quo', createdAfter: 1_004 },
      { q: 'quo', model: 'gpt-4o-mini' },
    ];
    for (const filter of filters) {
      for (const field of RUN_SORT_FIELDS) {
        for (const desc of [false, true]) {
          statements.length = 0;
          const pages = everyPage(engine, filter, field, desc);
          // No read of a page or of its counts ORs the threads with the text on the runs' rows: each source is read
          // apart, in order (the text index's runs may be counted so: `countTextAndFew` reads no row).
          const ored =
            /^(?!SELECT k_status AS rank, COUNT\(\*\) AS n FROM query_run_text_runs)[^]*thread_id IN[^]*\bOR\b[^]*MATCH/;
          expect(
            statements.filter((sql) => ored.test(sql)),
            JSON.stringify(filter),
          ).toEqual([]);
          const label = `${JSON.stringify(filter)} by ${field} ${desc ? 'desc' : 'asc'}`;
          // The threads' runs are read from their index: the text's matches beside them only filter (`+ord`).
          const fewReads = statements.filter((sql) => /thread_id IN[^]*ORDER BY/.test(sql));
          expect(fewReads.length, label).toBeGreaterThan(0);
          const textRuns = /(.?)ord IN \(SELECT ord FROM query_run_text_runs/g;
          const before = fewReads.flatMap((sql) => [...sql.matchAll(textRuns)].map((found) => found[1]));
          // `mid` is a word of the text alone: the threads' runs must hold it too.
          expect(before, label).toEqual(filter.q === 'quo mid' ? before.map(() => '+') : []);
          if (filter.q === 'quo mid') expect(before.length, label).toBeGreaterThan(0);
          // So do the filter's own terms (not a model's or a day's many runs).
          for (const sql of fewReads) expect(sql, label).not.toMatch(/[^+](model|created_at) (=|>=)/);
          expect(pages, label).toEqual(everyPage(asOne, filter, field, desc));
          expect(pages.at(-1)!.total, label).toBeGreaterThan(0);
          if (filter === filters[0]) {
            const ids = pages.flatMap((page) => page.bodies.map((body) => (JSON.parse(body) as Run).id));
            expect(ids.toSorted()).toEqual(holding.map((run) => run.id));
          }
        }
      }
      expect(engine.counts(filter)).toEqual(asOne.counts(filter));
    }
    expect(engine.counts({ q: 'quo' }).total).toBe(holding.length);
  });

  it('counts what it pages', () => {
    const { engine } = engineOver(runs);
    expect(engine.counts({ q: 'quota' }).total).toBe(2);
    expect(engine.counts({ q: 'ota' }).total).toBe(3);
  });
});

describe('kept totals', () => {
  it('count and sum usage as the runs themselves do, through creations, updates, moves and deletions', () => {
    const index = new RunIndex(openIndexDatabase(':memory:'));
    const engine = new RunsQueryEngine(index.db, (threadId) => index.runCount(threadId));
    const usage = (prompt: number, completion: number) => ({
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    });
    index.upsertRun(makeRun({ id: 'run_1', thread_id: 'thread_a', model: 'gpt-4o' }));
    index.upsertRun(makeRun({ id: 'run_2', thread_id: 'thread_a', model: 'gpt-4o-mini' }));
    index.upsertRun(makeRun({ id: 'run_3', thread_id: 'thread_b', model: 'gpt-4o' }));
    index.upsertRun(
      makeRun({
        id: 'run_1',
        thread_id: 'thread_a',
        model: 'gpt-4o',
        status: 'completed',
        usage: usage(10, 5),
      }),
    );
    index.upsertRun(
      makeRun({
        id: 'run_2',
        thread_id: 'thread_b',
        model: 'gpt-4o-mini',
        status: 'failed',
        usage: usage(7, 0),
      }),
    );
    index.deleteRun('run_3');
    index.insertBulk([
      makeRun({
        id: 'run_4',
        thread_id: 'thread_c',
        model: 'gpt-4o',
        status: 'completed',
        usage: usage(1, 2),
      }),
    ]);

    // The same filters answered from the runs' rows (a created_after every run passes).
    const fromRows = (filter: RunFilter) => ({ ...filter, createdAfter: 0 });
    for (const filter of [
      {},
      { threadId: 'thread_b' },
      { model: 'gpt-4o' },
      { statuses: ['completed' as const] },
    ]) {
      expect(engine.usage(filter)).toEqual(engine.usage(fromRows(filter)));
      expect(engine.counts(filter)).toEqual(engine.counts(fromRows(filter)));
    }
    expect(engine.usage({})).toMatchObject({ runs: 3, runs_with_usage: 3, total_tokens: 25 });
    expect(engine.counts({ model: 'gpt-4o' }).total).toBe(2);
  });
});
