import type { Timeline, TimelineEntry } from './thread-insights';
import { formatDuration } from '../../lib/format-duration';
import { formatExactTime } from '../../lib/format-time';
import { statusLabel } from '../../ui/status-badge';
import { statusFill } from './status-colors';

/**
 * One row per run on a shared time axis: the queue time as a light segment, then the run time as a solid one, both
 * in the run's status colour. Each row is focusable; hovering or focusing it shows the exact times, and its
 * accessible name says the same in words.
 */
export function ThreadRunsTimeline({ timeline }: { timeline: Timeline }) {
  const span = timeline.spanSeconds;
  return (
    <div>
      <div aria-hidden="true" className="mb-1 ml-28 flex justify-between text-[10px] text-faint tabular-nums">
        <span>0s</span>
        <span>{formatDuration(span / 2)}</span>
        <span>{formatDuration(span)}</span>
      </div>
      <ol aria-label="Run timeline" className="flex flex-col gap-0.5">
        {timeline.entries.map((entry) => (
          <TimelineRow key={entry.run.id} entry={entry} span={span} />
        ))}
      </ol>
    </div>
  );
}

function TimelineRow({ entry, span }: { entry: TimelineEntry; span: number }) {
  const { run } = entry;
  const fill = statusFill(run.status);
  const percent = (seconds: number) => `${(seconds / span) * 100}%`;
  const queueStart = entry.createdOffset;
  const runStart = queueStart + (entry.queueSeconds ?? 0);
  const details = describe(entry);
  return (
    <li
      tabIndex={0}
      aria-label={`${run.id}, ${statusLabel(run.status)}: ${details.join(', ')}`}
      className="group relative flex h-5 items-center gap-2 rounded outline-none hover:bg-raised focus-visible:ring-2 focus-visible:ring-accent"
    >
      <span className="w-26 shrink-0 truncate font-mono text-[10px] text-muted">{run.id}</span>
      <span aria-hidden="true" className="relative h-3 min-w-0 flex-1 rounded-sm bg-raised">
        {entry.queueSeconds !== null && (
          <span
            className={`absolute inset-y-0 min-w-0.5 rounded-l-sm opacity-35 ${fill}`}
            style={{ left: percent(queueStart), width: percent(entry.queueSeconds) }}
          />
        )}
        {entry.runSeconds !== null ? (
          <span
            className={`absolute inset-y-0 min-w-0.5 rounded-r-sm ${fill}`}
            style={{ left: percent(runStart), width: percent(entry.runSeconds) }}
          />
        ) : (
          entry.queueSeconds === null && (
            <span className={`absolute inset-y-0 w-0.5 ${fill}`} style={{ left: percent(queueStart) }} />
          )
        )}
      </span>
      <span
        role="tooltip"
        className="pointer-events-none absolute top-full right-0 z-10 mt-1 hidden w-72 rounded-md border border-line bg-surface p-2 text-[11px] shadow-lg group-hover:block group-focus:block"
      >
        <span className="block font-mono">{run.id}</span>
        <span className="block font-medium">{statusLabel(run.status)}</span>
        {details.map((line) => (
          <span key={line} className="block tabular-nums">
            {line}
          </span>
        ))}
      </span>
    </li>
  );
}

function describe(entry: TimelineEntry): string[] {
  const { run } = entry;
  const lines = [`created ${formatExactTime(run.created_at)}`];
  if (run.started_at !== null) lines.push(`started ${formatExactTime(run.started_at)}`);
  const endedAt = run.completed_at ?? run.failed_at ?? run.cancelled_at;
  if (endedAt !== null) lines.push(`ended ${formatExactTime(endedAt)}`);
  else if (run.status === 'expired' && run.expires_at !== null)
    lines.push(`expired ${formatExactTime(run.expires_at)}`);
  lines.push(
    entry.queueSeconds === null
      ? 'never started'
      : `queued ${formatDuration(entry.queueSeconds)}${entry.ongoing && run.started_at === null ? ' so far' : ''}`,
  );
  if (entry.runSeconds !== null)
    lines.push(`ran ${formatDuration(entry.runSeconds)}${entry.ongoing ? ' so far' : ''}`);
  return lines;
}
