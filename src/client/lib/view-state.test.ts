import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, keepEqualParts, parseViewState, serializeViewState, viewHref } from './view-state';

describe('view state in the URL', () => {
  it('round-trips thread, run, filters, the time bound, sort and the open dialog', () => {
    const view = {
      ...EMPTY_VIEW,
      thread: 'thread_a',
      run: 'run_b',
      statuses: ['queued' as const, 'failed' as const],
      createdAfter: 1_787_000_000,
      search: 'gpt env:prod',
      sort: { id: 'created', desc: false },
      dialog: 'insights' as const,
    };
    const search = serializeViewState(view);
    expect(search).toBe(
      '?thread=thread_a&run=run_b&status=queued%2Cfailed&created_after=1787000000&q=gpt+env%3Aprod&sort=created.asc&dialog=insights',
    );
    expect(parseViewState(search)).toEqual(view);
  });

  it('has a files page at /files, with the open vector store and file, and no thread or run', () => {
    const view = parseViewState('/files?store=vs_1&file=file-2&thread=thread_a&run=run_b');
    expect(view).toEqual({ ...EMPTY_VIEW, page: 'files', store: 'vs_1', file: 'file-2' });
    expect(viewHref(view)).toBe('/files?store=vs_1&file=file-2');
    expect(viewHref({ ...EMPTY_VIEW, thread: 'thread_a', store: 'vs_1' })).toBe('/?thread=thread_a');
    // Going to the files page from a run (a citation) leaves the runs page's parts behind.
    const fromRun = parseViewState('/?thread=thread_a&run=run_b&status=failed&q=x');
    expect(viewHref({ ...fromRun, page: 'files', file: 'file-2' })).toBe('/files?file=file-2');
    expect(parseViewState('/?thread=thread_a').page).toBe('runs');
    expect(parseViewState('/files').page).toBe('files');
  });

  it('ignores what it does not understand', () => {
    expect(
      parseViewState('?status=bogus,completed,completed&created_after=yesterday&sort=DROP&dialog=settings'),
    ).toEqual({
      ...EMPTY_VIEW,
      statuses: ['completed'],
    });
    expect(serializeViewState(EMPTY_VIEW)).toBe('');
  });

  it('keeps the filter and sort objects when only the run changes, so the table does not re-sort', () => {
    const before = parseViewState('?thread=t&status=failed&sort=created.desc&run=run_a');
    const after = keepEqualParts(
      before,
      parseViewState('?thread=t&status=failed&sort=created.desc&run=run_b'),
    );
    expect(after.run).toBe('run_b');
    expect(after.statuses).toBe(before.statuses);
    expect(after.sort).toBe(before.sort);
    const resorted = keepEqualParts(
      after,
      parseViewState('?thread=t&status=failed&sort=created.asc&run=run_b'),
    );
    expect(resorted.sort).toEqual({ id: 'created', desc: false });
    expect(resorted.statuses).toBe(before.statuses);
    const refiltered = keepEqualParts(after, parseViewState('?thread=t&status=queued&sort=created.desc'));
    expect(refiltered.statuses).toEqual(['queued']);
    expect(refiltered.sort).toBe(before.sort);
  });
});
