import { useQuery } from '@tanstack/react-query';
import type { Run, RunStep, UnixSeconds } from '../../../shared/openai-types';
import { runRecordQueries } from '../../api/run-record-queries';
import { formatDuration } from '../../lib/format-duration';
import { formatExpiry, formatMoment, toIsoTime, type TimeFormat } from '../../lib/format-time';
import { runTiming } from '../../../shared/run-timing';
import { useNow } from '../../hooks/use-now';
import { useTimeFormat } from '../../hooks/use-time-format';
import { cx } from '../../ui/cx';
import { Missing } from './detail-section';

interface TimelineEvent {
  label: string;
  wireName: string;
  at: UnixSeconds;
}

/** What happened to the run, in order: only the moments that did happen, each with its wire field. */
function eventsOf(run: Run, incompleteEnd: UnixSeconds | null): TimelineEvent[] {
  const events: TimelineEvent[] = [{ label: 'Created', wireName: 'created_at', at: run.created_at }];
  if (run.started_at !== null) events.push({ label: 'Started', wireName: 'started_at', at: run.started_at });
  if (run.completed_at !== null)
    events.push({ label: 'Completed', wireName: 'completed_at', at: run.completed_at });
  if (run.failed_at !== null) events.push({ label: 'Failed', wireName: 'failed_at', at: run.failed_at });
  if (run.cancelled_at !== null)
    events.push({ label: 'Cancelled', wireName: 'cancelled_at', at: run.cancelled_at });
  if (run.status === 'expired' && run.expires_at !== null)
    events.push({ label: 'Expired', wireName: 'expires_at', at: run.expires_at });
  if (incompleteEnd !== null)
    events.push({ label: 'Stopped early (last step)', wireName: 'step completed_at', at: incompleteEnd });
  return events.sort((a, b) => a.at - b.at);
}

/** The Run fields with no value: named once, so every field of the object is accounted for. */
function unsetFields(run: Run): string[] {
  const fields: [string, unknown][] = [
    ['started_at', run.started_at],
    ['completed_at', run.completed_at],
    ['failed_at', run.failed_at],
    ['cancelled_at', run.cancelled_at],
    ['expires_at', run.expires_at],
    ['required_action', run.required_action],
    ['last_error', run.last_error],
    ['incomplete_details', run.incomplete_details],
  ];
  return fields.filter(([, value]) => value === null || value === undefined).map(([name]) => name);
}

/** An incomplete run has no end time on the wire: its last step's end stands in for it. */
function lastStepEnd(steps: readonly RunStep[] | undefined): UnixSeconds | null {
  const ends = (steps ?? []).map((step) => step.completed_at ?? step.failed_at ?? step.cancelled_at ?? null);
  const known = ends.filter((end): end is number => end !== null);
  return known.length ? Math.max(...known) : null;
}

/** Queue, run and total time; the moments that happened; while active, a countdown to `expires_at`. */
export function RunTimeline({ run }: { run: Run }) {
  const now = useNow(1_000);
  const [format] = useTimeFormat();
  // The expiry reads as the person chose (the header's clock switch), then the other way; the timeline's moments
  // show both, the exact time with its zone first.
  const otherFormat: TimeFormat = format === 'absolute' ? 'relative' : 'absolute';
  const incomplete = run.status === 'incomplete';
  const steps = useQuery({
    ...runRecordQueries.steps(run.thread_id, run.id, false),
    enabled: incomplete,
  });
  const incompleteEnd = incomplete ? lastStepEnd(steps.data?.data) : null;
  const timing = runTiming(run, now, incompleteEnd);
  const expiring = timing.expiresInSeconds !== null;
  const unset = unsetFields(run);

  return (
    <div className="flex flex-col gap-3">
      <ol aria-label="Durations" className="grid grid-cols-3 gap-2">
        <Step
          label="Queued for"
          value={timing.queueSeconds}
          live={timing.ticking && run.started_at === null}
        />
        <Step label="Ran for" value={timing.runSeconds} live={timing.ticking && run.started_at !== null} />
        <Step label="Total" value={timing.totalSeconds} live={timing.ticking} />
      </ol>
      {incomplete && incompleteEnd === null && steps.isSuccess && (
        <p className="text-xs text-muted">
          An incomplete run reports no end time, and this one took no step: its duration is not known.
        </p>
      )}
      {expiring && (
        <p
          role="timer"
          aria-label="Expiry"
          className={cx(
            'rounded-md px-2 py-1 text-xs',
            timing.expiresInSeconds! < 60
              ? 'bg-status-danger-soft text-status-danger'
              : 'bg-status-action-soft text-status-action',
          )}
        >
          <strong className="font-medium tabular-nums">{formatExpiry(run.expires_at!, format, now)}</strong>{' '}
          if it does not finish ({format === 'absolute' ? 'in ' : 'at '}
          {formatMoment(run.expires_at!, otherFormat, now, 'span')})
        </p>
      )}
      <ol aria-label="Timeline" className="flex flex-col">
        {eventsOf(run, incompleteEnd).map((event) => (
          <li
            key={event.wireName}
            className="grid grid-cols-[minmax(6.5rem,9rem)_1fr] items-baseline gap-2 border-l-2 border-line py-1 pl-2"
          >
            <span className="flex min-w-0 flex-col leading-4">
              <span className="text-muted">{event.label}</span>
              <span className="truncate font-mono text-[10px] leading-3 text-muted">{event.wireName}</span>
            </span>
            <span className="flex flex-wrap gap-x-2">
              <time dateTime={toIsoTime(event.at)} className="whitespace-nowrap tabular-nums">
                {formatMoment(event.at, 'absolute', now)}
              </time>
              <span className="text-muted">{formatMoment(event.at, 'relative', now)}</span>
            </span>
          </li>
        ))}
        {expiring && (
          <li className="grid grid-cols-[minmax(6.5rem,9rem)_1fr] items-baseline gap-2 border-l-2 border-dashed border-line py-1 pl-2">
            <span className="flex min-w-0 flex-col leading-4">
              <span className="text-muted">Expires</span>
              <span className="truncate font-mono text-[10px] leading-3 text-muted">expires_at</span>
            </span>
            <time dateTime={toIsoTime(run.expires_at!)} className="whitespace-nowrap tabular-nums">
              {formatMoment(run.expires_at!, 'absolute', now)}
            </time>
          </li>
        )}
      </ol>
      {unset.length > 0 && (
        <p className="text-[11px] text-muted">
          Not set:{' '}
          {unset.map((name, index) => (
            <span key={name}>
              {index > 0 && ' · '}
              <code className="font-mono">{name}</code>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

function Step({ label, value, live }: { label: string; value: number | null; live: boolean }) {
  return (
    <li className="rounded-md border border-line px-2 py-1.5">
      <span className="block text-[11px] text-muted">{label}</span>
      <span className={cx('font-medium tabular-nums', live && 'text-status-running')}>
        {value === null ? <Missing /> : formatDuration(value)}
      </span>
    </li>
  );
}
