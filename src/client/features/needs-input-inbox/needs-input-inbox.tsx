import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import { useActiveRunsAcross } from '../../api/active-runs-queries';
import { useNow } from '../../hooks/use-now';
import { useViewState } from '../../hooks/use-view-state';
import { formatDuration } from '../../lib/format-duration';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { secondsLeft, waitingRunsByTimeLeft } from './inbox-entries';
import { useNeedsInputSignals } from './use-needs-input-signals';
import { useWaitingNotifications } from './use-waiting-notifications';

export interface NeedsInputInboxProps {
  /** Threads to look at: the watched ones and the listed ones. */
  threadIds: readonly string[];
  /** The tool-outputs form for one waiting run, composed by the app. */
  renderAnswer: (run: Run) => ReactNode;
}

/**
 * A header button with the number of runs waiting for tool outputs across threads; it opens the inbox, where each
 * run, soonest to expire first, can be answered in place. The count also goes to the tab's title and favicon.
 */
export function NeedsInputInbox({ threadIds, renderAnswer }: NeedsInputInboxProps) {
  const active = useActiveRunsAcross(threadIds);
  const waiting = useMemo(() => waitingRunsByTimeLeft(active.runs), [active.runs]);
  const [open, setOpen] = useState(false);
  const notifications = useWaitingNotifications(waiting);
  useNeedsInputSignals(waiting.length);

  return (
    <>
      <Button
        size="sm"
        variant={waiting.length > 0 ? 'primary' : 'ghost'}
        aria-label={`Needs input: ${waiting.length} run${waiting.length === 1 ? '' : 's'} waiting for tool outputs`}
        onClick={() => setOpen(true)}
      >
        Needs input
        <span className="rounded-full bg-black/15 px-1.5 text-[11px] font-semibold tabular-nums">
          {waiting.length}
        </span>
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        size="lg"
        title="Needs input"
        description={`Runs waiting for tool outputs across ${threadIds.length} thread${threadIds.length === 1 ? '' : 's'}, the one expiring soonest first.`}
      >
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
        {active.errors.length > 0 && (
          <p role="alert" className="mb-2 rounded-md bg-status-warning-soft p-2 text-xs">
            Could not read {active.errors.length} thread{active.errors.length === 1 ? '' : 's'}:{' '}
            {active.errors[0]!.message}
          </p>
        )}
        {waiting.length === 0 ? (
          <p role="status" className="py-6 text-center text-muted">
            {active.loaded ? 'No run is waiting for tool outputs.' : 'Looking at the threads…'}
          </p>
        ) : (
          <ol
            aria-label="Runs waiting for tool outputs"
            className="flex max-h-[70vh] flex-col gap-3 overflow-y-auto"
          >
            {waiting.map((run) => (
              <InboxEntry
                key={run.id}
                run={run}
                renderAnswer={renderAnswer}
                onOpenRun={() => setOpen(false)}
              />
            ))}
          </ol>
        )}
      </Dialog>
    </>
  );
}

function InboxEntry({
  run,
  renderAnswer,
  onOpenRun,
}: {
  run: Run;
  renderAnswer: (run: Run) => ReactNode;
  onOpenRun: () => void;
}) {
  const now = useNow();
  const [, navigate] = useViewState();
  const left = secondsLeft(run, now);
  const tools = run.required_action?.submit_tool_outputs.tool_calls.map((call) => call.function.name) ?? [];
  return (
    <li aria-label={`Run ${run.id}`} className="rounded-md border border-line p-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-mono text-xs">{run.id}</span>
        <span className="font-mono text-[11px] text-faint">{run.thread_id}</span>
        <span
          className={`ml-auto text-xs tabular-nums ${left !== null && left < 120 ? 'font-semibold text-status-danger' : 'text-muted'}`}
        >
          {left === null ? 'No expiry' : left === 0 ? 'Expiring now' : `${formatDuration(left)} left`}
        </span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            onOpenRun();
            navigate({ thread: run.thread_id, run: run.id });
          }}
        >
          Open run
        </Button>
      </div>
      {tools.length > 0 && <p className="mt-1 text-xs text-muted">Asks for {tools.join(', ')}</p>}
      {renderAnswer(run)}
    </li>
  );
}
