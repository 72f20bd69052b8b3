import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { RUN_STATUSES, type ErrorResponse, type Run, type RunStatus } from '../../shared/openai-types';
import { comparableSortValue, compareComparable, RUN_SORT_KEYS } from '../../shared/run-sort-keys';
import { matchesSearch, searchWords } from '../../shared/run-text';
import {
  RUN_SORT_FIELDS,
  type RunCounts,
  type RunSortField,
  type RunsPage,
  type ThreadSummariesPage,
} from '../../shared/runs-query-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { manualSource, queryApp } from './test-support/query-app';
import type { SqliteRunQueryService } from './run-query-service';

const NOW_MS = 1_000_000_000;
const THREADS = ['thread_a1', 'thread_a2', 'thread_b10', 'thread_b9', 'thread_c'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'GPT-4.1'];

/** A small deterministic generator, so the data set is varied yet the same each run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function variedRuns(count: number, seed = 7): Run[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const status = pick(RUN_STATUSES);
    const createdAt = 999_000 + Math.floor(next() * 40) * 5; // many ties
    const ended = !['queued', 'in_progress', 'requires_action', 'cancelling'].includes(status);
    const endedAt = createdAt + Math.floor(next() * 30);
    const metadata: Record<string, string> = {};
    if (next() < 0.5) metadata.team = pick(['red', 'blue', 'Blue', 'green 2', 'green 10']);
    if (next() < 0.3) metadata.ticket = `T-${Math.floor(next() * 100)}`;
    const tokens = next() < 0.2 ? null : Math.floor(next() * 20) * 10;
    return makeRun({
      id: `run_${index}x${Math.floor(next() * 1e6)}`,
      thread_id: pick(THREADS),
      assistant_id: `asst_${1 + Math.floor(next() * 12)}`,
      model: pick(MODELS),
      status,
      created_at: createdAt,
      started_at: status === 'queued' ? null : createdAt + 1,
      completed_at: status === 'completed' ? endedAt : null,
      failed_at: status === 'failed' ? endedAt : null,
      cancelled_at: status === 'cancelled' ? endedAt : null,
      expires_at: status === 'expired' ? endedAt : createdAt + 600,
      last_error:
        status === 'failed'
          ? pick([
              { code: 'server_error' as const, message: 'Sorry, something went wrong.' },
              { code: 'rate_limit_exceeded' as const, message: 'You exceeded your current quota.' },
            ])
          : null,
      incomplete_details:
        status === 'incomplete'
          ? { reason: pick(['max_completion_tokens', 'max_prompt_tokens'] as const) }
          : null,
      usage:
        tokens === null || (!ended && next() < 0.5)
          ? null
          : { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
      metadata,
    });
  });
}

interface ReferenceFilter {
  threadId?: string;
  statuses?: RunStatus[];
  assistantId?: string;
  model?: string;
  createdAfter?: number;
  createdBefore?: number;
  metadataKey?: string;
  metadataValue?: string;
  q?: string;
}

/** What the API must answer, computed from the runs with the shared definitions; ties keep insertion order. */
function reference(
  runs: Run[],
  filter: ReferenceFilter,
  sort: { field: RunSortField; desc: boolean } = { field: 'created', desc: true },
): string[] {
  const words = searchWords(filter.q ?? '');
  const kept = runs
    .map((run, ord) => ({ run, ord }))
    .filter(({ run }) => {
      if (filter.threadId && run.thread_id !== filter.threadId) return false;
      if (filter.statuses && !filter.statuses.includes(run.status)) return false;
      if (filter.assistantId && run.assistant_id !== filter.assistantId) return false;
      if (filter.model && run.model !== filter.model) return false;
      if (filter.createdAfter !== undefined && run.created_at < filter.createdAfter) return false;
      if (filter.createdBefore !== undefined && run.created_at > filter.createdBefore) return false;
      if (filter.metadataKey !== undefined) {
        if (!(filter.metadataKey in run.metadata)) return false;
        if (filter.metadataValue !== undefined && run.metadata[filter.metadataKey] !== filter.metadataValue)
          return false;
      }
      return matchesSearch(run, words);
    });
  const keyed = kept.map((entry) => ({
    ...entry,
    key: comparableSortValue(RUN_SORT_KEYS[sort.field](entry.run, NOW_MS)),
  }));
  keyed.sort((a, b) => {
    const order = compareComparable(a.key, b.key) || a.ord - b.ord;
    return sort.desc ? -order : order;
  });
  return keyed.map((entry) => entry.run.id);
}

