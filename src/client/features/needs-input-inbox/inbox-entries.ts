import type { Run } from '../../../shared/openai-types';

/** Runs waiting for tool outputs, the one expiring soonest first (a run without `expires_at` goes last). */
export function waitingRunsByTimeLeft(runs: readonly Run[]): Run[] {
  return runs
    .filter((run) => run.status === 'requires_action')
    .sort((a, b) => (a.expires_at ?? Infinity) - (b.expires_at ?? Infinity) || a.created_at - b.created_at);
}

/** Seconds before the run expires (0 once past), or null when it has no expiry. */
export function secondsLeft(run: Run, nowMs: number): number | null {
  if (run.expires_at === null) return null;
  return Math.max(0, run.expires_at - Math.floor(nowMs / 1000));
}

/** The page title with the waiting count in front, as mail clients do. */
export function titleWithCount(baseTitle: string, waiting: number): string {
  return waiting > 0 ? `(${waiting}) ${baseTitle}` : baseTitle;
}

/** Runboard's mark with a red count badge, as an SVG data URL for the favicon. */
export function faviconWithCount(waiting: number): string {
  const label = waiting > 99 ? '99+' : String(waiting);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">` +
    `<rect width="32" height="32" rx="6" fill="#4f46e5"/>` +
    `<text x="9" y="23" font-family="sans-serif" font-size="18" font-weight="700" fill="#fff">R</text>` +
    `<circle cx="23" cy="9" r="9" fill="#dc2626"/>` +
    `<text x="23" y="13" text-anchor="middle" font-family="sans-serif" font-size="${label.length > 1 ? 9 : 12}" font-weight="700" fill="#fff">${label}</text>` +
    `</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Ids in `current` that were not in `previous`: runs that started waiting since the last look. */
export function newlyWaiting(previous: ReadonlySet<string>, current: readonly Run[]): Run[] {
  return current.filter((run) => !previous.has(run.id));
}

/** The runs of `previous` that are not in `current`: they left the inbox (answered, expired, cancelled). */
export function departedRuns(previous: readonly Run[], current: readonly Run[]): Run[] {
  const still = new Set(current.map((run) => run.id));
  return previous.filter((run) => !still.has(run.id));
}
