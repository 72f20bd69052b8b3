import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Thread } from '../../../shared/openai-types';
import type { ThreadSummary } from '../../../shared/runs-query-types';
import { configQueries } from '../../api/config-queries';
import { threadQueries } from '../../api/thread-queries';
import { useProxyScope } from '../../api/use-proxy-scope';
import { useNavigate, useViewSelector } from '../../hooks/use-view-state';
import { Button } from '../../ui/button';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { SearchField } from '../../ui/search-field';
import { SkeletonRows } from '../../ui/skeleton';
import { NewThreadButton } from './new-thread-button';
import { ThreadListItem } from './thread-list-item';
import { useSyncWatchedThreads, useWatchedThreads, useWatchOpenedThread } from './use-watched-threads';

export interface ThreadsSidebarSlots {
  /** Replaces the one-click "New thread" button (e.g. with a dialog that takes a first message). */
  renderNewThread?: (onCreated: (thread: Thread) => void) => ReactNode;
}

const NO_SUMMARIES: ThreadSummary[] = [];

// The watch form (and its id checks) follows the first screen by a moment (initial bundle budget); a placeholder of
// its height keeps the list from moving.
const WatchThreadForm = lazy(() =>
  import('./watch-thread-form').then((module) => ({ default: module.WatchThreadForm })),
);
// Said only in proxy mode: its code loads then, not with every first screen.
const ProxyScopeNote = lazy(() =>
  import('../../ui/proxy-scope-note').then((module) => ({ default: module.ProxyScopeNote })),
);

/**
 * The threads: the server's (GET /api/threads, newest activity first, searchable) and the ones the person watches,
 * each with its last activity and live active / waiting counts. "All threads" leads to the home view.
 */
export function ThreadsSidebar({ renderNewThread }: ThreadsSidebarSlots = {}) {
  const selectedThread = useViewSelector((view) => view.thread);
  const navigate = useNavigate();
  const config = useQuery(configQueries.config());
  const [search, setSearch] = useState('');
  const summaries = useInfiniteQuery({
    ...threadQueries.summaries(search),
    placeholderData: keepPreviousData,
  });
  const { watched, watch, unwatch } = useWatchedThreads();
  useSyncWatchedThreads(watched);
  // Proxy mode: the server's own list says which threads were watched by hand (the rest were seen in traffic).
  const proxyMode = config.data?.backend.mode === 'proxy';
  const serverWatched = useQuery({ ...threadQueries.watched(), enabled: proxyMode });
  useWatchOpenedThread(selectedThread, proxyMode ? serverWatched.data : undefined, watch);
  const handWatched = useMemo(
    () =>
      new Set(
        (serverWatched.data?.data ?? [])
          .filter((entry) => entry.origin === 'hand')
          .map((entry) => entry.thread_id),
      ),
    [serverWatched.data],
  );
  const scope = useProxyScope();

  const listed = useMemo(
    () => summaries.data?.pages.flatMap((page) => page.data) ?? NO_SUMMARIES,
    [summaries.data],
  );
  const byId = useMemo(() => new Map(listed.map((summary) => [summary.thread.id, summary])), [listed]);
  const threadIds = useMemo(() => {
    const text = search.trim().toLowerCase();
    const ids = text ? watched.filter((id) => id.toLowerCase().includes(text) || byId.has(id)) : [...watched];
    for (const summary of listed) if (!ids.includes(summary.thread.id)) ids.push(summary.thread.id);
    return ids;
  }, [watched, listed, byId, search]);

  const total = summaries.data?.pages[0]?.total;
  const select = (threadId: string | null) => navigate({ thread: threadId, run: null });
  const onThreadCreated = (thread: Thread) => {
    watch(thread.id);
    select(thread.id);
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-col gap-2 border-b border-line p-3">
        <div className="flex items-center justify-between">
          <h2 className="text-xs font-semibold tracking-wide text-muted uppercase">Threads</h2>
          <span className="text-xs text-faint" title={scope ? 'Threads watched' : 'Threads on the server'}>
            {total !== undefined ? total.toLocaleString('en') : threadIds.length}
          </span>
        </div>
        {scope && (
          <Suspense fallback={null}>
            <ProxyScopeNote scope={scope} short className="text-[11px] leading-snug text-muted" />
          </Suspense>
        )}
        {renderNewThread ? renderNewThread(onThreadCreated) : <NewThreadButton onCreated={onThreadCreated} />}
        <Suspense fallback={<div aria-hidden="true" className="h-12" />}>
          <WatchThreadForm
            onWatch={(threadId) => {
              watch(threadId);
              select(threadId);
            }}
          />
        </Suspense>
        <SearchField
          label="Search threads"
          placeholder="Search thread ids, metadata"
          value={search}
          onChange={setSearch}
        />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-1.5">
        <button
          type="button"
          onClick={() => select(null)}
          aria-current={selectedThread === null ? 'page' : undefined}
          className={`mb-1 w-full rounded-md px-2 py-1.5 text-left text-xs font-medium ${selectedThread === null ? 'bg-selected text-fg' : 'text-muted hover:bg-raised hover:text-fg'}`}
        >
          All threads
        </button>
        {config.error ? (
          <ErrorState
            title="Cannot load the server configuration"
            error={config.error}
            onRetry={() => config.refetch()}
          />
        ) : summaries.error && threadIds.length === 0 ? (
          <ErrorState
            title="Cannot list threads"
            error={summaries.error}
            onRetry={() => summaries.refetch()}
          />
        ) : summaries.isPending && threadIds.length === 0 ? (
          <SkeletonRows rows={6} label="Loading threads" />
        ) : threadIds.length === 0 ? (
          <EmptyState title={search.trim() ? 'No thread matches' : 'No threads yet'}>
            {search.trim()
              ? 'Search looks at thread ids and metadata.'
              : 'Create one with “New thread”, or start runs from your code: they appear here.'}
          </EmptyState>
        ) : (
          <>
            <ul
              className="flex flex-col gap-0.5"
              aria-label="Thread list"
              aria-busy={summaries.isPlaceholderData}
            >
              {threadIds.map((threadId) => (
                <ThreadListItem
                  key={threadId}
                  threadId={threadId}
                  summary={byId.get(threadId)}
                  selected={threadId === selectedThread}
                  watched={watched.includes(threadId) || handWatched.has(threadId)}
                  onSelect={() => select(threadId)}
                  onUnwatch={() => unwatch(threadId)}
                />
              ))}
            </ul>
            {summaries.hasNextPage && (
              <div className="flex justify-center p-2">
                <Button
                  size="sm"
                  disabled={summaries.isFetchingNextPage}
                  onClick={() => void summaries.fetchNextPage()}
                >
                  {summaries.isFetchingNextPage ? 'Loading…' : 'More threads'}
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}
