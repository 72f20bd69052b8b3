import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import { useActiveRunsAcross } from '../../api/active-runs-queries';
import { useNow } from '../../hooks/use-now';
import { useViewState } from '../../hooks/use-view-state';
import { formatDuration } from '../../lib/format-duration';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { StatusBadge } from '../../ui/status-badge';
import { activeRunsByAge, ageSeconds, cancellableSelection } from './triage-order';

/** The act feature's cancel mutation, passed in by the app so both cancel the same way. */
export type CancelRunMutation = () => { mutateAsync: (run: Run) => Promise<unknown> };

export interface StuckRunsTriageProps {
  threadIds: readonly string[];
  /** One run's cancel control (with its own confirmation), composed by the app. */
  renderCancel: (run: Run) => ReactNode;
  useCancelRun: CancelRunMutation;
}

interface BulkResult {
  cancelled: number;
  failures: { runId: string; message: string }[];
}

/** A header button with the number of active runs across threads; it opens the triage list with bulk cancel. */
export function StuckRunsTriage({ threadIds, renderCancel, useCancelRun }: StuckRunsTriageProps) {
  const active = useActiveRunsAcross(threadIds);
  const runs = useMemo(() => activeRunsByAge(active.runs), [active.runs]);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Active runs: ${runs.length}`}
        onClick={() => setOpen(true)}
      >
        Active runs
        <span className="rounded-full bg-raised px-1.5 text-[11px] font-semibold tabular-nums">
          {runs.length}
        </span>
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        size="lg"
        title="Active runs"
        description="Every queued, in-progress, waiting or cancelling run across threads, the oldest first."
      >
        {open && (
          <TriageList
            runs={runs}
            loaded={active.loaded}
            renderCancel={renderCancel}
            useCancelRun={useCancelRun}
            onOpenRun={() => setOpen(false)}
          />
        )}
      </Dialog>
    </>
  );
}

function TriageList({
  runs,
  loaded,
  renderCancel,
  useCancelRun,
  onOpenRun,
}: {
  runs: Run[];
  loaded: boolean;
  renderCancel: (run: Run) => ReactNode;
  useCancelRun: CancelRunMutation;
  onOpenRun: () => void;
}) {
  const now = useNow();
  const [, navigate] = useViewState();
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
      <p role="status" className="py-6 text-center text-muted">
        {loaded ? 'No active run in any thread.' : 'Looking at the threads…'}
      </p>
    );
  }

  return (
    <div className="flex flex-col gap-3">
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
      <table aria-label="Active runs" className="w-full text-xs">
        <thead className="text-left text-muted">
          <tr>
            <th className="w-6 py-1">
              <span className="sr-only">Select</span>
            </th>
            <th className="py-1">Run</th>
            <th className="py-1">Status</th>
            <th className="py-1 text-right">Age</th>
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
              <td className="py-1.5">
                <button
                  type="button"
                  className="font-mono text-accent hover:underline"
                  onClick={() => {
                    onOpenRun();
                    navigate({ thread: run.thread_id, run: run.id });
                  }}
                >
                  {run.id}
                </button>
                <span className="block font-mono text-[10px] text-faint">{run.thread_id}</span>
              </td>
              <td className="py-1.5">
                <StatusBadge status={run.status} />
              </td>
              <td className="py-1.5 text-right tabular-nums">{formatDuration(ageSeconds(run, now))}</td>
              <td className="py-1.5 text-right">{renderCancel(run)}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
