import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Thread } from '../../../shared/openai-types';
import { configQueries } from '../../api/config-queries';
import { threadQueries } from '../../api/thread-queries';
import { useNavigate, useViewSelector } from '../../hooks/use-view-state';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import { NewThreadButton } from './new-thread-button';
import { ThreadListItem } from './thread-list-item';
import { useWatchedThreads } from './use-watched-threads';
import { WatchThreadForm } from './watch-thread-form';

export interface ThreadsSidebarSlots {
  /** Replaces the one-click "New thread" button (e.g. with a dialog that takes a first message). */
  renderNewThread?: (onCreated: (thread: Thread) => void) => ReactNode;
}

/** The threads: the server's own (when it can list them) and the ones the person watches. */
export function ThreadsSidebar({ renderNewThread }: ThreadsSidebarSlots = {}) {
  const selectedThread = useViewSelector((view) => view.thread);
  const navigate = useNavigate();
  const config = useQuery(configQueries.config());
  const canList = config.data?.capabilities.listThreads ?? false;
  const listed = useQuery({ ...threadQueries.list(), enabled: canList });
  const { watched, watch, unwatch } = useWatchedThreads();

  const threadIds = useMemo(() => {
    const ids = [...watched];
    for (const thread of listed.data?.data ?? []) if (!ids.includes(thread.id)) ids.push(thread.id);
    return ids;
  }, [watched, listed.data]);

  const select = (threadId: string) => navigate({ thread: threadId, run: null });
  const loading = config.isPending || (canList && listed.isPending);
  const onThreadCreated = (thread: Thread) => {
    watch(thread.id);
    select(thread.id);
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-col gap-2 border-b border-line p-3">
        <div className="flex items-center justify-between">
          <h2 className="text-xs font-semibold tracking-wide text-muted uppercase">Threads</h2>
          <span className="text-xs text-faint">{threadIds.length}</span>
        </div>
        {renderNewThread ? renderNewThread(onThreadCreated) : <NewThreadButton onCreated={onThreadCreated} />}
        <WatchThreadForm
          onWatch={(threadId) => {
            watch(threadId);
            select(threadId);
          }}
        />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-1.5">
        {config.error ? (
          <ErrorState
            title="Cannot load the server configuration"
            error={config.error}
            onRetry={() => config.refetch()}
          />
        ) : listed.error && threadIds.length === 0 ? (
          <ErrorState title="Cannot list threads" error={listed.error} onRetry={() => listed.refetch()} />
        ) : loading && threadIds.length === 0 ? (
          <SkeletonRows rows={6} label="Loading threads" />
        ) : threadIds.length === 0 ? (
          <EmptyState title="No threads yet">
            {canList
              ? 'Create one with “New thread”, or start runs from your code: they appear here.'
              : 'This backend cannot list threads. Paste a thread id above to watch it, or create a new thread.'}
          </EmptyState>
        ) : (
          <ul className="flex flex-col gap-0.5" aria-label="Thread list">
            {threadIds.map((threadId) => (
              <ThreadListItem
                key={threadId}
                threadId={threadId}
                thread={listed.data?.data.find((thread) => thread.id === threadId)}
                selected={threadId === selectedThread}
                watched={watched.includes(threadId)}
                onSelect={() => select(threadId)}
                onUnwatch={() => unwatch(threadId)}
              />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
