import { createColumnHelper } from '@tanstack/react-table';
import type { Run } from '../../../shared/openai-types';
import { isActiveStatus } from '../../../shared/openai-types';
import { backendNow } from '../../lib/backend-clock';
import { formatDuration } from '../../lib/format-duration';
import { formatTokens, formatTokensCompact } from '../../lib/format-tokens';
import { metadataText } from '../../lib/run-text';
import { RUN_SORT_KEYS } from '../../lib/sort-runs';
import { runTiming } from '../../lib/run-timing';
import { useNow } from '../../hooks/use-now';
import { CopyButton } from '../../ui/copy-button';
import { RelativeTime } from '../../ui/relative-time';
import { StatusBadge } from '../../ui/status-badge';
import { useAssistantName } from './assistant-names';
import type { runsTableFeatures } from './runs-table-features';

const helper = createColumnHelper<typeof runsTableFeatures, Run>();

/**
 * A computed column's value is its sort key (lib/sort-runs.ts, which the sorted row model uses): TanStack reads it to
 * offer sorting and to pick the first direction.
 */
const sortKeyOf = (columnId: string) => (run: Run) => RUN_SORT_KEYS[columnId]!(run, backendNow());

function AssistantCell({ assistantId }: { assistantId: string }) {
  const label = useAssistantName(assistantId);
  return (
    <span className="block truncate" title={assistantId}>
      {label}
    </span>
  );
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
    header: 'Status',
    cell: ({ row }) => <StatusBadge status={row.original.status} />,
    enableHiding: false,
  }),
  helper.accessor('id', {
    header: 'Run',
    cell: ({ row }) => (
      <span className="flex min-w-0 items-center gap-0.5">
        <span className="truncate font-mono text-xs">{row.original.id}</span>
        <CopyButton value={row.original.id} label={`Copy run id ${row.original.id}`} />
      </span>
    ),
    enableHiding: false,
  }),
  // Shown in the views across threads (home), hidden in a thread's own view; the API does not sort by it.
  helper.accessor('thread_id', {
    id: 'thread',
    header: 'Thread',
    enableSorting: false,
    cell: ({ row }) => (
      <span className="block truncate font-mono text-xs" title={row.original.thread_id}>
        {row.original.thread_id}
      </span>
    ),
  }),
  helper.accessor('assistant_id', {
    id: 'assistant',
    header: 'Assistant',
    cell: ({ row }) => <AssistantCell assistantId={row.original.assistant_id} />,
  }),
  helper.accessor('model', {
    header: 'Model',
    cell: ({ row }) => <span className="block truncate font-mono text-xs">{row.original.model}</span>,
  }),
  helper.accessor('created_at', {
    id: 'created',
    header: 'Created',
    sortDescFirst: true,
    cell: ({ row }) => <RelativeTime at={row.original.created_at} className="tabular-nums" />,
  }),
  helper.accessor(sortKeyOf('duration'), {
    id: 'duration',
    header: 'Duration',
    sortDescFirst: true,
    cell: ({ row }) => <DurationCell run={row.original} />,
  }),
  helper.accessor(sortKeyOf('tokens'), {
    id: 'tokens',
    header: 'Tokens',
    sortDescFirst: true,
    cell: ({ row }) => {
      const usage = row.original.usage;
      if (!usage) return <span className="text-faint">—</span>;
      return (
        <span
          className="flex flex-col leading-4 tabular-nums"
          title={`${formatTokens(usage.total_tokens)} total: ${formatTokens(usage.prompt_tokens)} prompt, ${formatTokens(usage.completion_tokens)} completion`}
        >
          <span>{formatTokensCompact(usage.total_tokens)}</span>
          <span className="text-[11px] text-faint">
            {formatTokensCompact(usage.prompt_tokens)} in · {formatTokensCompact(usage.completion_tokens)} out
          </span>
        </span>
      );
    },
  }),
  helper.accessor(sortKeyOf('outcome'), {
    id: 'outcome',
    header: 'Outcome',
    cell: ({ row }) => {
      const run = row.original;
      if (run.last_error) {
        return (
          <span className="block truncate" title={run.last_error.message}>
            <span className="font-mono text-xs text-status-danger">{run.last_error.code}</span>{' '}
            <span className="text-muted">{run.last_error.message}</span>
          </span>
        );
      }
      if (run.incomplete_details?.reason) {
        return (
          <span className="block truncate text-status-warning">
            Incomplete: <span className="font-mono text-xs">{run.incomplete_details.reason}</span>
          </span>
        );
      }
      return <span className="text-faint">—</span>;
    },
  }),
  helper.accessor(sortKeyOf('metadata'), {
    id: 'metadata',
    header: 'Metadata',
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

/** Width of each column as a grid track, and its minimum in rem (the table scrolls sideways below the sum). */
export const COLUMN_WIDTHS: Record<string, { track: string; minRem: number }> = {
  status: { track: '9rem', minRem: 9 },
  id: { track: 'minmax(9.5rem, 1.1fr)', minRem: 9.5 },
  thread: { track: 'minmax(8rem, 1fr)', minRem: 8 },
  assistant: { track: 'minmax(6rem, 0.9fr)', minRem: 6 },
  model: { track: 'minmax(6rem, 0.7fr)', minRem: 6 },
  created: { track: '6rem', minRem: 6 },
  duration: { track: '7.5rem', minRem: 7.5 },
  tokens: { track: '6.5rem', minRem: 6.5 },
  outcome: { track: 'minmax(7rem, 1.2fr)', minRem: 7 },
  metadata: { track: 'minmax(7rem, 1.2fr)', minRem: 7 },
};

export const COLUMN_LABELS: Record<string, string> = {
  status: 'Status',
  id: 'Run',
  thread: 'Thread',
  assistant: 'Assistant',
  model: 'Model',
  created: 'Created',
  duration: 'Duration',
  tokens: 'Tokens',
  outcome: 'Outcome',
  metadata: 'Metadata',
};
