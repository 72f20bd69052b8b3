import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import type { WatchedThreadsList } from '../../../shared/runs-query-types';
import { threadKeys, unwatchThreadOnServer, watchThreadsOnServer } from '../../api/thread-queries';
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
  const client = useQueryClient();
  const watch = useCallback(
    (threadId: string) => {
      // Once the server watches it, what it answered about the thread (not watched) is read again.
      void watchThreadsOnServer([threadId]).then(() => {
        void client.invalidateQueries({ queryKey: threadKeys.watched() });
        void client.invalidateQueries({ queryKey: ['runs'] });
      });
      setWatched((previous) => (previous.includes(threadId) ? previous : [threadId, ...previous]));
    },
    [setWatched, client],
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

/**
 * Proxy mode: a thread opened by id (a link, the address bar) that the server does not watch is watched by hand, with
 * a POST (a read never watches). `serverWatched` is undefined until known (or outside proxy mode): nothing is sent.
 */
export function useWatchOpenedThread(
  threadId: string | null,
  serverWatched: WatchedThreadsList | undefined,
  watch: (threadId: string) => void,
): void {
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (!threadId || !serverWatched || asked.current.has(threadId)) return;
    if (serverWatched.data.some((entry) => entry.thread_id === threadId)) return;
    asked.current.add(threadId);
    watch(threadId);
  }, [threadId, serverWatched, watch]);
}
