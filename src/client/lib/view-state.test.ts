import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, parseViewState, serializeViewState } from './view-state';

describe('view state in the URL', () => {
  it('round-trips thread, run, filters and sort', () => {
    const view = {
      thread: 'thread_a',
      run: 'run_b',
      statuses: ['queued' as const, 'failed' as const],
      search: 'gpt env:prod',
      sort: { id: 'created', desc: false },
    };
    const search = serializeViewState(view);
    expect(search).toBe(
      '?thread=thread_a&run=run_b&status=queued%2Cfailed&q=gpt+env%3Aprod&sort=created.asc',
    );
    expect(parseViewState(search)).toEqual(view);
  });

  it('ignores what it does not understand', () => {
    expect(parseViewState('?status=bogus,completed,completed&sort=DROP')).toEqual({
      ...EMPTY_VIEW,
      statuses: ['completed'],
    });
    expect(serializeViewState(EMPTY_VIEW)).toBe('');
  });
});
