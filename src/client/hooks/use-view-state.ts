import { useSyncExternalStore } from 'react';
import type { ViewDialog, ViewState } from '../lib/view-state';
import { EMPTY_VIEW, keepEqualParts, parseViewState, viewHref } from '../lib/view-state';

const NAVIGATE_EVENT = 'runboard:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

const readLocation = () => window.location.pathname + window.location.search;

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

/** The history entry's state when this page pushed it to open a dialog: closing it goes Back to the entry before. */
interface DialogEntry {
  runboardOpenedDialog: ViewDialog;
}

/**
 * Writes the view into the URL with the History API (back/forward restore it). Stable: it reads the URL when called.
 * Opening a thread or a run goes to the runs page.
 */
export function navigate(patch: Partial<ViewState>, options: NavigateOptions = {}): void {
  const next = { ...viewFor(readLocation()), ...patch };
  if (!patch.page && ('thread' in patch || 'run' in patch)) next.page = 'runs';
  const url = `${viewHref(next)}${window.location.hash}`;
  if (url === `${readLocation()}${window.location.hash}`) return;
  const state: DialogEntry | null =
    patch.dialog && !options.replace ? { runboardOpenedDialog: patch.dialog } : null;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(state, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * A link's plain click, handled in the page: goes to `patch` (its href stays for a new tab, a modified click).
 */
export function navigateOnPlainClick(event: React.MouseEvent, patch: Partial<ViewState>): void {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(patch);
}

/**
 * A dialog whose being open is in the URL (`?dialog=inbox`): a link opens it, Back closes it. Opening pushes a
 * history entry; closing goes Back when this page pushed it (so Forward reopens it), else drops it from the URL.
 */
export function useDialogInUrl(dialog: ViewDialog): { open: boolean; show: () => void; close: () => void } {
  const open = useViewSelector((view) => view.dialog === dialog);
  return { open, show: () => navigate({ dialog }), close: () => closeDialog(dialog) };
}

function closeDialog(dialog: ViewDialog): void {
  if (viewFor(readLocation()).dialog !== dialog) return;
  const entry = window.history.state as Partial<DialogEntry> | null;
  if (entry?.runboardOpenedDialog === dialog) window.history.back();
  else navigate({ dialog: null }, { replace: true });
}

export type Navigate = typeof navigate;

/**
 * One part of the view, re-rendering only when that part changes: a sort or a search must not re-render the sidebar,
 * and opening a run must not re-render the whole app. `select` must return a primitive or a part of the view itself
 * (kept identical while equal, see keepEqualParts).
 */
export function useViewSelector<T>(select: (view: ViewState) => T): T {
  return useSyncExternalStore(
    subscribe,
    () => select(viewFor(readLocation())),
    () => select(EMPTY_VIEW),
  );
}

/**
 * The run whose panel is open: the URL's run, in a thread's view (the home view opens a run in its thread's view, so
 * nothing is open there). The runs table marks it and moves it with the keyboard; the app shows its panel.
 */
export function useOpenRunId(): string | null {
  return useViewSelector(openRunId);
}

const openRunId = (view: ViewState) => (view.thread === null ? null : view.run);

/** For components that only change the view. */
export function useNavigate(): Navigate {
  return navigate;
}

/** The whole view held in the URL, and `navigate`. */
export function useViewState(): [ViewState, Navigate] {
  return [useViewSelector(wholeView), navigate];
}

const wholeView = (view: ViewState) => view;
