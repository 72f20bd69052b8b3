import type { RunStatus } from '../../shared/openai-types';
import { isActiveStatus } from '../../shared/openai-types';

/** About once a second while something in view can still change. */
export const ACTIVE_POLL_MS = 1_000;
/** Slowly when nothing in view can change by itself: only a run started elsewhere can still appear. */
export const IDLE_POLL_MS = 15_000;
/** Bounds applied to the server's `openai-poll-after-ms` hint so a bad header cannot stall or flood us. */
export const MIN_POLL_MS = 250;
export const MAX_POLL_MS = 15_000;

export interface PollingInput {
  /** The runs in view (only their status is read, and only until an active one is found). */
  runs: readonly { status: RunStatus }[];
  /** The server's `openai-poll-after-ms` hint from the last answer, if any. */
  pollAfterMs: number | null;
  /** The tab is hidden: nobody is looking. */
  documentHidden: boolean;
}

/** The tab is hidden (nobody is looking): polling pauses. False outside a browser. */
export function documentHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

/** Milliseconds until the next refetch, or false to stop polling. */
export function pollInterval({ runs, pollAfterMs, documentHidden }: PollingInput): number | false {
  if (documentHidden) return false;
  const active = runs.some((run) => isActiveStatus(run.status));
  if (!active) return IDLE_POLL_MS;
  if (pollAfterMs !== null && Number.isFinite(pollAfterMs) && pollAfterMs > 0) {
    return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, pollAfterMs));
  }
  return ACTIVE_POLL_MS;
}

/** For a single run: once it is terminal, nothing about it changes any more, so polling stops. */
export function runPollInterval(
  status: RunStatus | undefined,
  pollAfterMs: number | null,
  documentHidden: boolean,
): number | false {
  if (status === undefined) return false;
  if (!isActiveStatus(status)) return false;
  return pollInterval({ runs: [{ status }], pollAfterMs, documentHidden });
}

/** Reads the `openai-poll-after-ms` header: a positive integer, or null when absent or malformed. */
export function parsePollAfterHeader(value: string | null): number | null {
  if (value === null) return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) && parsed > 0 ? parsed : null;
}
