// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { navigate, useOpenRunId, useViewSelector } from './use-view-state';

afterEach(() => window.history.replaceState(null, '', '/'));

describe('useOpenRunId', () => {
  it("is the URL's run in a thread's view, following navigation", () => {
    window.history.replaceState(null, '', '/?thread=thread_a&run=run_1');
    const { result } = renderHook(() => useOpenRunId());
    expect(result.current).toBe('run_1');
    act(() => navigate({ run: 'run_2' }, { replace: true }));
    expect(result.current).toBe('run_2');
    act(() => navigate({ run: null }));
    expect(result.current).toBeNull();
  });

  it('is null in the home view (no thread), whose runs open in their thread', () => {
    window.history.replaceState(null, '', '/?run=run_1');
    const { result } = renderHook(() => useOpenRunId());
    expect(result.current).toBeNull();
  });
});

describe('navigate between the pages', () => {
  it('keeps the files page while its store changes, and goes to the runs page when a thread or run is opened', () => {
    window.history.replaceState(null, '', '/files');
    const { result } = renderHook(() => useViewSelector((view) => view.page));
    expect(result.current).toBe('files');
    act(() => navigate({ store: 'vs_1' }));
    expect(`${window.location.pathname}${window.location.search}`).toBe('/files?store=vs_1');
    expect(result.current).toBe('files');
    act(() => navigate({ thread: 'thread_a', run: null }));
    expect(`${window.location.pathname}${window.location.search}`).toBe('/?thread=thread_a');
    expect(result.current).toBe('runs');
    // "All threads" (no thread) is the runs page too.
    act(() => navigate({ page: 'files', file: 'file-1' }));
    expect(`${window.location.pathname}${window.location.search}`).toBe('/files?file=file-1');
    act(() => navigate({ thread: null, run: null }));
    expect(window.location.pathname).toBe('/');
    expect(result.current).toBe('runs');
  });
});
