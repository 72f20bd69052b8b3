import { useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { QueryCoverage } from '../../../shared/runs-query-types';
import { CoverageNotice } from '../../ui/coverage-notice';
import { useNow } from '../../hooks/use-now';
import { useNavigate } from '../../hooks/use-view-state';
import { formatMoment, toIsoTime } from '../../lib/format-time';
import { cx } from '../../ui/cx';
import { useTimeFormat } from '../../hooks/use-time-format';
import { Button } from '../../ui/button';
import { useCancelRun } from '../../api/use-cancel-run';
import { useThreadLabel } from '../../api/use-thread-label';
import { StatusBadge } from '../../ui/status-badge';
import { ThreadName } from '../../ui/thread-name';
import { formatCount, isStuck, STUCK_AFTER_MINUTES } from '../../lib/run-vocabulary';
import { Dialog } from '../../ui/dialog';
import { cancellableSelection } from './triage-order';

interface BulkResult {
  cancelled: number;
  failures: { runId: string; message: string }[];
}

type TriageListProps = Parameters<typeof TriageList>[0];

/** The triage dialog (loaded when it is first opened, open while mounted): the runs, one cancel each, bulk cancel. */
export default function StuckRunsTriageDialog({
  onClose,
  ...listProps
}: TriageListProps & { onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      size="xl"
      title="Active runs"
      description={`Active runs (queued, in progress, needs input, cancelling) in every thread, oldest first. Stuck: queued, in progress or cancelling for over ${STUCK_AFTER_MINUTES} minutes (a run waiting for input is not stuck).`}
    >
      <TriageList {...listProps} />
    </Dialog>
  );
}

function TriageList({
  runs,
  total,
  coverage,
  loaded,
  error,
  renderCancel,
}: {
  runs: Run[];
  /** Active runs in all (the list holds the oldest ones when there are very many). */
  total: number;
  coverage: QueryCoverage | undefined;
  loaded: boolean;
  error: Error | null;
  renderCancel: (run: Run) => ReactNode;
}) {
  const now = useNow();
  const [timeFormat] = useTimeFormat();
  const navigate = useNavigate();
  const cancel = useCancelRun();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<BulkResult | null>(null);
  const toCancel = cancellableSelection(runs, selected);

  function toggle(runId: string) {
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(runId)) next.delete(runId);
      else next.add(runId);
      return next;
    });
    setResult(null);
  }

  async function cancelSelected() {
    setPending(true);
    const outcome: BulkResult = { cancelled: 0, failures: [] };
    // One at a time: each cancel holds and restores its thread's polls, which parallel requests would interleave.
    for (const run of toCancel) {
      try {
        await cancel.mutateAsync(run);
        outcome.cancelled += 1;
      } catch (error) {
        outcome.failures.push({
          runId: run.id,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    setPending(false);
    setConfirming(false);
    setSelected(new Set());
    setResult(outcome);
  }

  if (runs.length === 0 && !result) {
    return (
      <p role={error ? 'alert' : 'status'} className="py-6 text-center text-muted">
        {error
          ? `Could not read the active runs: ${error.message}`
          : loaded
            ? 'No active run in any thread.'
            : 'Looking at the threads…'}
      </p>
    );
  }

  return (
    <div className="flex flex-col gap-3">
      <CoverageNotice coverage={coverage} className="rounded-md" />
      {total > runs.length && (
        <p role="status" className="text-xs text-muted">
          Showing the {formatCount(runs.length)} oldest of {formatCount(total)} active runs.
        </p>
      )}
      {result && (
        <p role="status" className="rounded-md border border-line bg-raised p-2 text-xs">
          {result.cancelled} run{result.cancelled === 1 ? '' : 's'} asked to cancel.
          {result.failures.map((failure) => (
            <span key={failure.runId} className="block text-status-danger">
              {failure.runId} was not cancelled: {failure.message}
            </span>
          ))}
        </p>
      )}
      <div className="overflow-x-auto">
        <table aria-label="Active runs" className="w-full text-xs">
          <thead className="text-left text-muted">
            <tr>
              <th className="w-6 py-1">
                <span className="sr-only">Select</span>
              </th>
              <th className="py-1">Run</th>
              <th className="py-1 max-sm:sr-only">Status</th>
              <th className="py-1 pl-2 text-right">{timeFormat === 'absolute' ? 'Since' : 'Age'}</th>
              <th className="py-1">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} className="border-t border-line">
                <td className="py-1.5">
                  <input
                    type="checkbox"
                    aria-label={`Select ${run.id}`}
                    checked={selected.has(run.id)}
                    disabled={run.status === 'cancelling' || pending}
                    onChange={() => toggle(run.id)}
                  />
                </td>
                {/* On a phone the run takes the room Since and Cancel leave (its thread's name is cut to it). */}
                <td className="py-1.5 max-sm:w-full max-sm:max-w-0">
                  <button
                    type="button"
                    className="block text-left font-mono break-all text-accent hover:underline"
                    onClick={() => navigate({ thread: run.thread_id, run: run.id, dialog: null })}
                  >
                    {run.id}
                  </button>
                  <TriageThreadName threadId={run.thread_id} />
                  {/* Below 640 px the status sits under the run (its column would push Age and Cancel out). */}
                  <StatusBadge status={run.status} className="mt-0.5 sm:hidden" />
                </td>
                <td className="py-1.5 max-sm:hidden">
                  <StatusBadge status={run.status} />
                </td>
                <td
                  className={cx(
                    'py-1.5 pl-2 text-right tabular-nums',
                    // An age fits on one line; a date, time and zone go on two on a phone.
                    timeFormat === 'absolute' ? 'max-sm:min-w-24' : 'whitespace-nowrap',
                  )}
                >
                  <time dateTime={toIsoTime(run.created_at)}>
                    {formatMoment(run.created_at, timeFormat, now, 'span')}
                  </time>
                  {isStuck(run, now) && (
                    <span className="ml-1 rounded bg-status-danger-soft px-1 text-[11px] font-semibold text-status-danger max-sm:ml-0 max-sm:block max-sm:w-fit max-sm:justify-self-end">
                      stuck
                    </span>
                  )}
                </td>
                <td className="py-1.5 pl-2 text-right">{renderCancel(run)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirming ? (
        <div
          role="group"
          aria-label="Confirm bulk cancel"
          className="rounded-md border border-status-danger/30 bg-status-danger-soft p-3"
        >
          <p className="mb-2">
            Cancel {toCancel.length} run{toCancel.length === 1 ? '' : 's'}? Each moves to cancelling, then
            cancelled; work already done stays.
          </p>
          <div className="flex justify-end gap-2">
            <Button disabled={pending} onClick={() => setConfirming(false)}>
              Keep running
            </Button>
            <Button
              variant="danger"
              disabled={pending || toCancel.length === 0}
              onClick={() => void cancelSelected()}
            >
              {pending ? 'Cancelling…' : `Cancel ${toCancel.length} run${toCancel.length === 1 ? '' : 's'}`}
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex items-center justify-between gap-2">
          <Button
            size="sm"
            variant="ghost"
            onClick={() =>
              setSelected(new Set(runs.filter((run) => run.status !== 'cancelling').map((run) => run.id)))
            }
          >
            Select all
          </Button>
          <Button variant="danger" disabled={toCancel.length === 0} onClick={() => setConfirming(true)}>
            Cancel selected ({toCancel.length})
          </Button>
        </div>
      )}
    </div>
  );
}

function TriageThreadName({ threadId }: { threadId: string }) {
  return (
    <ThreadName
      threadId={threadId}
      label={useThreadLabel(threadId)}
      className="flex max-w-full overflow-hidden text-[11px]"
    />
  );
}
