import { useCallback } from 'react';
import { useLocalStorage } from '../../hooks/use-local-storage';
import { isThreadId } from '../../lib/openai-ids';

const STORAGE_KEY = 'runboard.watchedThreads';
const NONE: string[] = [];

function isThreadIdList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && isThreadId(item));
}

/** Thread ids the person asked to watch, kept in localStorage (OpenAI has no endpoint that lists threads). */
export function useWatchedThreads() {
  const [watched, setWatched] = useLocalStorage(STORAGE_KEY, NONE, isThreadIdList);
  const watch = useCallback(
    (threadId: string) =>
      setWatched((previous) => (previous.includes(threadId) ? previous : [threadId, ...previous])),
    [setWatched],
  );
  const unwatch = useCallback(
    (threadId: string) => setWatched((previous) => previous.filter((id) => id !== threadId)),
    [setWatched],
  );
  return { watched, watch, unwatch };
}
