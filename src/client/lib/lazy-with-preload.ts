import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';

// The same bound as React.lazy's own: any component, whatever its props.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyComponent = ComponentType<any>;

export type PreloadableComponent<T extends AnyComponent> = LazyExoticComponent<T> & {
  /** Starts loading the code now (idempotent), so the first render does not wait for the network. */
  preload: () => Promise<unknown>;
};

/**
 * `React.lazy` with a `preload()`. Once the code is in, the component renders at once on first use: React.lazy
 * suspends for a tick even on a settled promise, so a loaded module is handed over through a thenable that answers
 * synchronously, which React reads in the same render.
 */
export function lazyWithPreload<T extends AnyComponent>(
  load: () => Promise<{ default: T }>,
): PreloadableComponent<T> {
  let loaded: { default: T } | undefined;
  let loading: Promise<{ default: T }> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => (loaded = module),
      (error: unknown) => {
        // A failed preload is tried again by the next preload, or by the first render. (A failure met by React.lazy
        // itself is kept by React, as with any lazy component: the Suspense boundary's error handling applies.)
        loading = undefined;
        throw error;
      },
    ));
  const component = lazy(() => {
    if (!loaded) return preload();
    const module = loaded;
    return { then: (resolve: (value: { default: T }) => unknown) => resolve(module) } as Promise<{
      default: T;
    }>;
  });
  return Object.assign(component, { preload });
}
