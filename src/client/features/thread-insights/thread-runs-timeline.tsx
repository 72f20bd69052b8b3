import { useState } from 'react';
import type { Timeline, TimelineEntry } from './thread-insights';
import { formatDuration } from '../../lib/format-duration';
import { formatExactTime } from '../../lib/format-time';
import { statusLabel } from '../../ui/status-badge';
import { statusFillStyle } from '../../ui/status-badge';

/**
 * One row per run on a shared time axis: the queue time as a light segment, then the run time as a solid one, both
 * in the run's status colour. Each row is focusable; hovering or focusing it shows its exact times in the readout
 * under the chart (not a floating tooltip, which the scrolling dialog would clip), and its accessible name says the
 * same in words.
 */
export function ThreadRunsTimeline({ timeline }: { timeline: Timeline }) {
  const span = timeline.spanSeconds;
  const [pointedRunId, setPointedRunId] = useState<string | null>(null);
  const pointed = timeline.entries.find((entry) => entry.run.id === pointedRunId) ?? null;
  return (
    <div>
      <div aria-hidden="true" className="mb-1 ml-28 flex justify-between text-[10px] text-faint tabular-nums">
        <span>0s</span>
        <span>{formatDuration(span / 2)}</span>
        <span>{formatDuration(span)}</span>
      </div>
      <ol aria-label="Run timeline" className="flex flex-col gap-0.5">
        {timeline.entries.map((entry) => (
          <TimelineRow
            key={entry.run.id}
            entry={entry}
            span={span}
            onPoint={setPointedRunId}
            pointed={entry.run.id === pointedRunId}
          />
        ))}
      </ol>
      <div
        aria-hidden="true"
        className="mt-2 min-h-10 rounded-md border border-line bg-raised px-2 py-1.5 text-[11px] tabular-nums"
      >
        {pointed ? (
          <>
            <span className="font-mono">{pointed.run.id}</span> · {statusLabel(pointed.run.status)}
            <span className="block text-muted">{describe(pointed).join(' · ')}</span>
          </>
        ) : (
          <span className="text-muted">Hover or focus a row to see its exact times.</span>
        )}
      </div>
    </div>
  );
}

function TimelineRow({
  entry,
  span,
  pointed,
  onPoint,
}: {
  entry: TimelineEntry;
  span: number;
  pointed: boolean;
  onPoint: (runId: string | null) => void;
}) {
  const { run } = entry;
  const fill = statusFillStyle(run.status);
  const percent = (seconds: number) => `${(seconds / span) * 100}%`;
  const queueStart = entry.createdOffset;
  const runStart = queueStart + (entry.queueSeconds ?? 0);
  const details = describe(entry);
  return (
    <li
      tabIndex={0}
      aria-label={`${run.id}, ${statusLabel(run.status)}: ${details.join(', ')}`}
      onMouseEnter={() => onPoint(run.id)}
      onMouseLeave={() => onPoint(null)}
      onFocus={() => onPoint(run.id)}
      onBlur={() => onPoint(null)}
      className={`flex h-5 items-center gap-2 rounded outline-none focus-visible:ring-2 focus-visible:ring-accent ${pointed ? 'bg-accent/10' : ''}`}
    >
      <span className="w-26 shrink-0 truncate font-mono text-[10px] text-muted">{run.id}</span>
      <span aria-hidden="true" className="relative h-3 min-w-0 flex-1 rounded-sm bg-raised">
        {entry.queueSeconds !== null && (
          <span
            className="absolute inset-y-0 min-w-0.5 rounded-l-sm opacity-35"
            style={{ ...fill, left: percent(queueStart), width: percent(entry.queueSeconds) }}
          />
        )}
        {entry.runSeconds !== null ? (
          <span
            className="absolute inset-y-0 min-w-0.5 rounded-r-sm"
            style={{ ...fill, left: percent(runStart), width: percent(entry.runSeconds) }}
          />
        ) : (
          entry.queueSeconds === null && (
            <span className="absolute inset-y-0 w-0.5" style={{ ...fill, left: percent(queueStart) }} />
          )
        )}
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
