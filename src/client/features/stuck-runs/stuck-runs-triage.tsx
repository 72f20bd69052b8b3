import { lazy, Suspense, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import { useActiveRunsAcross } from '../../api/active-runs-queries';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { activeRunsByAge } from './triage-order';

// The dialog's contents load when it is first opened; the header count stays in the initial bundle.
const StuckRunsTriageList = lazy(() => import('./stuck-runs-triage-list'));

/** The act feature's cancel mutation, passed in by the app so both cancel the same way. */
export type CancelRunMutation = () => { mutateAsync: (run: Run) => Promise<unknown> };

export interface StuckRunsTriageProps {
  threadIds: readonly string[];
  /** One run's cancel control (with its own confirmation), composed by the app. */
  renderCancel: (run: Run) => ReactNode;
  useCancelRun: CancelRunMutation;
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
          <Suspense fallback={<p className="py-6 text-center text-muted">Loading the triage…</p>}>
            <StuckRunsTriageList
              runs={runs}
              loaded={active.loaded}
              renderCancel={renderCancel}
              useCancelRun={useCancelRun}
              onOpenRun={() => setOpen(false)}
            />
          </Suspense>
        )}
      </Dialog>
    </>
  );
}
