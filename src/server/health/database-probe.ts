import { databaseUnavailableReason } from '../../assistants-server/store/database-unavailable';

export type ProbeResult = { reachable: true; latencyMs: number } | { reachable: false; reason: string };

export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

/**
 * Whether the database answers one cheap statement (`ping`), waiting at most `timeoutMs` per check. At most one
 * statement is out at a time: a check while one is pending waits for that one, so a database that hangs holds one
 * waiting statement, however often the health is checked (every few seconds, by each load balancer).
 */
export class DatabaseProbe {
  private pending: { startedAt: number; result: Promise<ProbeResult> } | null = null;

  constructor(
    private readonly ping: () => Promise<unknown>,
    readonly timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
  ) {}

  async check(): Promise<ProbeResult> {
    const pending = (this.pending ??= this.start());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(() => {
        const waited = performance.now() - pending.startedAt;
        resolve({ reachable: false, reason: `no answer within ${seconds(waited)}` });
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([pending.result, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private start(): { startedAt: number; result: Promise<ProbeResult> } {
    const startedAt = performance.now();
    const result = this.ping()
      .then(
        (): ProbeResult => ({
          reachable: true,
          latencyMs: Math.round((performance.now() - startedAt) * 10) / 10,
        }),
        (error: unknown): ProbeResult => ({
          reachable: false,
          reason:
            databaseUnavailableReason(error) ?? (error instanceof Error ? error.message : String(error)),
        }),
      )
      .finally(() => (this.pending = null));
    return { startedAt, result };
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
