/** Default lifecycle delays at time scale 1 (emulator milliseconds); each is divided by the time scale. */
export const DELAYS_MS = {
  queuedToInProgress: 1_000,
  inProgressToOutcome: 1_000,
  slowInProgress: 60_000,
  cancellingToCancelled: 1_000,
  stuckCancelling: 30_000,
} as const;

/** `expires_at = created_at + 600`, as OpenAI sets it; never scaled (advance the clock to reach it). */
export const RUN_LIFETIME_SECONDS = 600;

/** The `openai-poll-after-ms` hint sent while a run is active, divided by the time scale. */
export const POLL_AFTER_MS = 500;
export const MIN_POLL_AFTER_MS = 20;

export function scaled(delayMs: number, timeScale: number): number {
  return delayMs / timeScale;
}

export function pollAfterMs(timeScale: number): number {
  return Math.max(MIN_POLL_AFTER_MS, Math.round(POLL_AFTER_MS / timeScale));
}
