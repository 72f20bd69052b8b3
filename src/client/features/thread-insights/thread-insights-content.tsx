import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Run } from '../../../shared/openai-types';
import { isActiveStatus } from '../../../shared/openai-types';
import { runQueries } from '../../api/run-queries';
import { useNow } from '../../hooks/use-now';
import { ErrorState } from '../../ui/error-state';
import { formatCount } from '../../lib/run-vocabulary';
import { RunsOverTime } from './runs-over-time';
import { StatusSwatch } from './status-swatch';
import { buildTimeline, statusMix } from './thread-insights';
import { ThreadRunsTimeline } from './thread-runs-timeline';
import { ThreadStatusMix } from './thread-status-mix';
import { ThreadTokenUsage } from './thread-token-usage';

/** One row per run is readable up to this many runs; beyond, the runs-over-time chart tells the story. */
const TIMELINE_MAX_RUNS = 100;
const NO_RUNS: Run[] = [];

/**
 * Insights over a thread, or every thread (`threadId` null): the status mix and the token sums over all its runs
 * (the server's counts and usage sums), the runs over time (the server's time series), and, for up to 100 runs, a
 * timeline of each run (the table's unfiltered list: the same cache entry).
 */
export default function ThreadInsightsContent({ threadId }: { threadId: string | null }) {
  const scope = useMemo(() => (threadId ? { threadId } : {}), [threadId]);
  const runsWindow = useQuery(runQueries.list(scope));
  const counts = useQuery(runQueries.counts(scope));
  const usage = useQuery(runQueries.usage(scope));
  const runs = runsWindow.data?.runs ?? NO_RUNS;
  const hasActive = runs.some((run) => isActiveStatus(run.status));
  const now = useNow(hasActive ? 1_000 : 60_000);
  const newest = useMemo(() => runs.slice(0, TIMELINE_MAX_RUNS), [runs]);
  const timeline = useMemo(() => buildTimeline(newest, Math.floor(now / 1000)), [newest, now]);
  const mix = useMemo(() => (counts.data ? statusMix(counts.data.by_status) : []), [counts.data]);
  const legend = useMemo(() => mix.map((entry) => entry.status), [mix]);

  const failed = [runsWindow, counts, usage].find((query) => query.error);
  if (failed?.error && !(runsWindow.data && counts.data && usage.data))
    return (
      <ErrorState
        title="Cannot load the insights"
        error={failed.error}
        onRetry={() => void Promise.all([runsWindow.refetch(), counts.refetch(), usage.refetch()])}
      />
    );
  if (!runsWindow.data || !counts.data || !usage.data)
    return <p className="py-6 text-center text-muted">Loading the runs…</p>;
  const total = counts.data.total;
  if (total === 0)
    return (
      <p role="status" className="py-6 text-center text-muted">
        {threadId ? 'No runs in this thread yet.' : 'No runs yet.'}
      </p>
    );

  return (
    <div className="flex flex-col gap-5">
      <section aria-labelledby="insights-status-mix">
        <h3
          id="insights-status-mix"
          className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase"
        >
          Status mix · {formatCount(total)} run{total === 1 ? '' : 's'}
        </h3>
        <ThreadStatusMix mix={mix} />
      </section>
      <section aria-labelledby="insights-tokens">
        <h3 id="insights-tokens" className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">
          Tokens
        </h3>
        <ThreadTokenUsage usage={usage.data} />
      </section>
      <section aria-labelledby="insights-over-time">
        <h3 id="insights-over-time" className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">
          Runs over time
        </h3>
        <RunsOverTime scope={scope} />
      </section>
      {total > TIMELINE_MAX_RUNS ? (
        <p className="text-[11px] text-muted">
          The per-run timeline shows for {TIMELINE_MAX_RUNS} runs or fewer; with {formatCount(total)} it would
          be one sliver per run.
        </p>
      ) : (
        <section aria-labelledby="insights-timeline">
          <h3
            id="insights-timeline"
            className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase"
          >
            Timeline
          </h3>
          <p className="mb-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-[11px] text-muted">
            <span className="flex items-center gap-1">
              <span aria-hidden="true" className="inline-block h-2.5 w-4 rounded-sm bg-fg opacity-35" /> queue
              time
            </span>
            <span className="flex items-center gap-1">
              <span aria-hidden="true" className="inline-block h-2.5 w-4 rounded-sm bg-fg" /> run time
            </span>
            {legend.map((status) => (
              <span key={status} className="flex items-center gap-1">
                <StatusSwatch status={status} />
              </span>
            ))}
          </p>
          <ThreadRunsTimeline timeline={timeline} />
        </section>
      )}
    </div>
  );
}
