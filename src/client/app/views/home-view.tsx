import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run, RunStatus } from '../../../shared/openai-types';
import type { RunsQuery } from '../../../shared/runs-query-types';
import { runQueries } from '../../api/run-queries';
import { useProxyScope } from '../../api/use-proxy-scope';
import { backendNow } from '../../lib/backend-clock';
import { DEFAULT_SORT } from '../../lib/run-columns';
import { ACTIVE_STATUSES, FAILED_STATUSES, NEEDS_INPUT_STATUSES } from '../../lib/run-vocabulary';
import { EMPTY_VIEW, serializeViewState } from '../../lib/view-state';
import type { RunsSort, ViewState } from '../../lib/view-state';
import { CoverageNotice } from '../../ui/coverage-notice';
import { ProxyScopeNote } from '../../ui/proxy-scope-note';
import { RunsListView } from '../../features/runs-table/runs-list-view';
import { RunsTable } from '../../features/runs-table/runs-table';
import { ROW_HEIGHT } from '../../features/runs-table/runs-table-row';
import type { RunsViewSlots } from './runs-view';
import type { ColumnVisibility } from '../../features/runs-table/use-column-visibility';
import { toQuerySort } from '../../features/runs-table/use-runs-list';
import { useViewRuns } from '../../features/runs-table/use-view-runs';

const DAY_SECONDS = 86_400;
const ALL_THREADS_QUERY: RunsQuery = {};
const HOME_VISIBLE: ColumnVisibility = { thread: true };
/** Rows a section shows (no scrolling inside the page): the rest is a "View all" away, in the All runs list. */
const SECTION_ROWS = 5;

/** What a section's "View all" sets on the All runs list: the section's own filter. */
type SectionFilter = Pick<ViewState, 'statuses' | 'createdAfter'>;

/**
 * The landing view across every thread: runs waiting for tool outputs first, then the active ones, then the
 * failures of the last day, then every run (filterable, sortable, searchable like a thread's). Each in the runs table.
 */
export function HomeView({
  renderRowActions,
  renderViewActions,
}: Omit<RunsViewSlots, 'renderThreadActions'>) {
  const { navigate, answer, listProps, viewActionsInput } = useViewRuns(ALL_THREADS_QUERY, HOME_VISIBLE);
  const { columnVisibility } = listProps;
  // Proxy mode: the runs are those of the threads seen through the proxy, not every run upstream.
  const scope = useProxyScope();
  // The day is taken once, so the section's query (and its cache entry) does not change with every render.
  const [dayAgo] = useState(() => Math.floor(backendNow() / 1000) - DAY_SECONDS);
  const sections = useMemo(
    () => [
      {
        id: 'needs-input',
        title: 'Needs input',
        query: {
          statuses: [...NEEDS_INPUT_STATUSES],
          sort: { field: 'created', desc: false },
        } satisfies RunsQuery,
      },
      {
        id: 'active',
        title: 'Active',
        query: {
          statuses: [...ACTIVE_STATUSES],
          sort: { field: 'created', desc: false },
        } satisfies RunsQuery,
      },
      {
        id: 'failures',
        title: 'Failed in the last 24 hours',
        query: { statuses: [...FAILED_STATUSES], createdAfter: dayAgo } satisfies RunsQuery,
        // Into the list filtered the same way: failed, created since the same moment (a chip there removes it).
        viewAllLabel: 'View all failed',
      },
    ],
    [dayAgo],
  );

  // A run opens in its thread's view, with the run panel; the home view goes away with the focus, which lands on
  // the panel once it shows (its code may still be loading).
  const openRun = useCallback(
    (run: Run) => {
      navigate({
        thread: run.thread_id,
        run: run.id,
        statuses: [],
        createdAfter: null,
        search: '',
        sort: null,
      });
      focusWhenShown('[data-focus-target="run-panel"]');
    },
    [navigate],
  );
  const onOpenInAll = useCallback(
    (runId: string) => {
      const run = answer.data?.runs.find((candidate) => candidate.id === runId);
      if (run) openRun(run);
    },
    [answer.data, openRun],
  );
  // "View all": the All runs list below, filtered as the section is (statuses, time bound), in view.
  const viewAll = useCallback(
    (filter: SectionFilter) => {
      navigate({ ...filter, search: '', sort: null });
      document.getElementById('home-all-runs')?.scrollIntoView({ block: 'start' });
    },
    [navigate],
  );

  return (
    <div className="flex min-h-0 flex-1 flex-col overflow-y-auto">
      <div className="border-b border-line bg-surface px-3 py-2">
        <h1 className="text-sm font-semibold">All threads</h1>
        {scope ? (
          <ProxyScopeNote scope={scope} />
        ) : (
          <p className="text-xs text-muted">
            Every run on this server: what waits for you first. Open a thread from the threads list for its
            own view.
          </p>
        )}
      </div>
      {sections.map((section) => (
        <RunsSection
          key={section.id}
          id={section.id}
          title={section.title}
          query={section.query as RunsQuery}
          viewAllLabel={('viewAllLabel' in section && section.viewAllLabel) || 'View all'}
          onViewAll={viewAll}
          columnVisibility={columnVisibility}
          onOpenRun={openRun}
          renderRowActions={renderRowActions}
        />
      ))}
      <section
        aria-labelledby="home-all-runs"
        className="flex min-h-[32rem] flex-1 flex-col border-t border-line"
      >
        <div className="flex items-center gap-3 bg-surface px-3 py-2">
          <h2 id="home-all-runs" className="text-xs font-semibold tracking-wide text-muted uppercase">
            All runs
          </h2>
          <div className="ml-auto flex items-center gap-2">{renderViewActions?.(viewActionsInput)}</div>
        </div>
        <RunsListView
          {...listProps}
          onOpen={onOpenInAll}
          renderRowActions={renderRowActions}
          errorTitle="Cannot load the runs"
          empty={{
            title: 'No runs yet',
            body: (
              <>
                Start a run with the SDK (<code className="font-mono">client.beta.threads.runs.create</code>)
                against this server, or create a thread in the threads list.
              </>
            ),
          }}
        />
      </section>
    </div>
  );
}

