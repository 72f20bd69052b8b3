import { useState } from 'react';

/**
 * Paging through an OpenAI list by its `after` cursor: the cursors of the pages read so far, so Previous goes back
 * without the server knowing pages. Which page is shown is the view's own state; the pages are React Query's.
 * `resetOn` (e.g. the filter) starts again from the first page when it changes.
 */
export function useCursorPages(resetOn: unknown = null) {
  const [state, setState] = useState<{ key: unknown; cursors: (string | null)[] }>({
    key: resetOn,
    cursors: [null],
  });
  const cursors = Object.is(state.key, resetOn) ? state.cursors : [null];
  const index = cursors.length - 1;
  return {
    /** The cursor of the page shown (null: the first page). */
    after: cursors[index] ?? null,
    /** Zero-based number of the page shown. */
    index,
    next: (lastId: string) => setState({ key: resetOn, cursors: [...cursors, lastId] }),
    previous: () => setState({ key: resetOn, cursors: cursors.slice(0, -1) }),
    first: () => setState({ key: resetOn, cursors: [null] }),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;
