import { lazy, Suspense, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import { useActiveRunsAcross } from '../../api/active-runs-queries';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { waitingRunsByTimeLeft } from './inbox-entries';
import { useNeedsInputSignals } from './use-needs-input-signals';
import { useWaitingNotifications } from './use-waiting-notifications';

// The dialog's contents load when it is first opened; the header count stays in the initial bundle.
const NeedsInputInboxPanel = lazy(() => import('./needs-input-inbox-panel'));

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
        <Suspense fallback={<p className="py-6 text-center text-muted">Loading the inbox…</p>}>
          <NeedsInputInboxPanel
            waiting={waiting}
            loaded={active.loaded}
            errors={active.errors}
            notifications={notifications}
            renderAnswer={renderAnswer}
            onOpenRun={() => setOpen(false)}
          />
        </Suspense>
      </Dialog>
    </>
  );
}
