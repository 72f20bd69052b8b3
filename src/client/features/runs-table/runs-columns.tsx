import { createColumnHelper } from '@tanstack/react-table';
import type { Run } from '../../../shared/openai-types';
import { isActiveStatus } from '../../../shared/openai-types';
import type { IndexedRun } from '../../../shared/runs-query-types';
import { cx } from '../../ui/cx';
import { backendNow } from '../../lib/backend-clock';
import { formatDuration } from '../../lib/format-duration';
import { formatTokens, formatTokensCompact } from '../../lib/format-tokens';
import { metadataText, outcomeText } from '../../../shared/run-text';
import { isRunSortField } from '../../../shared/run-sort-keys';
import { RUN_COLUMN_META } from '../../lib/run-columns';
import { runTiming } from '../../../shared/run-timing';
import { useNow } from '../../hooks/use-now';
import { CopyButton } from '../../ui/copy-button';
import { RelativeTime } from '../../ui/relative-time';
import { StatusBadge } from '../../ui/status-badge';
import { ThreadName } from '../../ui/thread-name';
import { useAssistantName } from './assistant-names';
import { useThreadLabel } from '../../api/use-thread-label';
import type { runsTableFeatures } from './runs-table-features';

const previewOf = (run: Run) => (run as IndexedRun).preview;

/** The outcome in a few words, for the run cell's second line when the Outcome column is not shown. */
function outcomeLine(run: Run): string | null | undefined {
  return outcomeText(run) || previewOf(run)?.output || previewOf(run)?.input;
}

const helper = createColumnHelper<typeof runsTableFeatures, Run>();

/**
 * A column's label, width and meta come from lib/run-columns.ts (one place for what the table knows of a column); it
 * offers sorting when the runs sort by it (a field of shared/run-sort-keys.ts). A computed column's value is its sort
 * key: TanStack reads it to offer sorting and to pick the first direction.
 */
const from = (columnId: string) => ({
  meta: RUN_COLUMN_META[columnId]!,
  enableSorting: isRunSortField(columnId),
});
const sortKeyOf = (columnId: string) => (run: Run) => RUN_COLUMN_META[columnId]!.sortKey(run, backendNow());

function AssistantCell({ assistantId }: { assistantId: string }) {
  const label = useAssistantName(assistantId);
  return (
    <span className="block truncate" title={assistantId}>
      {label}
    </span>
  );
}

function ThreadCell({ threadId }: { threadId: string }) {
  return <ThreadName threadId={threadId} label={useThreadLabel(threadId)} stacked />;
}

function DurationCell({ run }: { run: Run }) {
  return isActiveStatus(run.status) ? <TickingDuration run={run} /> : <DurationText run={run} now={0} />;
}

function TickingDuration({ run }: { run: Run }) {
  const now = useNow(1_000);
  return <DurationText run={run} now={now} />;
}

function DurationText({ run, now }: { run: Run; now: number }) {
  const timing = runTiming(run, now);
  if (timing.totalSeconds === null) return <span className="text-faint">—</span>;
  const parts = [
    timing.queueSeconds !== null ? `queued ${formatDuration(timing.queueSeconds)}` : null,
    timing.runSeconds !== null ? `ran ${formatDuration(timing.runSeconds)}` : null,
  ].filter(Boolean);
  return (
    <span className="flex flex-col leading-4" title={parts.join(', ')}>
      <span className="tabular-nums">{formatDuration(timing.totalSeconds)}</span>
      <span className="truncate text-[11px] text-faint tabular-nums">{parts.join(' · ')}</span>
    </span>
  );
}

