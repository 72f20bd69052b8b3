import type { Run, UnixSeconds } from './openai-types';
import { isActiveStatus } from './openai-types';

/** When the run reached its terminal status, or null while it is active (or when the server did not say). */
export function runEndedAt(run: Run): UnixSeconds | null {
  if (isActiveStatus(run.status)) return null;
  return (
    run.completed_at ??
    run.failed_at ??
    run.cancelled_at ??
    (run.status === 'expired' ? run.expires_at : null)
  );
}

export interface RunTiming {
  /** Seconds from creation to start (or to now, while still queued). Null when it never started and has ended. */
  queueSeconds: number | null;
  /** Seconds from start to end (or to now, while active). Null before the run started. */
  runSeconds: number | null;
  /** Seconds from creation to end (or to now, while active). */
  totalSeconds: number | null;
  /** Seconds left before `expires_at` while active; null otherwise. */
  expiresInSeconds: number | null;
  /** Whether the figures still grow with time. */
  ticking: boolean;
}

/**
 * `endedAtFallback`: when the run itself gives no end time (an incomplete run: the API has no `incomplete_at`), the
 * time it is known to have ended by (its last step's end).
 */
export function runTiming(run: Run, nowMs: number, endedAtFallback: UnixSeconds | null = null): RunTiming {
  const now = nowMs / 1000;
  const active = isActiveStatus(run.status);
  const endedAt = runEndedAt(run) ?? (active ? null : endedAtFallback);
  const until = active ? now : endedAt;
  const queueSeconds =
    run.started_at !== null ? run.started_at - run.created_at : active ? now - run.created_at : null;
  const runSeconds = run.started_at !== null && until !== null ? until - run.started_at : null;
  const totalSeconds = until !== null ? until - run.created_at : null;
  const expiresInSeconds = active && run.expires_at !== null ? run.expires_at - now : null;
  return {
    queueSeconds: clamp(queueSeconds),
    runSeconds: clamp(runSeconds),
    totalSeconds: clamp(totalSeconds),
    expiresInSeconds: expiresInSeconds === null ? null : Math.max(0, expiresInSeconds),
    ticking: active,
  };
}

function clamp(value: number | null): number | null {
  return value === null ? null : Math.max(0, value);
}
