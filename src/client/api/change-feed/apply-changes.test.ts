import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../../shared/openai-types';
import type { RunCounts, RunsQuery } from '../../../shared/runs-query-types';
import { makeRun } from '../../../shared/test-support/run-fixture';
import { runKeys } from '../run-keys';
import type { RunSnapshot } from '../run-queries';
import type { RunsWindow } from '../runs-window';
import { applyChanges, applyRunToWindow } from './apply-changes';

const COMPLETE = { complete: true, threads: 1, loading_threads: 0, refreshed_at: null };
const THREAD = 'thread_a';
const run = (id: string, overrides: Partial<Run> = {}) =>
  makeRun({ id, thread_id: THREAD, status: 'completed', ...overrides });
const windowOf = (runs: Run[], overrides: Partial<RunsWindow> = {}): RunsWindow => ({
  runs,
  nextCursor: null,
  hasMore: false,
  total: runs.length,
  coverage: COMPLETE,
  feedSeq: null,
  ...overrides,
});
const ids = (window: RunsWindow | undefined) => window?.runs.map((each) => each.id);

describe('a change applied to a list in place', () => {
  const newest: RunsQuery = { threadId: THREAD };
  const list = windowOf([run('run_b'), run('run_a')]);

  it('replaces a run where it is, and puts a new one on top of a newest-first list', () => {
    const updated = applyRunToWindow(list, run('run_a', { status: 'failed' }), newest, 'run.updated');
    expect(updated.refresh).toBe(false);
    expect(updated.window.runs[1]!.status).toBe('failed');
    const created = applyRunToWindow(list, run('run_c', { status: 'queued' }), newest, 'run.created');
    expect(ids(created.window)).toEqual(['run_c', 'run_b', 'run_a']);
    expect(created.window.total).toBe(3);
  });

  it('takes a run out of a status filter it left, and reads again a list it may have entered', () => {
    const failedOnly: RunsQuery = { threadId: THREAD, statuses: ['failed'] };
    const failed = windowOf([run('run_a', { status: 'failed' })]);
    const left = applyRunToWindow(failed, run('run_a', { status: 'completed' }), failedOnly, 'run.updated');
    expect(ids(left.window)).toEqual([]);
    expect(left.window.total).toBe(0);
    const entered = applyRunToWindow(
      windowOf([]),
      run('run_x', { status: 'failed' }),
      failedOnly,
      'run.updated',
    );
    expect(entered.refresh).toBe(true);
  });

  it('reads again under a sort the change may reorder; decides a text search in place, as the server would', () => {
    const byTokens: RunsQuery = { threadId: THREAD, sort: { field: 'tokens', desc: true } };
    expect(applyRunToWindow(list, run('run_a'), byTokens, 'run.updated').refresh).toBe(true);
    const searched: RunsQuery = { threadId: THREAD, q: 'Invoice  prod' };
    const tagged = run('run_a', { metadata: { topic: 'invoice', env: 'prod' } });
    expect(applyRunToWindow(list, tagged, searched, 'run.updated')).toMatchObject({ refresh: false });
    expect(applyRunToWindow(list, run('run_a'), searched, 'run.updated').window.runs).toHaveLength(1);
    // A word may be in the run's assistant's name, as the server matches it.
    const byName: RunsQuery = { threadId: THREAD, q: 'weather prod' };
    const named = (id: string) => (id === tagged.assistant_id ? 'Weather Helper' : null);
    expect(applyRunToWindow(windowOf([]), tagged, byName, 'run.created', 0, named).window.runs).toHaveLength(
      1,
    );
    expect(applyRunToWindow(windowOf([]), tagged, byName, 'run.created').window.runs).toHaveLength(0);
    // An id pasted whole is that run and no other; its start pasted alone, in any case, finds it too.
    const byId = windowOf([]);
    expect(applyRunToWindow(byId, run('run_zz'), { q: 'run_a' }, 'run.created')).toEqual({
      window: byId,
      refresh: false,
    });
    const byStart = applyRunToWindow(byId, run('run_AbCd12'), { q: 'run_abc' }, 'run.created');
    expect(byStart.window.runs.map((one) => one.id)).toEqual(['run_AbCd12']);
  });

  it('ignores a change the list was read after (its feed_seq), so a late copy cannot put an older run back', () => {
    const read = windowOf([run('run_a', { status: 'cancelled' })], { feedSeq: 12 });
    const late = applyRunToWindow(read, run('run_a', { status: 'cancelling' }), newest, 'run.updated', 11);
    expect(late.window).toBe(read);
    const fresh = applyRunToWindow(read, run('run_a', { status: 'failed' }), newest, 'run.updated', 13);
    expect(fresh.window.runs[0]!.status).toBe('failed');
  });
});

