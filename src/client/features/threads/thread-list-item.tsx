import { useQuery } from '@tanstack/react-query';
import type { ThreadSummary } from '../../../shared/runs-query-types';
import { ApiError } from '../../api/api-error';
import { runQueries } from '../../api/run-queries';
import { threadQueries } from '../../api/thread-queries';
import { threadLabel } from '../../api/use-thread-label';
import { formatCount, needInputCount } from '../../lib/run-vocabulary';
import { cx } from '../../ui/cx';
import { RelativeTime } from '../../ui/relative-time';

/** One thread: its id, metadata, last activity, and live counts of active runs and runs waiting for tool outputs. */
export function ThreadListItem({
  threadId,
  summary,
  selected,
  watched,
  onSelect,
  onUnwatch,
}: {
  threadId: string;
  /** From GET /api/threads; absent for a watched thread beyond the pages listed, whose counts are read on their own. */
  summary: ThreadSummary | undefined;
  selected: boolean;
  watched: boolean;
  onSelect: () => void;
  onUnwatch: () => void;
}) {
  const own = summary === undefined;
  const counts = useQuery({ ...runQueries.counts({ threadId }), enabled: own });
  const fetched = useQuery({ ...threadQueries.detail(threadId), enabled: own });
  const metadata = Object.entries((summary?.thread ?? fetched.data)?.metadata ?? {});
  const description = metadata.map(([key, value]) => `${key}: ${value}`).join(' · ');
  const byStatus = counts.data?.by_status;
  const active = summary
    ? summary.active_run_count
    : byStatus
      ? byStatus.queued + byStatus.in_progress + byStatus.requires_action + byStatus.cancelling
      : 0;
  const waiting = summary ? summary.waiting_run_count : (byStatus?.requires_action ?? 0);
  const missing =
    own && [fetched.error, counts.error].some((error) => error instanceof ApiError && error.status === 404);
  const pending = own && counts.isPending && !missing;
  const label = threadLabel(summary?.thread ?? fetched.data);

  return (
    <li
      className={cx(
        'group relative flex items-center rounded-md',
        selected ? 'bg-selected text-fg' : 'text-fg hover:bg-raised',
      )}
    >
      <button
        type="button"
        onClick={onSelect}
        aria-current={selected ? 'true' : undefined}
        className="flex min-w-0 flex-1 flex-col gap-0.5 rounded-md px-2 py-1.5 text-left"
      >
        {label && (
          <span className="truncate text-[13px] font-medium text-fg" title={description}>
            {label}
          </span>
        )}
        <span className={cx('truncate font-mono', label ? 'text-[11px] text-muted' : 'text-xs text-fg')}>
          {threadId}
        </span>
        <span className="flex flex-wrap items-center gap-1 text-[11px]">
          {missing ? (
            <span className="text-status-danger">Not found</span>
          ) : pending ? (
            <span className="text-faint">…</span>
          ) : (
            <>
              <span
                className={cx(
                  'rounded px-1',
                  active > 0 ? 'bg-status-running-soft text-status-running' : 'text-muted',
                )}
              >
                {formatCount(active)} active
              </span>
              {waiting > 0 && (
                <span className="rounded bg-status-action-soft px-1 text-status-action">
                  {needInputCount(waiting)}
                </span>
              )}
            </>
          )}
          {summary && (
            <span className="text-muted">
              · <RelativeTime at={summary.last_activity_at} />
            </span>
          )}
          {watched && <span className="text-muted">· watched by hand</span>}
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