let app: Hono;
let service: SqliteRunQueryService;
let runs: Run[];

async function getJson<T>(path: string): Promise<T> {
  const response = await app.request(path);
  if (response.status !== 200)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every page of a query, following next_cursor. */
async function allPages(query: string, limit: number, between?: (page: number) => void): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const separator = query ? '&' : '';
    const result: RunsPage = await getJson<RunsPage>(
      `/api/runs?${query}${separator}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    ids.push(...result.data.map((run) => run.id));
    expect(result.has_more).toBe(result.next_cursor !== null);
    if (!result.next_cursor) return ids;
    after = result.next_cursor;
    between?.(page);
  }
  throw new Error('paging did not end');
}

beforeEach(() => {
  ({ app, service } = queryApp(() => manualSource(() => NOW_MS)));
  runs = variedRuns(240);
  service.index.transaction(() => runs.forEach((run) => service.index.upsertRun(run)));
});
afterEach(() => service.close());

describe('GET /api/runs sorts', () => {
  it.each(
    RUN_SORT_FIELDS.flatMap((field) => [
      [field, false],
      [field, true],
    ]) as Array<[RunSortField, boolean]>,
  )('by %s (desc: %s) exactly as the shared sort keys order them, page after page', async (field, desc) => {
    const expected = reference(runs, {}, { field, desc });
    expect(await allPages(`sort=${field}.${desc ? 'desc' : 'asc'}`, 17)).toEqual(expected);
  });

  it('sorts runs of several statuses across threads (one scan per status, merged)', async () => {
    for (const sort of ['tokens.asc', 'duration.desc', 'outcome.desc'] as const) {
      const [field, direction] = sort.split('.') as [RunSortField, string];
      const expected = reference(
        runs,
        { statuses: ['failed', 'queued', 'completed'] },
        { field, desc: direction === 'desc' },
      );
      expect(await allPages(`status=failed,queued,completed&sort=${sort}`, 11)).toEqual(expected);
    }
  });

  it('sorts within one thread too', async () => {
    const expected = reference(runs, { threadId: 'thread_b9' }, { field: 'tokens', desc: true });
    expect(await allPages('thread_id=thread_b9&sort=tokens.desc', 7)).toEqual(expected);
  });

  it('answers the total matching the filter and the runs whole, as their wire JSON', async () => {
    const page = await getJson<RunsPage>('/api/runs?limit=5');
    expect(page.object).toBe('list');
    expect(page.total).toBe(240);
    expect(page.data).toHaveLength(5);
    // The wire JSON with Runboard's preview (no messages known here: nothing to preview).
    expect(page.data[0]).toEqual({
      ...runs.find((run) => run.id === page.data[0]!.id),
      preview: { input: null, output: null },
    });
    expect(page.coverage.complete).toBe(true);
    expect(typeof page.feed_seq).toBe('number');
  });
});

describe('GET /api/runs filters', () => {
  const cases: Array<[string, string, ReferenceFilter]> = [
    ['one thread', 'thread_id=thread_a2', { threadId: 'thread_a2' }],
    ['several statuses, repeated', 'status=failed&status=queued', { statuses: ['failed', 'queued'] }],
    [
      'several statuses, comma-separated',
      'status=requires_action,expired',
      { statuses: ['requires_action', 'expired'] },
    ],
    ['assistant', 'assistant_id=asst_10', { assistantId: 'asst_10' }],
    ['model', 'model=gpt-4o-mini', { model: 'gpt-4o-mini' }],
    [
      'created range (inclusive)',
      'created_after=999050&created_before=999100',
      { createdAfter: 999_050, createdBefore: 999_100 },
    ],
    ['metadata key', 'metadata_key=ticket', { metadataKey: 'ticket' }],
    [
      'metadata key and value',
      'metadata_key=team&metadata_value=Blue',
      { metadataKey: 'team', metadataValue: 'Blue' },
    ],
    ['text in last_error', 'q=quota', { q: 'quota' }],
    ['text, every word, ignoring case', 'q=SERVER%20sorry', { q: 'server sorry' }],
    ['text of 2 characters', 'q=t-', { q: 't-' }],
    ['text in metadata', 'q=green%2010', { q: 'green 10' }],
    ['the start of a run id, in any case', 'q=Run_1', { q: 'Run_1' }],
    ['the start of a run id pasted alone', 'q=run_1', { q: 'run_1' }],
    ['incomplete reason', 'q=max_prompt', { q: 'max_prompt' }],
    ['a thread id pasted whole', 'q=thread_b10', { q: 'thread_b10' }],
    ['the start of a thread id pasted alone', 'q=thread_b', { q: 'thread_b' }],
    ['an assistant id pasted whole', 'q=asst_1', { q: 'asst_1' }],
    [
      'filters combined',
      'thread_id=thread_c&status=completed,failed&model=gpt-4o&q=o',
      { threadId: 'thread_c', statuses: ['completed', 'failed'], model: 'gpt-4o', q: 'o' },
    ],
  ];

  it.each(cases)('by %s', async (_label, query, filter) => {
    const expected = reference(runs, filter);
    expect(expected.length).toBeGreaterThan(0);
    expect(await allPages(query, 9)).toEqual(expected);
    const first = await getJson<RunsPage>(`/api/runs?${query}&limit=3`);
    expect(first.total).toBe(expected.length);
  });

  it('finds a run by its whole id or its start pasted alone, in any case; not by a piece of its middle', async () => {
    const oldest = reference(runs, {}, { field: 'created', desc: false })[0]!;
    const page = await getJson<RunsPage>(`/api/runs?q=${oldest}&sort=tokens.asc&limit=1`);
    expect(page.data.map((run) => run.id)).toEqual([oldest]);
    expect(page.total).toBe(1);
    expect((await getJson<RunsPage>('/api/runs?q=run_nothere')).total).toBe(0);

    const pasted = makeRun({
      id: 'run_Qz7KpW2mXa9BcD4eF6gH8jL0',
      thread_id: 'thread_c',
      created_at: 999_999,
    });
    service.index.upsertRun(pasted);
    const found = async (q: string) =>
      (await getJson<RunsPage>(`/api/runs?q=${encodeURIComponent(q)}`)).data.map((run) => run.id);
    for (const start of ['run_qz7k', 'run_Qz7KpW', 'RUN_QZ7KPW2MXA9', pasted.id, pasted.id.toLowerCase()]) {
      expect(await found(start), start).toEqual([pasted.id]);
      expect((await getJson<RunCounts>(`/api/runs/counts?q=${start}`)).total, start).toBe(1);
    }
    // The middle or the end of an id names nothing (documented in the search field's help).
    expect(await found('Qz7KpW')).toEqual([]);
    expect(await found('BcD4eF6gH8jL0')).toEqual([]);
  });

  it('answers an empty page (not an error) when nothing matches', async () => {
    const page = await getJson<RunsPage>('/api/runs?q=zzzzqqq');
    expect(page).toMatchObject({ data: [], total: 0, has_more: false, next_cursor: null });
  });
});

describe('GET /api/runs/counts', () => {
  it('counts a word held by models, assistants, threads or run ids as the runs themselves do', async () => {
    // One word beside models (4o), thread ids (a1), run ids' starts (run_1), and every kind of place at once (1, 4;
    // of 1 character).
    for (const q of ['4o', 'a1', '1', '4', 'mini', 'Run_1', 'run_2 x']) {
      const counts = await getJson<RunCounts>(`/api/runs/counts?q=${encodeURIComponent(q)}`);
      const matching = reference(runs, { q });
      expect(matching.length, q).toBeGreaterThan(0);
      for (const status of RUN_STATUSES) {
        const expected = runs.filter((run) => matching.includes(run.id) && run.status === status).length;
        expect(counts.by_status[status], `${status} for '${q}'`).toBe(expected);
      }
      expect(
        (
          await getJson<RunsPage>(`/api/runs?q=${encodeURIComponent(q)}&status=failed,completed&limit=500`)
        ).data.map((run) => run.id),
      ).toEqual(reference(runs, { q, statuses: ['failed', 'completed'] }));
    }
  });

  it('counts every status for the filter, ignoring the status parameter', async () => {
    for (const query of ['', 'thread_id=thread_a1', 'q=sorry', 'model=GPT-4.1&status=failed']) {
      const counts = await getJson<RunCounts>(`/api/runs/counts?${query}`);
      const filter: ReferenceFilter = {
        threadId: query.includes('thread_a1') ? 'thread_a1' : undefined,
        q: query.includes('sorry') ? 'sorry' : undefined,
        model: query.includes('GPT') ? 'GPT-4.1' : undefined,
      };
      const matching = reference(runs, filter);
      for (const status of RUN_STATUSES) {
        const expected = runs.filter((run) => matching.includes(run.id) && run.status === status).length;
        expect(counts.by_status[status], `${status} for '${query}'`).toBe(expected);
      }
      expect(counts.total).toBe(matching.length);
      expect(counts.coverage.complete).toBe(true);
    }
  });

  it('follows a change at once', async () => {
    const before = await getJson<RunCounts>('/api/runs/counts');
    const queued = runs.find((run) => run.status === 'queued')!;
    service.index.upsertRun({ ...queued, status: 'cancelled', cancelled_at: 999_999 });
    const after = await getJson<RunCounts>('/api/runs/counts');
    expect(after.by_status.queued).toBe(before.by_status.queued - 1);
    expect(after.by_status.cancelled).toBe(before.by_status.cancelled + 1);
    expect(after.total).toBe(before.total);

    service.index.deleteRun(queued.id);
    const inThread = runs.filter((run) => run.thread_id === 'thread_c' && run.id !== queued.id).length;
    expect((await getJson<RunCounts>('/api/runs/counts')).total).toBe(before.total - 1);
    expect((await getJson<RunsPage>('/api/runs?thread_id=thread_c&limit=1')).total).toBe(
      queued.thread_id === 'thread_c' ? inThread : runs.filter((run) => run.thread_id === 'thread_c').length,
    );
    service.index.deleteThread('thread_c');
    expect((await getJson<RunCounts>('/api/runs/counts?thread_id=thread_c')).total).toBe(0);
    // The run made cancelled above was deleted since.
    expect((await getJson<RunsPage>('/api/runs?status=cancelled&limit=1')).total).toBe(
      runs.filter((run) => run.thread_id !== 'thread_c' && run.status === 'cancelled').length,
    );
  });
});

describe('paging while runs arrive and change', () => {
  it.each(['created.desc', 'tokens.asc', 'duration.desc', 'id.asc'])(
    'sorted by %s, neither skips nor repeats a run that was there all along',
    async (sort) => {
      const original = new Set(runs.map((run) => run.id));
      const extra = variedRuns(200, 99).map((run, index) => ({ ...run, id: `run_new${index}` }));
      let inserted = 0;
      const seen = await allPages(`sort=${sort}`, 13, () => {
        // Between every page, 10 runs arrive, anywhere in the order.
        for (const run of extra.slice(inserted, inserted + 10)) service.index.upsertRun(run);
        inserted += 10;
      });
      expect(new Set(seen).size).toBe(seen.length);
      const seenOriginal = seen.filter((id) => original.has(id));
      expect(seenOriginal.length).toBe(original.size);
    },
  );
});

describe('GET /api/threads', () => {
  it('lists threads by last activity with their run counts, searchable, paged', async () => {
    for (const id of THREADS) {
      service.index.upsertThread({
        id,
        object: 'thread',
        created_at: 1,
        tool_resources: null,
        metadata: { owner: id.slice(-2) },
      });
    }
    const page = await getJson<ThreadSummariesPage>('/api/threads?limit=2');
    expect(page.total).toBe(THREADS.length);
    expect(page.data).toHaveLength(2);
    const all = [
      ...page.data,
      ...(await getJson<ThreadSummariesPage>(`/api/threads?limit=10&after=${page.next_cursor}`)).data,
    ];
    expect(all.map((summary) => summary.thread.id).sort()).toEqual([...THREADS].sort());
    const activity = all.map((summary) => summary.last_activity_at);
    expect(activity).toEqual([...activity].sort((a, b) => b - a));
    for (const summary of all) {
      const own = runs.filter((run) => run.thread_id === summary.thread.id);
      expect(summary.run_count).toBe(own.length);
      expect(summary.waiting_run_count).toBe(own.filter((run) => run.status === 'requires_action').length);
      expect(summary.active_run_count).toBe(
        own.filter((run) => ['queued', 'in_progress', 'requires_action', 'cancelling'].includes(run.status))
          .length,
      );
    }
    const searched = await getJson<ThreadSummariesPage>('/api/threads?q=b10');
    expect(searched.data.map((summary) => summary.thread.id)).toEqual(['thread_b10']);
    const exact = await getJson<ThreadSummariesPage>('/api/threads?q=thread_a1');
    expect(exact.data.map((summary) => summary.thread.id)).toEqual(['thread_a1']);
  });
});

describe('bad parameters', () => {
  it.each([
    ['/api/runs?status=done', 'status', "'done' is not a run status"],
    ['/api/runs?sort=tokens', 'sort', 'expected <column>.asc or <column>.desc'],
    ['/api/runs?sort=price.desc', 'sort', 'expected <column>.asc'],
    ['/api/runs?limit=0', 'limit', 'from 1 to 500'],
    ['/api/runs?limit=501', 'limit', 'from 1 to 500'],
    ['/api/runs?limit=ten', 'limit', 'from 1 to 500'],
    ['/api/runs?created_after=yesterday', 'created_after', 'integer'],
    ['/api/runs?created_after=20&created_before=10', 'created_after', 'later than created_before'],
    ['/api/runs?metadata_value=x', 'metadata_value', 'needs metadata_key'],
    ['/api/runs?thread_id=../etc', 'thread_id', 'letters, digits'],
    ['/api/runs?after=garbage', 'after', 'not a cursor'],
    ['/api/runs?model=', 'model', 'empty'],
    ['/api/runs?limit=1&limit=2', 'limit', 'more than once'],
    ['/api/runs?colour=red', 'colour', 'unknown parameter'],
    ['/api/runs/counts?status=nope', 'status', 'not a run status'],
    ['/api/threads?limit=9999', 'limit', 'from 1 to 500'],
    ['/api/threads?status=failed', 'status', 'unknown parameter'],
  ])('%s → 400 naming %s', async (path, param, why) => {
    const response = await app.request(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error.param).toBe(param);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain(`Invalid '${param}'`);
    expect(body.error.message).toContain(why);
  });

  it('refuses a cursor taken under another sort', async () => {
    const page = await getJson<RunsPage>('/api/runs?sort=tokens.desc&limit=2');
    const response = await app.request(`/api/runs?sort=created.desc&after=${page.next_cursor}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorResponse).error.message).toContain(
      'continues the sort tokens.desc',
    );
  });
});
