import { useCallback, useEffect, useRef } from 'react';
import { unwatchThreadOnServer, watchThreadsOnServer } from '../../api/thread-queries';
import { useLocalStorage } from '../../hooks/use-local-storage';
import { isThreadId } from '../../lib/openai-ids';

const STORAGE_KEY = 'runboard.watchedThreads';
const NONE: string[] = [];

function isThreadIdList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && isThreadId(item));
}

/**
 * Thread ids the person asked to watch, kept in localStorage (OpenAI has no endpoint that lists threads) and told to
 * the server, which indexes their runs in proxy mode.
 */
export function useWatchedThreads() {
  const [watched, setWatched] = useLocalStorage(STORAGE_KEY, NONE, isThreadIdList);
  const watch = useCallback(
    (threadId: string) => {
      void watchThreadsOnServer([threadId]);
      setWatched((previous) => (previous.includes(threadId) ? previous : [threadId, ...previous]));
    },
    [setWatched],
  );
  const unwatch = useCallback(
    (threadId: string) => {
      void unwatchThreadOnServer(threadId);
      setWatched((previous) => previous.filter((id) => id !== threadId));
    },
    [setWatched],
  );
  return { watched, watch, unwatch };
}

/** Once per page load: the server learns the threads watched here (it may have restarted, or be a new one). */
export function useSyncWatchedThreads(watched: readonly string[]): void {
  const synced = useRef(false);
  useEffect(() => {
    if (synced.current) return;
    synced.current = true;
    void watchThreadsOnServer(watched);
  }, [watched]);
}
