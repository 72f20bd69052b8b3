import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { RUN_STATUSES, type ErrorResponse, type Run } from '../../shared/openai-types';
import type { RunsPage, RunsTimeseries } from '../../shared/runs-query-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { manualSource, queryApp } from './test-support/query-app';
import type { SqliteRunQueryService } from './run-query-service';

const NOW_S = 1_780_000_000;
const DAY = 86_400;
const THREADS = ['thread_t1', 'thread_t2', 'thread_t3'];

let app: Hono;
let service: SqliteRunQueryService;

/** Runs spread over the last 40 days, of every status, some with usage: the same each time (a fixed generator). */
function spreadRuns(count: number): Run[] {
  let state = 11;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, (_, index) => {
    const status = RUN_STATUSES[Math.floor(next() * RUN_STATUSES.length)]!;
    const tokens = next() < 0.3 ? null : Math.floor(next() * 500);
    return makeRun({
      id: `run_ts${index}`,
      thread_id: THREADS[index % THREADS.length]!,
      status,
      model: index % 2 ? 'gpt-4o' : 'gpt-4o-mini',
      created_at: NOW_S - Math.floor(next() * 40 * DAY),
      usage:
        tokens === null ? null : { prompt_tokens: tokens, completion_tokens: 7, total_tokens: tokens + 7 },
      metadata: index % 5 === 0 ? { team: 'red' } : {},
    });
  });
}

async function get<T>(path: string): Promise<T> {
  const response = await app.request(path);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** The truth: every run of the filter, read page by page from GET /api/runs. */
async function allRuns(filter: string): Promise<Run[]> {
  const runs: Run[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result: RunsPage = await get(
      `/api/runs?limit=500${filter}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    runs.push(...result.data);
    if (!result.next_cursor) return runs;
    after = result.next_cursor;
  }
  throw new Error('paging did not end');
}

/** What the series must say, counted from the runs the list API answers. */
function expected(runs: Run[], series: RunsTimeseries) {
  const buckets = series.buckets.map((bucket) => ({
    start: bucket.start,
    by_status: Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])),
    total: 0,
    tokens: 0,
    with_usage: 0,
  }));
  for (const run of runs) {
    if (run.created_at < series.start || run.created_at > series.end) continue;
    const bucket = buckets[Math.floor((run.created_at - series.start) / series.interval)]!;
    bucket.by_status[run.status]! += 1;
    bucket.total += 1;
    if (run.usage) {
      bucket.tokens += run.usage.total_tokens;
      bucket.with_usage += 1;
    }
  }
  return buckets;
}

function answered(series: RunsTimeseries) {
  return series.buckets.map((bucket) => ({
    start: bucket.start,
    by_status: bucket.by_status,
    total: bucket.total,
    tokens: bucket.usage.total_tokens,
    with_usage: bucket.usage.runs_with_usage,
  }));
}

beforeEach(() => {
  ({ app, service } = queryApp(() => manualSource(() => NOW_S * 1000)));
  const runs = spreadRuns(1_500);
  service.index.transaction(() => runs.forEach((run) => service.index.upsertRun(run)));
});
afterEach(() => service.close());

describe('GET /api/runs/timeseries', () => {
  it.each([
    ['every thread, all time', ''],
    ['one thread', '&thread_id=thread_t2'],
    ['a status filter', '&status=failed,expired'],
    ['a metadata filter and a search', '&metadata_key=team&metadata_value=red&q=gpt-4o-mini'],
  ])('counts %s per interval as the list API pages them', async (_name, filter) => {
    const truth = await allRuns(filter);
    const series = await get<RunsTimeseries>(`/api/runs/timeseries?${filter.slice(1)}`);
    expect(series.total).toBe(truth.length);
    expect(series.buckets.length).toBeLessThanOrEqual(60);
    expect(answered(series)).toEqual(expected(truth, series));
    expect(series.coverage.complete).toBe(true);
  });

  it('covers a chosen range in an interval chosen to fit, starting on a whole interval', async () => {
    const start = NOW_S - 7 * DAY;
    const series = await get<RunsTimeseries>(`/api/runs/timeseries?start=${start}`);
    expect(series.interval).toBe(21_600);
    expect(series.start % series.interval).toBe(0);
    expect(series.start).toBeLessThanOrEqual(start);
    expect(series.end).toBe(NOW_S);
    expect(series.buckets.at(-1)!.start).toBeLessThanOrEqual(NOW_S);
    expect(series.buckets.length).toBe(Math.floor((NOW_S - series.start) / series.interval) + 1);
    const truth = await allRuns(`&created_after=${series.start}`);
    expect(series.total).toBe(truth.length);
    expect(answered(series)).toEqual(expected(truth, series));
  });

  it('takes an interval and an end, and answers empty buckets for a range without runs', async () => {
    const series = await get<RunsTimeseries>(
      `/api/runs/timeseries?start=${NOW_S + 3_600}&end=${NOW_S + 7_200}&interval=900`,
    );
    expect(series.interval).toBe(900);
    expect(series.total).toBe(0);
    expect(series.buckets.every((bucket) => bucket.total === 0)).toBe(true);
  });

  it('answers one empty bucket where nothing matches at all', async () => {
    const series = await get<RunsTimeseries>('/api/runs/timeseries?thread_id=thread_none');
    expect(series.total).toBe(0);
    expect(series.buckets).toHaveLength(1);
  });

  it.each([
    ['interval=61', 'interval', 'expected one of 60, 300'],
    [`start=${NOW_S - 30 * DAY}&interval=60`, 'interval', 'at most 1000'],
    [`start=${NOW_S}&end=${NOW_S - 1}`, 'start', 'later than end'],
    ['sort=created.desc', 'sort', 'unknown parameter'],
    ['status=done', 'status', 'not a run status'],
  ])('refuses %s', async (query, param, wording) => {
    const response = await app.request(`/api/runs/timeseries?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error.param).toBe(param);
    expect(body.error.message).toContain(wording);
  });
});