export const runsColumns = helper.columns([
  helper.accessor('status', {
    id: 'status',
    ...from('status'),
    cell: ({ row }) => <StatusBadge status={row.original.status} />,
  }),
  helper.accessor('id', {
    id: 'id',
    ...from('id'),
    cell: ({ row, table }) => {
      // Its second line: what the run was asked, or, when the table is too narrow for Outcome, how it went.
      const outcomeShown = table.getAllLeafColumns().some((column) => column.id === 'outcome');
      const input = outcomeShown ? previewOf(row.original)?.input : outcomeLine(row.original);
      return (
        <span className="flex min-w-0 flex-col leading-4">
          <span className="flex min-w-0 items-center gap-0.5">
            <span className="truncate font-mono text-xs">{row.original.id}</span>
            <CopyButton value={row.original.id} label={`Copy run id ${row.original.id}`} tabIndex={-1} />
          </span>
          {input && (
            <span className="truncate text-[11px] text-muted" title={input}>
              {input}
            </span>
          )}
        </span>
      );
    },
  }),
  // Shown in the views across threads (home), hidden in a thread's own view; the runs do not sort by it.
  helper.accessor('thread_id', {
    id: 'thread',
    ...from('thread'),
    cell: ({ row }) => <ThreadCell threadId={row.original.thread_id} />,
  }),
  helper.accessor('assistant_id', {
    id: 'assistant',
    ...from('assistant'),
    cell: ({ row }) => <AssistantCell assistantId={row.original.assistant_id} />,
  }),
  helper.accessor('model', {
    id: 'model',
    ...from('model'),
    cell: ({ row }) => <span className="block truncate font-mono text-xs">{row.original.model}</span>,
  }),
  helper.accessor('created_at', {
    id: 'created',
    ...from('created'),
    sortDescFirst: true,
    cell: ({ row }) => <RelativeTime at={row.original.created_at} className="tabular-nums" />,
  }),
  helper.accessor(sortKeyOf('duration'), {
    id: 'duration',
    ...from('duration'),
    sortDescFirst: true,
    cell: ({ row }) => <DurationCell run={row.original} />,
  }),
  helper.accessor(sortKeyOf('tokens'), {
    id: 'tokens',
    ...from('tokens'),
    sortDescFirst: true,
    cell: ({ row }) => {
      const usage = row.original.usage;
      if (!usage) return <span className="text-faint">—</span>;
      return (
        <span
          className="flex min-w-0 flex-col leading-4 tabular-nums"
          title={`${formatTokens(usage.total_tokens)} total: ${formatTokens(usage.prompt_tokens)} prompt, ${formatTokens(usage.completion_tokens)} completion`}
        >
          <span>{formatTokensCompact(usage.total_tokens)}</span>
          <span className="truncate text-[11px] text-faint">
            {formatTokensCompact(usage.prompt_tokens)} in · {formatTokensCompact(usage.completion_tokens)} out
          </span>
        </span>
      );
    },
  }),
  helper.accessor(sortKeyOf('outcome'), {
    id: 'outcome',
    ...from('outcome'),
    cell: ({ row }) => {
      const run = row.original;
      if (run.last_error) {
        return (
          <span className="flex min-w-0 flex-col leading-4" title={run.last_error.message}>
            <span className="truncate font-mono text-xs text-status-danger">{run.last_error.code}</span>
            <span className="line-clamp-1 text-xs break-all text-muted">{run.last_error.message}</span>
          </span>
        );
      }
      if (run.incomplete_details?.reason) {
        return (
          <span className="block truncate text-status-incomplete">
            Incomplete: <span className="font-mono text-xs">{run.incomplete_details.reason}</span>
          </span>
        );
      }
      const output = previewOf(run)?.output;
      if (output) {
        return (
          <span
            className={cx(
              'line-clamp-2 text-xs leading-4 break-words',
              run.status === 'requires_action' ? 'text-status-action' : 'text-muted',
            )}
            title={output}
          >
            {output}
          </span>
        );
      }
      return <span className="text-faint">—</span>;
    },
  }),
  helper.accessor(sortKeyOf('metadata'), {
    id: 'metadata',
    ...from('metadata'),
    cell: ({ row }) => {
      const entries = Object.entries(row.original.metadata ?? {});
      if (entries.length === 0) return <span className="text-faint">—</span>;
      return (
        <span className="flex min-w-0 gap-1 overflow-hidden" title={metadataText(row.original)}>
          {entries.map(([key, value]) => (
            <span
              key={key}
              className="shrink-0 rounded bg-raised px-1 font-mono text-[11px] whitespace-nowrap"
            >
              <span className="text-muted">{key}:</span> {value}
            </span>
          ))}
        </span>
      );
    },
  }),
]);
