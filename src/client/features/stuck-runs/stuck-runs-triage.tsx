import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { RunsQuery } from '../../../shared/runs-query-types';
import { runQueries } from '../../api/run-queries';
import { useDialogInUrl } from '../../hooks/use-view-state';
import { useNow } from '../../hooks/use-now';
import { HeaderCountButton } from '../../ui/header-count-button';
import {
  ACTIVE_STATUSES,
  formatCount,
  isStuck,
  STUCK_AFTER_MINUTES,
  STUCK_STATUSES,
} from '../../lib/run-vocabulary';
import { activeRunsByAge } from './triage-order';

// The dialog loads when it is first opened; the header count stays in the initial bundle.
const StuckRunsTriageDialog = lazy(() => import('./stuck-runs-triage-list'));

/** Every active run in every thread, oldest first, asked of the server (the change feed keeps it current). */
const ACTIVE: RunsQuery = { statuses: [...ACTIVE_STATUSES], sort: { field: 'created', desc: false } };
const NO_RUNS: Run[] = [];

export interface StuckRunsTriageProps {
  /** One run's cancel control (with its own confirmation), composed by the app. */
  renderCancel: (run: Run) => ReactNode;
}

/**
 * A header button with the number of active runs across threads (and how many of the loaded ones look stuck); it
 * opens the triage list with bulk cancel.
 */
export function StuckRunsTriage({ renderCancel }: StuckRunsTriageProps) {
  const list = useQuery(runQueries.list(ACTIVE));
  const loadedRuns = list.data?.runs ?? NO_RUNS;
  const runs = useMemo(() => activeRunsByAge(loadedRuns), [loadedRuns]);
  const total = list.data?.total ?? 0;
  const now = useNow(5_000);
  const stuck = useStuckCount(runs, total, now);
  const dialog = useDialogInUrl('triage');
  return (
    <>
      <HeaderCountButton
        label={`Active runs: ${formatCount(total)}${stuck > 0 ? `, ${formatCount(stuck)} stuck` : ''}`}
        count={total}
        alarm={stuck > 0 ? `${formatCount(stuck)} stuck` : null}
        onClick={dialog.show}
      >
        Active<span className="max-sm:hidden"> runs</span>
      </HeaderCountButton>
      {dialog.open && (
        <Suspense fallback={null}>
          <StuckRunsTriageDialog
            onClose={dialog.close}
            runs={runs}
            total={total}
            coverage={list.data?.coverage}
            loaded={list.data !== undefined}
            error={list.data ? null : list.error}
            renderCancel={renderCancel}
          />
        </Suspense>
      )}
    </>
  );
}

/**
 * How many active runs are stuck: counted on the loaded runs while they are all of them (live, to the second); when
 * there are more than a list holds, asked of the server (runs per status created before the threshold, its time
 * taken to the minute so the query changes once a minute), so the header never counts only the oldest page.
 */
function useStuckCount(loaded: readonly Run[], total: number, nowMs: number): number {
  const allLoaded = total <= loaded.length;
  const createdBefore = Math.floor(nowMs / 60_000) * 60 - STUCK_AFTER_MINUTES * 60;
  const older = useQuery({ ...runQueries.counts({ createdBefore }), enabled: !allLoaded });
  if (allLoaded || !older.data) return loaded.filter((run) => isStuck(run, nowMs)).length;
  return STUCK_STATUSES.reduce((sum, status) => sum + older.data.by_status[status], 0);
}
