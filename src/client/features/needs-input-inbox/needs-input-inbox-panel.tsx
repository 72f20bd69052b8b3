import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { QueryCoverage } from '../../../shared/runs-query-types';
import { CoverageNotice } from '../../ui/coverage-notice';
import { useNow } from '../../hooks/use-now';
import { useNavigate } from '../../hooks/use-view-state';
import { formatDuration } from '../../lib/format-duration';
import { Button } from '../../ui/button';
import { ThreadName } from '../../ui/thread-name';
import { secondsLeft } from './inbox-entries';
import type { useWaitingNotifications } from './use-waiting-notifications';

export interface NeedsInputInboxPanelProps {
  waiting: Run[];
  /** How many runs wait in all (the list holds the oldest ones when there are very many). */
  total: number;
  coverage: QueryCoverage | undefined;
  loaded: boolean;
  error: Error | null;
  notifications: ReturnType<typeof useWaitingNotifications>;
  renderAnswer: (run: Run) => ReactNode;
}

/** The inbox dialog's contents, loaded when it is first opened. */
export default function NeedsInputInboxPanel({
  waiting,
  total,
  coverage,
  loaded,
  error,
  notifications,
  renderAnswer,
}: NeedsInputInboxPanelProps) {
  return (
    <>
      <label className="mb-3 flex items-center gap-2 text-xs text-muted">
        <input type="checkbox" checked={notifications.enabled} onChange={notifications.toggle} />
        Desktop notification when a run starts waiting
        {notifications.enabled && notifications.permission === 'denied' && (
          <span role="status" className="text-status-warning">
            (blocked by the browser: allow notifications for this site)
          </span>
        )}
        {notifications.permission === 'unsupported' && <span>(not supported by this browser)</span>}
      </label>
      {error && (
        <p role="alert" className="mb-2 rounded-md bg-status-warning-soft p-2 text-xs">
          Could not read the waiting runs: {error.message}
        </p>
      )}
      <CoverageNotice coverage={coverage} className="mb-2 rounded-md" />
      {total > waiting.length && (
        <p role="status" className="mb-2 text-xs text-muted">
          Showing {waiting.length} of {total} waiting runs (the oldest); the home view lists them all.
        </p>
      )}
      {waiting.length === 0 ? (
        <p role="status" className="py-6 text-center text-muted">
          {loaded ? 'No run needs input.' : error ? 'Nothing to show.' : 'Looking at the threads…'}
        </p>
      ) : (
        <ol aria-label="Runs that need input" className="flex flex-col gap-3">
          {waiting.map((run) => (
            <InboxEntry key={run.id} run={run} renderAnswer={renderAnswer} />
          ))}
        </ol>
      )}
    </>
  );
}

function InboxEntry({ run, renderAnswer }: { run: Run; renderAnswer: (run: Run) => ReactNode }) {
  const now = useNow();
  const navigate = useNavigate();
  const left = secondsLeft(run, now);
  const tools = run.required_action?.submit_tool_outputs.tool_calls.map((call) => call.function.name) ?? [];
  return (
    <li aria-label={`Run ${run.id}`} className="rounded-md border border-line p-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <ThreadName threadId={run.thread_id} />
        <span className="font-mono text-xs">{run.id}</span>
        <span
          className={`ml-auto text-xs tabular-nums ${left !== null && left < 120 ? 'font-semibold text-status-danger' : 'text-muted'}`}
        >
          {left === null ? 'No expiry' : left === 0 ? 'Expiring now' : `${formatDuration(left)} left`}
        </span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => navigate({ thread: run.thread_id, run: run.id, dialog: null })}
        >
          Open run
        </Button>
      </div>
      {tools.length > 0 && <p className="mt-1 text-xs text-muted">Asks for {tools.join(', ')}</p>}
      {renderAnswer(run)}
    </li>
  );
}
