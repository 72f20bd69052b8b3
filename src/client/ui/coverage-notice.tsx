import type { QueryCoverage } from '../../shared/runs-query-types';
import { formatRelativeTime } from '../lib/format-time';
import { useNow } from '../hooks/use-now';

/**
 * Says that an answer is partial (proxy mode: some threads' runs are still being read from the upstream), so counts,
 * sorts and searches are never taken for the whole data. Renders nothing for a complete answer.
 */
export function CoverageNotice({
  coverage,
  className,
}: {
  coverage: QueryCoverage | undefined;
  className?: string;
}) {
  const now = useNow(5_000);
  if (!coverage || coverage.complete) return null;
  if (coverage.watched === false) {
    return (
      <p
        role="status"
        aria-label="Thread not watched"
        className={`border-b border-status-warning/30 bg-status-warning-soft px-3 py-1.5 text-xs ${className ?? ''}`}
      >
        <strong className="font-semibold">Not watched:</strong> this thread has not been seen through this
        proxy, so none of its runs are indexed yet. Opening it asks the server to watch it.
      </p>
    );
  }
  const loading = coverage.loading_threads;
  return (
    <p
      role="status"
      aria-label="Partial answer"
      className={`border-b border-status-warning/30 bg-status-warning-soft px-3 py-1.5 text-xs ${className ?? ''}`}
    >
      <strong className="font-semibold">Partial answer:</strong>{' '}
      {loading > 0
        ? `${loading} of ${coverage.threads} thread${coverage.threads === 1 ? ' is' : 's are'} still being loaded from the upstream`
        : `not every thread has been loaded from the upstream yet`}
      ; counts, sort and search cover only the runs loaded so far
      {coverage.refreshed_at !== null &&
        ` (last heard ${formatRelativeTime(coverage.refreshed_at / 1000, now)})`}
      .
    </p>
  );
}
