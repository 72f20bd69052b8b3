// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { Suspense } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyWithPreload } from './lazy-with-preload';

afterEach(cleanup);

const Greeting = () => <p>Hello</p>;

function renderSuspended(Component: React.ComponentType) {
  render(
    <Suspense fallback={<p>Loading</p>}>
      <Component />
    </Suspense>,
  );
}

describe('lazyWithPreload', () => {
  it('renders at once, without a fallback, once preloaded', async () => {
    const load = vi.fn(async () => ({ default: Greeting }));
    const Lazy = lazyWithPreload(load);
    await Lazy.preload();
    await Lazy.preload();
    act(() => renderSuspended(Lazy));
    expect(screen.getByText('Hello')).toBeTruthy();
    expect(screen.queryByText('Loading')).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('behaves like React.lazy when not preloaded', async () => {
    const Lazy = lazyWithPreload(async () => ({ default: Greeting }));
    act(() => renderSuspended(Lazy));
    expect(screen.getByText('Loading')).toBeTruthy();
    expect(await screen.findByText('Hello')).toBeTruthy();
  });

  it('tries again after a failed download', async () => {
    const load = vi
      .fn<() => Promise<{ default: typeof Greeting }>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue({ default: Greeting });
    const Lazy = lazyWithPreload(load);
    await expect(Lazy.preload()).rejects.toThrow('offline');
    await Lazy.preload();
    act(() => renderSuspended(Lazy));
    expect(screen.getByText('Hello')).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
