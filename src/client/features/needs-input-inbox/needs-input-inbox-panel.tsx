import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { QueryCoverage } from '../../../shared/runs-query-types';
import { useThreadLabel } from '../../api/use-thread-label';
import { runQueries } from '../../api/run-queries';
import { CoverageNotice } from '../../ui/coverage-notice';
import { useNavigate } from '../../hooks/use-view-state';
import { formatCount, statusPhrase } from '../../lib/run-vocabulary';
import { viewHref, EMPTY_VIEW } from '../../lib/view-state';
import { Button } from '../../ui/button';
import { StatusBadge } from '../../ui/status-badge';
import { ThreadName } from '../../ui/thread-name';
import { departedRuns } from './inbox-entries';
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

/** How many "no longer waiting" notices the inbox keeps, newest first. */
const MAX_DEPARTED = 5;
type RunRef = Pick<Run, 'id' | 'thread_id'>;

/**
 * The inbox dialog's contents, loaded when it is first opened. The first answer box takes the focus when the inbox
 * opens (the notification setting is after the list). A run that leaves the inbox while it is open (answered here or
 * elsewhere, expired, cancelled) leaves a notice saying what it is now, with a link to it.
 */
export default function NeedsInputInboxPanel({
  waiting,
  total,
  coverage,
  loaded,
  error,
  notifications,
  renderAnswer,
}: NeedsInputInboxPanelProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const departed = useDeparted(waiting);
  const focusedFirst = useRef(false);
  useEffect(() => {
    if (focusedFirst.current || waiting.length === 0) return;
    const field = listRef.current?.querySelector<HTMLElement>('textarea, input:not([type=checkbox])');
    if (!field) return;
    focusedFirst.current = true;
    field.focus();
  }, [waiting.length]);

  return (
    <>
      {departed.length > 0 && (
        <ul aria-label="No longer waiting" className="mb-3 flex flex-col gap-1.5">
          {departed.map((run, index) => (
            <DepartedNotice key={run.id} run={run} takeFocus={index === 0} />
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="mb-2 rounded-md bg-status-warning-soft p-2 text-xs">
          Could not read the waiting runs: {error.message}
        </p>
      )}
      <CoverageNotice coverage={coverage} className="mb-2 rounded-md" />
      {total > waiting.length && (
        <p role="status" className="mb-2 text-xs text-muted">
          Showing {formatCount(waiting.length)} of {formatCount(total)} waiting runs (the oldest); the home
          view lists them all.
        </p>
      )}
      {waiting.length === 0 ? (
        <p role="status" className="py-6 text-center text-muted">
          {loaded ? 'No run needs input.' : error ? 'Nothing to show.' : 'Looking at the threads…'}
        </p>
      ) : (
        <ol ref={listRef} aria-label="Runs that need input" className="flex flex-col gap-3">
          {waiting.map((run) => (
            <InboxEntry key={run.id} run={run} renderAnswer={renderAnswer} />
          ))}
        </ol>
      )}
      <label className="mt-3 flex items-center gap-2 text-xs text-muted">
        <input type="checkbox" checked={notifications.enabled} onChange={notifications.toggle} />
        Desktop notification when a run starts waiting
        {notifications.enabled && notifications.permission === 'denied' && (
          <span role="status" className="text-status-warning">
            (blocked by the browser: allow notifications for this site)
          </span>
        )}
        {notifications.permission === 'unsupported' && <span>(not supported by this browser)</span>}
      </label>
    </>
  );
}

/** The runs that were in the inbox and left it while it was open, newest first (ids only: the runs are queried). */
function useDeparted(waiting: readonly Run[]): RunRef[] {
  const [departed, setDeparted] = useState<RunRef[]>([]);
  const previous = useRef<readonly Run[]>(waiting);
  useEffect(() => {
    const gone = departedRuns(previous.current, waiting);
    previous.current = waiting;
    if (gone.length === 0) return;
    setDeparted((shown) =>
      [
        ...gone.map(({ id, thread_id }) => ({ id, thread_id })),
        ...shown.filter((run) => !gone.some((each) => each.id === run.id)),
      ].slice(0, MAX_DEPARTED),
    );
  }, [waiting]);
  return departed;
}

/** "run_… is in progress · Open run": what became of a run that left the inbox (kept current by the change feed). */
function DepartedNotice({ run, takeFocus }: { run: RunRef; takeFocus: boolean }) {
  const navigate = useNavigate();
  const current = useQuery(runQueries.detail(run.thread_id, run.id)).data?.run;
  const linkRef = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    // The answered run's form is gone with the focus in it: the notice's link is where the next step is.
    if (takeFocus && (document.activeElement === document.body || document.activeElement === null))
      linkRef.current?.focus();
  }, [takeFocus]);
  const href = viewHref({ ...EMPTY_VIEW, thread: run.thread_id, run: run.id });
  return (
    <li
      role="status"
      className="flex flex-wrap items-center gap-x-2 gap-y-1 rounded-md bg-status-success-soft px-2 py-1.5 text-xs"
    >
      <span>
        No longer waiting: <span className="font-mono">{run.id}</span>{' '}
        {current ? statusPhrase(current.status) : 'is being looked up'}
      </span>
      {current && <StatusBadge status={current.status} />}
      <a
        ref={linkRef}
        href={href}
        className="ml-auto font-medium text-accent underline-offset-2 hover:underline"
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          navigate({ thread: run.thread_id, run: run.id, dialog: null });
        }}
      >
        Open run
      </a>
    </li>
  );
}

function InboxEntry({ run, renderAnswer }: { run: Run; renderAnswer: (run: Run) => ReactNode }) {
  const navigate = useNavigate();
  const threadLabel = useThreadLabel(run.thread_id);
  const tools = run.required_action?.submit_tool_outputs.tool_calls.map((call) => call.function.name) ?? [];
  return (
    <li aria-label={`Run ${run.id}`} className="rounded-md border border-line p-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <ThreadName threadId={run.thread_id} label={threadLabel} />
        <span className="font-mono text-xs">{run.id}</span>
        <Button
          size="sm"
          variant="ghost"
          className="ml-auto"
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
