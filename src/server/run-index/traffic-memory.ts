/** Runs indexed from traffic are remembered this long, so a listing begun before their answer cannot undo them. */
export const TRAFFIC_MEMORY_MS = 10 * 60_000;
export const MAX_TRAFFIC_MEMORY = 10_000;

/**
 * When forwarded traffic last showed each run, for the proxy's poller: a listing begun before that moment is older
 * than what the index holds. Bounded in entries and in age; the oldest go first.
 */
export class TrafficMemory {
  /** Run id → when traffic last showed it (ms), oldest first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = MAX_TRAFFIC_MEMORY,
    private readonly maxAgeMs = TRAFFIC_MEMORY_MS,
  ) {}

  remember(runId: string, at: number): void {
    this.seen.delete(runId);
    this.seen.set(runId, at);
    for (const [oldest, seenAt] of this.seen) {
      if (this.seen.size <= this.maxEntries && seenAt > at - this.maxAgeMs) break;
      this.seen.delete(oldest);
    }
  }

  /** Whether traffic showed the run at or after `sinceMs`. */
  shownSince(runId: string, sinceMs: number): boolean {
    const at = this.seen.get(runId);
    return at !== undefined && at >= sinceMs;
  }

  get size(): number {
    return this.seen.size;
  }
}
