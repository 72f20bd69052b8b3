import { useCallback, useSyncExternalStore } from 'react';
import type { ViewState } from '../lib/view-state';
import { keepEqualParts, parseViewState, serializeViewState } from '../lib/view-state';

const NAVIGATE_EVENT = 'runboard:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

const readSearch = () => window.location.search;

let cachedSearch: string | null = null;
let cachedView: ViewState | null = null;
function viewFor(search: string): ViewState {
  if (search !== cachedSearch || !cachedView) {
    cachedSearch = search;
    cachedView = keepEqualParts(cachedView, parseViewState(search));
  }
  return cachedView;
}

export interface NavigateOptions {
  /** Replace the history entry (typing in a filter) instead of pushing one (opening a run). */
  replace?: boolean;
}

/** The view held in the URL, and a setter that writes it with the History API (back/forward restore it). */
export function useViewState(): [ViewState, (patch: Partial<ViewState>, options?: NavigateOptions) => void] {
  const search = useSyncExternalStore(subscribe, readSearch, () => '');
  const view = viewFor(search);
  const navigate = useCallback((patch: Partial<ViewState>, options: NavigateOptions = {}) => {
    const next = { ...viewFor(window.location.search), ...patch };
    const url = `${window.location.pathname}${serializeViewState(next)}${window.location.hash}`;
    if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    window.dispatchEvent(new Event(NAVIGATE_EVENT));
  }, []);
  return [view, navigate];
}
