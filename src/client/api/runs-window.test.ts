import { describe, expect, it } from 'vitest';
import type { ListResponse, Run, RunStatus } from '../../shared/openai-types';
import { activeBeyondHead, appendPage, mergeHead, nextCursor, replaceRuns } from './runs-window';

function run(id: string, status: RunStatus = 'completed'): Run {
  return { id, status } as Run;
}
function page(runs: Run[], hasMore: boolean): ListResponse<Run> {
  return {
    object: 'list',
    data: runs,
    first_id: runs[0]?.id ?? null,
    last_id: runs.at(-1)?.id ?? null,
    has_more: hasMore,
  };
}
const ids = (runs: Run[]) => runs.map((item) => item.id);

describe('runs window', () => {
  it('starts from the first page', () => {
    const window = mergeHead(undefined, page([run('r3'), run('r2')], true), 1000);
    expect(ids(window.runs)).toEqual(['r3', 'r2']);
    expect(window.hasMore).toBe(true);
    expect(window.pollAfterMs).toBe(1000);
    expect(nextCursor(window)).toBe('r2');
  });

  it('puts new runs on top, updates changed ones in place and keeps the older pages', () => {
    const loaded = appendPage(
      mergeHead(undefined, page([run('r4', 'queued'), run('r3')], true), null),
      page([run('r2'), run('r1')], false),
    );
    expect(ids(loaded.runs)).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(nextCursor(loaded)).toBeNull();

    const refreshed = mergeHead(loaded, page([run('r5', 'queued'), run('r4', 'in_progress')], true), null);
    expect(ids(refreshed.runs)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    expect(refreshed.runs[1]?.status).toBe('in_progress');
    expect(refreshed.hasMore).toBe(false);
  });

  it('does not duplicate runs that shifted from one page to the next', () => {
    const loaded = mergeHead(undefined, page([run('r3'), run('r2')], true), null);
    const next = appendPage(loaded, page([run('r2'), run('r1')], false));
    expect(ids(next.runs)).toEqual(['r3', 'r2', 'r1']);
  });

  it('finds active runs the head does not cover and replaces them by id', () => {
    const loaded = appendPage(
      mergeHead(undefined, page([run('r3')], true), null),
      page([run('r2', 'requires_action'), run('r1')], false),
    );
    expect(ids(activeBeyondHead(loaded, 1))).toEqual(['r2']);
    const updated = replaceRuns(loaded, [run('r2', 'expired')]);
    expect(updated.runs.map((item) => item.status)).toEqual(['completed', 'expired', 'completed']);
    expect(replaceRuns(loaded, [run('unknown')])).toBe(loaded);
  });
});