/** Focuses the element once it is in the page, looking for it each frame for up to 3 seconds. */
function focusWhenShown(selector: string) {
  const until = performance.now() + 3_000;
  const look = () => {
    const element = document.querySelector<HTMLElement>(selector);
    if (element) element.focus();
    else if (performance.now() < until) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

const NO_RUNS: Run[] = [];

/** One of the home view's short lists: its title with how many runs it holds in all, and those runs. */
function RunsSection({
  id,
  title,
  query: baseQuery,
  viewAllLabel,
  onViewAll,
  columnVisibility,
  onOpenRun,
  renderRowActions,
}: {
  id: string;
  title: string;
  query: RunsQuery;
  viewAllLabel: string;
  onViewAll: (filter: SectionFilter) => void;
  columnVisibility: ColumnVisibility;
  onOpenRun: (run: Run) => void;
  renderRowActions?: (run: Run) => ReactNode;
}) {
  // The section's own sort, asked of the server like the main table's (not kept in the URL).
  const [sort, setSort] = useState<RunsSort | null>(null);
  const query = useMemo<RunsQuery>(
    () => ({ ...baseQuery, ...(toQuerySort(sort) ? { sort: toQuerySort(sort) } : {}) }),
    [baseQuery, sort],
  );
  const list = useQuery(runQueries.list(query));
  const allRuns = list.data?.runs ?? NO_RUNS;
  const runs = useMemo(() => allRuns.slice(0, SECTION_ROWS), [allRuns]);
  const onOpen = useCallback(
    (runId: string) => {
      const run = runs.find((candidate) => candidate.id === runId);
      if (run) onOpenRun(run);
    },
    [runs, onOpenRun],
  );
  const total = list.data?.total;
  const statuses = (baseQuery.statuses ?? []) as RunStatus[];
  const defaultSort = useMemo(
    () => (baseQuery.sort ? { id: baseQuery.sort.field, desc: baseQuery.sort.desc } : DEFAULT_SORT),
    [baseQuery.sort],
  );
  // Exactly its rows (the headers are for screen readers only): nothing scrolls inside the page.
  const height = runs.length * ROW_HEIGHT + 2;
  const filter: SectionFilter = { statuses, createdAfter: baseQuery.createdAfter ?? null };
  const viewAllHref = serializeViewState({ ...EMPTY_VIEW, ...filter });

  return (
    <section
      aria-labelledby={`home-${id}`}
      className="flex flex-col border-t border-line first-of-type:border-t-0"
    >
      <div className="flex flex-wrap items-center gap-x-2 bg-surface px-3 py-1.5 text-xs">
        <h2
          id={`home-${id}`}
          className="flex items-center gap-2 font-semibold tracking-wide text-muted uppercase"
        >
          {title}
          <span className="rounded bg-raised px-1.5 tabular-nums normal-case">
            {total === undefined ? '…' : total.toLocaleString('en')}
          </span>
        </h2>
        {total !== undefined && total > runs.length && (
          <span className="ml-auto flex items-center gap-2 text-muted">
            <span className="tabular-nums">
              {runs.length} of {total.toLocaleString('en')} shown
            </span>
            <a
              href={viewAllHref}
              className="font-medium text-accent hover:underline"
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onViewAll(filter);
              }}
            >
              {viewAllLabel}
            </a>
          </span>
        )}
      </div>
      <CoverageNotice coverage={list.data?.coverage} />
      {list.isError && !list.data ? (
        <p role="alert" className="px-3 pb-2 text-xs text-status-danger">
          Cannot load these runs: {list.error.message}
        </p>
      ) : list.data && runs.length === 0 ? (
        <p className="px-3 pb-2 text-xs text-faint">None.</p>
      ) : list.data ? (
        <div className="flex flex-col" style={{ height }}>
          <RunsTable
            label={title}
            runs={runs}
            filterKey={statuses.join(',')}
            sort={sort}
            onSortChange={setSort}
            defaultSort={defaultSort}
            statuses={statuses}
            columnVisibility={columnVisibility}
            noteLeftOut={false}
            headerHidden
            onOpen={onOpen}
            renderRowActions={renderRowActions}
          />
        </div>
      ) : (
        <p className="px-3 pb-2 text-xs text-faint">Loading…</p>
      )}
    </section>
  );
}