describe('changes applied to the cache', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('updates every list and the panel holding the run, then refetches the counts once for a burst', async () => {
    const client = new QueryClient();
    const threadList = runKeys.list({ threadId: THREAD });
    const acrossThreads = runKeys.list({ statuses: ['in_progress'] });
    const other = runKeys.list({ threadId: 'thread_other' });
    client.setQueryData(threadList, windowOf([run('run_a', { status: 'in_progress' })]));
    client.setQueryData(acrossThreads, windowOf([run('run_a', { status: 'in_progress' })]));
    client.setQueryData(other, windowOf([makeRun({ id: 'run_o', thread_id: 'thread_other' })]));
    client.setQueryData<RunSnapshot>(runKeys.detail(THREAD, 'run_a'), {
      run: run('run_a', { status: 'in_progress' }),
      pollAfterMs: null,
    });
    const counts = vi.fn(async (): Promise<RunCounts> => ({
      by_status: {} as RunCounts['by_status'],
      total: 0,
      coverage: COMPLETE,
    }));
    const stop = new QueryObserver(client, {
      queryKey: runKeys.counts({ threadId: THREAD }),
      queryFn: counts,
    }).subscribe(() => {});
    await vi.advanceTimersByTimeAsync(1);
    counts.mockClear();

    const events = Array.from({ length: 50 }, (_, index) => ({
      type: 'run.updated' as const,
      seq: index + 1,
      run: run('run_a', {
        status: index === 49 ? 'completed' : 'in_progress',
        usage: { prompt_tokens: index, completion_tokens: 0, total_tokens: index },
      }),
    }));
    applyChanges(client, events);

    expect(client.getQueryData<RunsWindow>(threadList)!.runs[0]!.status).toBe('completed');
    expect(ids(client.getQueryData<RunsWindow>(acrossThreads))).toEqual([]);
    expect(ids(client.getQueryData<RunsWindow>(other))).toEqual(['run_o']);
    expect(client.getQueryData<RunSnapshot>(runKeys.detail(THREAD, 'run_a'))!.run.status).toBe('completed');
    await vi.advanceTimersByTimeAsync(100);
    expect(counts).toHaveBeenCalledTimes(1);
    stop();
  });

  it('reads nothing in a hidden tab: what a change calls for is marked stale, to be read when the tab shows', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    try {
      const client = new QueryClient();
      client.setQueryData(
        runKeys.list({ threadId: THREAD }),
        windowOf([run('run_a', { status: 'in_progress' })]),
      );
      const counts = vi.fn(async () => ({ by_status: {}, total: 0, coverage: COMPLETE }));
      const stop = new QueryObserver(client, {
        queryKey: runKeys.counts({ threadId: THREAD }),
        queryFn: counts,
      }).subscribe(() => {});
      await vi.advanceTimersByTimeAsync(1);
      counts.mockClear();

      applyChanges(client, [{ type: 'run.updated', seq: 1, run: run('run_a') }]);
      await vi.advanceTimersByTimeAsync(100);
      expect(client.getQueryData<RunsWindow>(runKeys.list({ threadId: THREAD }))!.runs[0]!.status).toBe(
        'completed',
      );
      expect(counts).not.toHaveBeenCalled();
      expect(client.getQueryState(runKeys.counts({ threadId: THREAD }))!.isInvalidated).toBe(true);
      stop();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('marks every run query stale on a reset', async () => {
    const client = new QueryClient();
    client.setQueryData(runKeys.list({ threadId: THREAD }), windowOf([run('run_a')]));
    applyChanges(client, [{ type: 'reset', seq: 9, reason: 'seed', thread_ids: null }]);
    await vi.advanceTimersByTimeAsync(100);
    expect(client.getQueryState(runKeys.list({ threadId: THREAD }))!.isInvalidated).toBe(true);
  });

  it('reads a run again when it changed while its first read was in flight (the answer may predate the change)', async () => {
    const client = new QueryClient();
    let answerFirst: (snapshot: RunSnapshot) => void = () => {};
    const read = vi
      .fn<() => Promise<RunSnapshot>>()
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValue({ run: run('run_a', { status: 'requires_action' }), pollAfterMs: null });
    const key = runKeys.detail(THREAD, 'run_a');
    const stop = new QueryObserver(client, { queryKey: key, queryFn: read }).subscribe(() => {});
    await vi.advanceTimersByTimeAsync(1);

    applyChanges(client, [{ type: 'run.updated', seq: 1, run: run('run_a', { status: 'requires_action' }) }]);
    answerFirst({ run: run('run_a', { status: 'in_progress' }), pollAfterMs: null });
    await vi.advanceTimersByTimeAsync(100);
    expect(read).toHaveBeenCalledTimes(2);
    expect(client.getQueryData<RunSnapshot>(key)!.run.status).toBe('requires_action');
    stop();
  });
});

describe('a text search among the assistants the dashboard knows', () => {
  it('matches a run by its assistant name from the cached assistants list', () => {
    const client = new QueryClient();
    const helper = run('run_w', { status: 'in_progress', assistant_id: 'asst_weather' });
    client.setQueryData(['assistants', 'list'], {
      object: 'list',
      data: [{ id: 'asst_weather', name: 'Weather Helper' }],
      first_id: null,
      last_id: null,
      has_more: false,
    });
    const searched = runKeys.list({ q: 'weather' });
    client.setQueryData(searched, windowOf([]));
    applyChanges(client, [{ type: 'run.created', seq: 1, run: helper }]);
    expect(ids(client.getQueryData<RunsWindow>(searched))).toEqual(['run_w']);
  });
});
