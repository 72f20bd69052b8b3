/**
 * The backend's clock as seen from the browser: the wall clock, plus how far the emulator's clock runs ahead once it
 * was advanced (learned from the BACKEND_TIME_HEADER of the last answer that carried it). Expiry countdowns, ages
 * and running durations are counted from it, so they agree with `created_at` and `expires_at`.
 */
let aheadMs = 0;
const listeners = new Set<() => void>();
/** Below this, a change is the answer's travel time, not a clock that moved: not worth re-rendering every clock. */
const NOTICEABLE_MS = 1_000;

export function observeBackendTime(backendNowMs: number, receivedAtMs: number): void {
  if (!Number.isFinite(backendNowMs) || backendNowMs <= 0) return;
  const next = backendNowMs - receivedAtMs;
  const noticeable = Math.abs(next - aheadMs) >= NOTICEABLE_MS;
  aheadMs = next;
  if (noticeable) for (const listener of listeners) listener();
}

/** Called when the backend's clock moved noticeably against the browser's (the emulator clock was advanced). */
export function onBackendClockMoved(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A time taken on the browser's clock (a query's `dataUpdatedAt`), in ms on the backend's clock. */
export function toBackendTime(browserMs: number): number {
  return browserMs + aheadMs;
}

/** Now, in ms, on the backend's clock. */
export function backendNow(): number {
  return Date.now() + aheadMs;
}
