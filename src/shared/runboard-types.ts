/** Shapes of Runboard's own API (outside `/v1`), shared by the server and the dashboard. */

export type BackendMode = 'emulator' | 'proxy';

/**
 * On every emulator answer: the emulator's time in ms, which runs ahead of the wall clock once the admin clock was
 * advanced. The dashboard counts `expires_at`, ages and durations from it (absent in proxy mode: wall clock).
 */
export const BACKEND_TIME_HEADER = 'x-runboard-backend-time-ms';

/** GET /api/config */
export interface RunboardConfig {
  backend: {
    mode: BackendMode;
    /** The upstream's host in proxy mode (never a key); null for the emulator. */
    upstreamHost: string | null;
  };
  capabilities: {
    /** GET /v1/threads exists (an emulator extension; OpenAI has no list-threads endpoint). */
    listThreads: boolean;
    /** Admin routes (clock, time scale, faults, seeding) exist under /api/emulator. */
    emulatorAdmin: boolean;
  };
  /** Whether the dashboard must send the access token (RUNBOARD_TOKEN) in the `x-runboard-token` header. */
  tokenRequired: boolean;
  version: string;
}
