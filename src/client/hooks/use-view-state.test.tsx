// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { navigate, useOpenRunId } from './use-view-state';

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
