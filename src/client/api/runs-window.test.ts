import { describe, expect, it } from 'vitest';
import type { Run, RunStatus } from '../../shared/openai-types';
import type { IndexedRun, RunsPage } from '../../shared/runs-query-types';
import type { RunsWindow } from './runs-window';
import { appendPage, mergeHead, prependRun, refreshSize, removeRun, replaceRun } from './runs-window';

const COMPLETE = { complete: true, threads: 1, loading_threads: 0, refreshed_at: null };

function run(id: string, status: RunStatus = 'completed'): Run {
  return { id, status } as Run;
}
function page(runs: Run[], hasMore: boolean, total: number, feedSeq?: number): RunsPage {
  return {
    object: 'list',
    data: runs,
    next_cursor: hasMore ? `after-${runs.at(-1)!.id}` : null,
    has_more: hasMore,
    total,
    coverage: COMPLETE,
    ...(feedSeq === undefined ? {} : { feed_seq: feedSeq }),
  };
}
const ids = (window: RunsWindow) => window.runs.map((each) => each.id);

describe('runs window', () => {
  it('takes the first read whole, with the total and cursor the server gave', () => {
    const window = mergeHead(undefined, page([run('c'), run('b')], true, 50, 7), 100);
    expect(ids(window)).toEqual(['c', 'b']);
    expect(window).toMatchObject({ hasMore: true, total: 50, nextCursor: 'after-b', feedSeq: 7 });
  });

  it('replaces the whole window when a refresh covered every loaded row (a run that left the answer goes)', () => {
    const before = appendPage(
      mergeHead(undefined, page([run('d'), run('c')], true, 4), 2),
      page([run('b')], true, 4),
    );
    const after = mergeHead(before, page([run('e'), run('d'), run('b')], true, 4), 3);
    expect(ids(after)).toEqual(['e', 'd', 'b']);
    expect(after.nextCursor).toBe('after-b');
  });

  it('keeps the rows below a refresh that did not reach them, without repeating the ones it now holds', () => {
    const loaded = { ...mergeHead(undefined, page([run('d'), run('c'), run('b'), run('a')], true, 9), 4) };
    const after = mergeHead(loaded, page([run('x'), run('d')], true, 10), 2);
    expect(ids(after)).toEqual(['x', 'd', 'b', 'a']);
    expect(after.nextCursor).toBe('after-a');
    expect(after.total).toBe(10);
  });

  it('appends the next page without repeats and takes its cursor', () => {
    const first = mergeHead(undefined, page([run('c'), run('b')], true, 3), 100);
    const next = appendPage(first, page([run('b'), run('a')], false, 3));
    expect(ids(next)).toEqual(['c', 'b', 'a']);
    expect(next).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it('asks a refresh for as many rows as are loaded, between one page and the refresh limit', () => {
    expect(refreshSize(undefined)).toBe(100);
    const many = mergeHead(
      undefined,
      page(
        Array.from({ length: 150 }, (_, i) => run(`r${i}`)),
        true,
        900,
      ),
      150,
    );
    expect(refreshSize(many)).toBe(150);
    expect(refreshSize({ ...many, runs: [...many.runs, ...many.runs] })).toBe(200);
  });

  it('replaces, removes and prepends single runs, keeping the total right', () => {
    const window = mergeHead(undefined, page([run('b'), run('a')], false, 2), 100);
    const replaced = replaceRun(window, run('a', 'failed'));
    expect(replaced.runs[1]!.status).toBe('failed');
    expect(replaceRun(window, run('zz'))).toBe(window);
    expect(removeRun(window, 'a')).toMatchObject({ total: 1 });
    expect(ids(prependRun(window, run('c')))).toEqual(['c', 'b', 'a']);
    expect(prependRun(window, run('c')).total).toBe(3);
  });

  it("keeps a run's preview when a mutation's answer (from /v1, without one) replaces it, not when the feed's does", () => {
    const preview = { input: 'Where is my parcel?', output: 'Asks for lookup_order' };
    const listed: IndexedRun = { ...run('a'), preview };
    const window = mergeHead(undefined, page([listed], false, 1), 100);
    const fromV1 = replaceRun(window, run('a', 'in_progress')).runs[0] as IndexedRun;
    expect(fromV1).toMatchObject({ status: 'in_progress', preview });
    const next = { input: 'Where is my parcel?', output: 'It ships today.' };
    const fed: IndexedRun = { ...run('a', 'completed'), preview: next };
    const fromFeed = replaceRun(window, fed).runs[0] as IndexedRun;
    expect(fromFeed.preview).toEqual(next);
  });
});
