import type { Run, UnixSeconds } from '../../../shared/openai-types';
import { formatDuration } from '../../lib/format-duration';
import { formatExactTime, formatRelativeTime, toIsoTime } from '../../lib/format-time';
import { runTiming } from '../../lib/run-timing';
import { useNow } from '../../hooks/use-now';
import { cx } from '../../ui/cx';
import { Field, Missing } from './detail-section';

/** Created → started → ended with the spans between them, and while active a countdown to `expires_at`. */
export function RunTimeline({ run }: { run: Run }) {
  const now = useNow(1_000);
  const timing = runTiming(run, now);
  const expiring = timing.expiresInSeconds !== null;

  return (
    <div className="flex flex-col gap-3">
      <ol aria-label="Timeline" className="grid grid-cols-3 gap-2">
        <Step
          label="Queued for"
          value={timing.queueSeconds}
          live={timing.ticking && run.started_at === null}
        />
        <Step label="Ran for" value={timing.runSeconds} live={timing.ticking && run.started_at !== null} />
        <Step label="Total" value={timing.totalSeconds} live={timing.ticking} />
      </ol>
      {expiring && (
        <p
          role="timer"
          aria-label="Expires in"
          className={cx(
            'rounded-md px-2 py-1 text-xs',
            timing.expiresInSeconds! < 60
              ? 'bg-status-danger-soft text-status-danger'
              : 'bg-status-action-soft text-status-action',
          )}
        >
          Expires in <strong className="tabular-nums">{formatDuration(timing.expiresInSeconds!)}</strong> if
          it does not finish (at {formatExactTime(run.expires_at!)})
        </p>
      )}
      <dl>
        <Stamp label="Created" wireName="created_at" at={run.created_at} now={now} />
        <Stamp label="Started" wireName="started_at" at={run.started_at} now={now} />
        <Stamp label="Completed" wireName="completed_at" at={run.completed_at} now={now} />
        <Stamp label="Failed" wireName="failed_at" at={run.failed_at} now={now} />
        <Stamp label="Cancelled" wireName="cancelled_at" at={run.cancelled_at} now={now} />
        <Stamp label="Expires" wireName="expires_at" at={run.expires_at} now={now} />
      </dl>
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

function Stamp({
  label,
  wireName,
  at,
  now,
}: {
  label: string;
  wireName: string;
  at: UnixSeconds | null;
  now: number;
}) {
  return (
    <Field label={label} wireName={wireName}>
      {at === null ? (
        <Missing />
      ) : (
        <span className="flex flex-wrap gap-x-2">
          <time dateTime={toIsoTime(at)} className="tabular-nums">
            {formatExactTime(at)}
          </time>
          <span className="text-faint">{formatRelativeTime(at, now)}</span>
        </span>
      )}
    </Field>
  );
}
