import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { RunsQuery } from '../../../shared/runs-query-types';
import { runQueries } from '../../api/run-queries';
import { useDialogInUrl } from '../../hooks/use-view-state';
import { formatCount, NEEDS_INPUT_STATUSES } from '../../lib/run-vocabulary';
import { HeaderCountButton } from '../../ui/header-count-button';
import { Dialog } from '../../ui/dialog';
import { waitingRunsByTimeLeft } from './inbox-entries';
import { useNeedsInputSignals } from './use-needs-input-signals';
import { useWaitingNotifications } from './use-waiting-notifications';

// The dialog's contents load when it is first opened; the header count stays in the initial bundle.
const NeedsInputInboxPanel = lazy(() => import('./needs-input-inbox-panel'));
// Desktop notifications are sent by code loaded only while they are on.
const WaitingNotifier = lazy(() => import('./waiting-notifier'));

/** Every run waiting for tool outputs, in every thread, asked of the server (the change feed keeps it current). */
const WAITING: RunsQuery = { statuses: [...NEEDS_INPUT_STATUSES], sort: { field: 'created', desc: false } };
const NO_RUNS: Run[] = [];

export interface NeedsInputInboxProps {
  /** The tool-outputs form for one waiting run, composed by the app. */
  renderAnswer: (run: Run) => ReactNode;
}

/**
 * A header button with the number of runs waiting for tool outputs across threads; it opens the inbox, where each
 * run, soonest to expire first, can be answered in place. The count also goes to the tab's title and favicon.
 */
export function NeedsInputInbox({ renderAnswer }: NeedsInputInboxProps) {
  const list = useQuery(runQueries.list(WAITING));
  const runs = list.data?.runs ?? NO_RUNS;
  const waiting = useMemo(() => waitingRunsByTimeLeft(runs), [runs]);
  const total = list.data?.total ?? 0;
  const dialog = useDialogInUrl('inbox');
  const notifications = useWaitingNotifications();
  useNeedsInputSignals(total);

  return (
    <>
      {notifications.notifying && (
        <Suspense fallback={null}>
          <WaitingNotifier waiting={waiting} />
        </Suspense>
      )}
      <HeaderCountButton
        label={`Needs input: ${formatCount(total)} run${total === 1 ? '' : 's'} waiting for tool outputs`}
        count={total}
        highlighted={total > 0}
        onClick={dialog.show}
      >
        {/* A phone's one-row header has room for the count and the Needs input mark only (the name is the label). */}
        <span aria-hidden="true" className="sm:hidden">
          ◆
        </span>
        <span className="max-sm:hidden">Needs input</span>
      </HeaderCountButton>
      <Dialog
        open={dialog.open}
        onClose={dialog.close}
        size="lg"
        title="Needs input"
        description="Runs waiting for tool outputs in every thread, the one expiring soonest first."
      >
        <Suspense fallback={<p className="py-6 text-center text-muted">Loading the inbox…</p>}>
          <NeedsInputInboxPanel
            waiting={waiting}
            total={total}
            coverage={list.data?.coverage}
            loaded={list.data !== undefined}
            error={list.data ? null : list.error}
            notifications={notifications}
            renderAnswer={renderAnswer}
          />
        </Suspense>
      </Dialog>
    </>
  );
}
