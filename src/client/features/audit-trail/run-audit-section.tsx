import { useQuery } from '@tanstack/react-query';
import type { Run } from '../../../shared/openai-types';
import { runRecordQueries } from '../../api/run-record-queries';
import { formatExactTime } from '../../lib/format-time';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import { actionLabel } from './action-label';

/** What was done to this run through Runboard, newest first, from the server's audit trail. */
export function RunAuditSection({ run }: { run: Run }) {
  const audit = useQuery(runRecordQueries.audit(run.thread_id, run.id));
  return (
    <section aria-label="Audit trail" className="border-b border-line px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Audit trail</h3>
      {audit.error ? (
        <ErrorState
          title="Cannot load the audit trail"
          error={audit.error}
          onRetry={() => void audit.refetch()}
        />
      ) : !audit.data ? (
        <SkeletonRows rows={2} label="Loading audit trail" />
      ) : audit.data.data.length === 0 ? (
        <p className="text-xs text-faint">No action taken on this run through Runboard</p>
      ) : (
        <ol className="flex flex-col gap-1.5">
          {audit.data.data.map((entry) => (
            <li key={entry.id} className="rounded-md bg-raised p-2 text-xs">
              <div className="flex flex-wrap items-center gap-x-2">
                <span className="font-semibold">{actionLabel(entry.action)}</span>
                <span
                  className={`font-mono text-[11px] ${entry.status >= 400 ? 'text-status-danger' : 'text-status-success'}`}
                >
                  {entry.status}
                </span>
                <span className="text-[11px] text-muted">
                  from {entry.source === 'dashboard' ? 'the dashboard' : 'an API client'}
                </span>
                <span className="ml-auto text-[11px] text-muted">{formatExactTime(entry.at)}</span>
              </div>
              <p className="font-mono text-[11px] text-faint">
                {entry.method} {entry.path}
              </p>
              {entry.summary && <p className="text-muted">{entry.summary}</p>}
              {entry.error && <p className="text-status-danger">{entry.error}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
