/** Shapes of Runboard's own API (outside `/v1`), shared by the server and the dashboard. */

export type BackendMode = 'emulator' | 'proxy';

/**
 * On every emulator answer: the emulator's time in ms, which runs ahead of the wall clock once the admin clock was
 * advanced. The dashboard counts `expires_at`, ages and durations from it (absent in proxy mode: wall clock).
 */
export const BACKEND_TIME_HEADER = 'x-runboard-backend-time-ms';

/** Who carries out an emulator run: today's script, or a model behind a chat-completions endpoint. */
export type RunExecutorKind = 'scripted' | 'model';

/** Where the server keeps its data: a SQLite file, or a PostgreSQL database (never a user or a password). */
export type StoreDescription =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; host: string; port: number; database: string };

/** `code` of the 503 an `/api` route answers when the server's database does not answer. */
export const DATABASE_UNAVAILABLE = 'database_unavailable';

/** GET /api/health: 200 when the database answered in time, 503 (with `error`, OpenAI's shape) when not. */
export interface RunboardHealth {
  status: 'ok' | 'unavailable';
  backend: RunboardConfig['backend'];
  store: StoreDescription;
  /** The instance that answered (host:pid:start time). */
  instance: string;
  database: {
    reachable: boolean;
    /** How long one statement took, when it answered. */
    latency_ms: number | null;
    /** Why not, when it did not. */
    reason: string | null;
  };
  version: string;
}

/** GET /api/config */
export interface RunboardConfig {
  backend: {
    mode: BackendMode;
    /** The upstream's host in proxy mode (never a key); null for the emulator. */
    upstreamHost: string | null;
  };
  /** Who executes the emulator's new runs; null in proxy mode, where the upstream does. */
  executor: {
    kind: RunExecutorKind;
    /** The model endpoint's host (`RUNBOARD_MODEL_BASE_URL`, never its key); null for the scripted executor. */
    modelHost: string | null;
    /** At most this many model calls at once; the others wait their turn. Null for the scripted executor. */
    concurrency: number | null;
  } | null;
  capabilities: {
    /** GET /v1/threads exists (an emulator extension; OpenAI has no list-threads endpoint). */
    listThreads: boolean;
    /** Admin routes (clock, time scale, faults, seeding) exist under /api/emulator. */
    emulatorAdmin: boolean;
  };
  /** Whether the dashboard must send the access token (RUNBOARD_TOKEN) in the `x-runboard-token` header. */
  tokenRequired: boolean;
  version: string;
  /** Where this server keeps its data. */
  store: StoreDescription;
  /** The instance that answered (host:pid:start time): several may serve one database. */
  instance: string;
}

/** POST /api/download-links: where the browser downloads a file's content from (a plain link streams it to disk). */
export interface DownloadLink {
  url: string;
}

/** How one model call ended: `in_flight` while it runs, `interrupted` when the server stopped during it. */
export type ModelCallOutcome =
  | 'in_flight'
  | 'answered'
  | 'tool_calls'
  | 'length'
  | 'content_filter'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'unreachable'
  | 'invalid_prompt'
  | 'refused'
  | 'aborted'
  | 'interrupted';

/** One HTTP call to the model endpoint (a retry is a call of its own). */
export interface ModelCall {
  id: string;
  run_id: string;
  /** Which model call of the run this is (1 for the first answer, 2 after the first tool outputs, …). */
  turn: number;
  /** 1 for the first attempt of the turn, 2 for its first retry, … */
  attempt: number;
  /** The upstream model name sent. */
  model: string;
  /** Wall-clock time the call started (ms). */
  started_at_ms: number;
  /** Until the answer ended (null while in flight). */
  latency_ms: number | null;
  /** Until the first piece of the answer arrived. */
  first_token_ms: number | null;
  outcome: ModelCallOutcome;
  http_status: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  /** What the upstream said went wrong (the key masked). */
  error: string | null;
}

/** GET /api/emulator/runs/{run_id}/execution: who executes the run and every model call it made, oldest first. */
export interface RunExecution {
  run_id: string;
  executor: RunExecutorKind;
  /** The model name sent upstream (after the model mapping); null for scripted runs. */
  upstream_model: string | null;
  model_calls: ModelCall[];
}
