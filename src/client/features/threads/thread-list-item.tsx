import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/api-error';
import type { Thread } from '../../../shared/openai-types';
import { runQueries, summarizeRecentRuns } from '../../api/run-queries';
import { threadQueries } from '../../api/thread-queries';
import { cx } from '../../ui/cx';

/** One thread: its id, and live counts of active runs and runs waiting for tool outputs. */
export function ThreadListItem({
  threadId,
  thread,
  selected,
  watched,
  onSelect,
  onUnwatch,
}: {
  threadId: string;
  /** The thread object when the list endpoint gave it; otherwise it is fetched for its metadata. */
  thread: Thread | undefined;
  selected: boolean;
  watched: boolean;
  onSelect: () => void;
  onUnwatch: () => void;
}) {
  const summary = useQuery({ ...runQueries.recent(threadId), select: summarizeRecentRuns });
  const fetched = useQuery({ ...threadQueries.detail(threadId), enabled: thread === undefined });
  const metadata = Object.entries((thread ?? fetched.data)?.metadata ?? {});
  const description = metadata.map(([key, value]) => `${key}: ${value}`).join(' · ');
  const active = summary.data?.active ?? 0;
  const waiting = summary.data?.waitingForOutputs ?? 0;
  const missing = summary.error instanceof ApiError && summary.error.status === 404;

  return (
    <li
      className={cx(
        'group relative flex items-center rounded-md',
        selected ? 'bg-selected text-fg' : 'text-muted hover:bg-raised hover:text-fg',
      )}
    >
      <button
        type="button"
        onClick={onSelect}
        aria-current={selected ? 'true' : undefined}
        className="flex min-w-0 flex-1 flex-col gap-0.5 rounded-md px-2 py-1.5 text-left"
      >
        <span className="truncate font-mono text-xs">{threadId}</span>
        {description && (
          <span className="truncate text-[11px] text-faint" title={description}>
            {metadata.map(([, value]) => value).join(' · ')}
          </span>
        )}
        <span className="flex flex-wrap items-center gap-1 text-[11px]">
          {missing ? (
            <span className="text-status-danger">Not found</span>
          ) : summary.isPending ? (
            <span className="text-faint">…</span>
          ) : (
            <>
              <span
                className={cx(
                  'rounded px-1',
                  active > 0 ? 'bg-status-running-soft text-status-running' : 'text-faint',
                )}
              >
                {active} active
              </span>
              {waiting > 0 && (
                <span className="rounded bg-status-action-soft px-1 text-status-action">
                  {waiting} waiting for outputs
                </span>
              )}
            </>
          )}
          {watched && <span className="text-faint">· watched</span>}
        </span>
      </button>
      {watched && (
        <button
          type="button"
          onClick={onUnwatch}
          aria-label={`Stop watching ${threadId}`}
          title="Stop watching"
          className="mr-1 grid size-6 shrink-0 place-items-center rounded text-faint opacity-60 group-hover:opacity-100 hover:bg-line hover:text-fg focus-visible:opacity-100"
        >
          <span aria-hidden="true">×</span>
        </button>
      )}
    </li>
  );
}
