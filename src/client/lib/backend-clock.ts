/**
 * The backend's clock as seen from the browser: the wall clock, plus how far the emulator's clock runs ahead once it
 * was advanced (learned from the BACKEND_TIME_HEADER of the last answer that carried it). Expiry countdowns, ages
 * and running durations are counted from it, so they agree with `created_at` and `expires_at`.
 */
let aheadMs = 0;

export function observeBackendTime(backendNowMs: number, receivedAtMs: number): void {
  if (Number.isFinite(backendNowMs) && backendNowMs > 0) aheadMs = backendNowMs - receivedAtMs;
}

/** Now, in ms, on the backend's clock. */
export function backendNow(): number {
  return Date.now() + aheadMs;
}
