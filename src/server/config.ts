/** Reads the server's configuration from the environment, once, at start. Every variable is documented in README.md. */

import { EmulatorApiError } from '../assistants-server/api-error';
import { parseFaultRule } from '../assistants-server/emulation/faults/fault-rule';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../assistants-server/llm-executor/model-limits';
import { MAX_FILE_BYTES } from '../assistants-server/files/file-bytes';
import type { LogLevel } from '../platform/logger';
import { decimalInteger, excerpt } from '../platform/request-input';
import { hostNameOf } from './security/host-allowlist';
import { DEFAULT_FEED_REPLAY_BYTES, DEFAULT_FEED_UNREAD_BYTES } from './changes/change-feed';
import { DEFAULT_AUDIT_MAX_ENTRIES } from './audit/audit-store';
import { DEFAULT_LEASE_MS } from '../assistants-server/lifecycle/instance-lease';
import { DEFAULT_INSTANCE_POLL_MS } from '../assistants-server/lifecycle/other-instances';
import { DEFAULT_PROBE_TIMEOUT_MS } from './health/database-probe';
import {
  DEFAULT_CHANGE_LOG_AGE_MS,
  DEFAULT_CHANGE_LOG_ROWS,
  type ChangeLogRetention,
} from '../assistants-server/store/postgres/change-log/prune-change-log';
import { parseDatabaseUrl, type DatabaseUrl } from '../assistants-server/store/postgres/database-url';

export interface ServerConfig {
  host: string;
  port: number;
  /** SQLite file for the emulator, or ':memory:' (with `database`: only uploaded files' bytes are kept beside it). */
  dbPath: string;
  /** `RUNBOARD_DATABASE_URL`: everything the server keeps goes to this PostgreSQL database instead of SQLite. */
  database: DatabaseUrl | null;
  /** SQLite file for the audit trail of writes made through Runboard (kept in proxy mode too), or ':memory:'. */
  auditDbPath: string;
  /** Emulator speed: 2 makes every lifecycle delay half as long. */
  timeScale: number;
  /** When set, the emulator requires this bearer key on /v1 (otherwise any key is accepted, as stripe-mock does). */
  emulatorApiKey: string | null;
  /** Seed a demo on first start with an empty database. */
  seedDemo: boolean;
  /** Proxy mode: set when OPENAI_BASE_URL is. */
  proxy: ProxyConfig | null;
  /** Proxy mode: the query index of the watched threads' runs (kept across restarts), or ':memory:'. */
  indexDbPath: string;
  /** Access token required on every request when set (mandatory when binding beyond loopback). */
  token: string | null;
  /** Extra Host names accepted besides localhost, 127.0.0.1 and [::1]. */
  allowedHosts: string[];
  /** Extra exact origins (scheme://host:port) accepted on writes besides the server's own. */
  allowedOrigins: string[];
  logLevel: LogLevel;
  /** Emulator fault rules from `RUNBOARD_FAULTS` (a JSON array) and their default seed `RUNBOARD_FAULTS_SEED`. */
  faults: { rules: unknown[]; seed: number };
  /** Runs executed by a model: set when RUNBOARD_MODEL_BASE_URL is. */
  model: ModelConfig | null;
  /** The change feed's memory bounds (`/api/changes`). */
  feed: { maxUnreadBytes: number; maxReplayBytes: number };
  /** The audit trail keeps at most this many entries, the oldest pruned. */
  auditMaxEntries: number;
  /**
   * Several instances on one database: a lease not renewed within `leaseMs` expires and another instance takes the
   * run; each instance looks at what the others changed every `pollMs`.
   */
  instances: { leaseMs: number; pollMs: number };
  /** GET /api/health waits at most this long for the database's answer. */
  healthTimeoutMs: number;
  /** On PostgreSQL, how much of the change log is kept (the feed's resume window across instances). */
  changeLog: ChangeLogRetention;
  /** File search: the embedding model on the model endpoint (none: by words only), and the processing queue's bounds. */
  fileSearch: FileSearchConfig;
}

export interface FileSearchConfig {
  embeddingModel: string | null;
  /** Vector store files processed at once. */
  concurrency: number;
  /** Waiting files held in memory (the rest wait in the database). */
  maxQueued: number;
}

export interface ModelConfig {
  baseUrl: URL;
  apiKey: string | null;
  /** The assistant's model name → the upstream's (`*` for any other). */
  modelMap: Record<string, string>;
  concurrency: number;
  /** The longest silence of the endpoint (before the answer begins, or between two streamed chunks). */
  timeoutMs: number;
  maxRetries: number;
  /** Bounds on what the model may send, in bytes and items. */
  limits: ModelLimits;
}

export interface ProxyConfig {
  baseUrl: URL;
  apiKey: string | null;
  organization: string | null;
  project: string | null;
  timeoutMs: number;
  /** How the key travels: OpenAI's `Authorization: Bearer`, or Azure OpenAI's `api-key` header. */
  keyHeader: 'authorization' | 'api-key';
  /** Azure OpenAI: the `api-version` query parameter added to every upstream request; null elsewhere. */
  apiVersion: string | null;
  /** The longest streamed event (bytes) the proxy holds while waiting for its end; past it the stream ends. */
  maxFrameBytes: number;
  /** Threads and runs named by forwarded traffic are watched and indexed at once (off: only threads watched by hand). */
  discovery: boolean;
  /** At most this many threads are watched; past it the oldest idle ones leave the index. */
  maxWatchedThreads: number;
  /** The largest file uploaded or downloaded through the proxy (512 MB, as OpenAI's; tests lower it). */
  maxFileBytes: number;
  /** The largest answer read whole from the upstream (JSON, errors); past it the answer is a 502. */
  maxAnswerBytes: number;
}

export const DEFAULT_PROXY_MAX_FRAME_BYTES = 4 * 1024 * 1024;
export const DEFAULT_PROXY_MAX_THREADS = 1_000;
/** A run list of 100 runs with long instructions is a few MiB; a vector store file's content at most 4 MiB here. */
export const DEFAULT_PROXY_MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** Azure OpenAI's hosts: the key goes in `api-key` and every request needs `api-version`. */
const AZURE_OPENAI_HOST = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;

export const DEFAULT_PORT = 3180;
export const DEFAULT_DB_PATH = 'data/runboard.sqlite';
export const DEFAULT_AUDIT_DB_PATH = 'data/audit.sqlite';
export const DEFAULT_INDEX_DB_PATH = 'data/index.sqlite';
const MiB = 1024 * 1024;

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): ServerConfig {
  const baseUrl = nonEmpty(env.OPENAI_BASE_URL);
  const modelBaseUrl = nonEmpty(env.RUNBOARD_MODEL_BASE_URL);
  if (baseUrl && modelBaseUrl) {
    throw new ConfigError(
      'Set OPENAI_BASE_URL (proxy mode: the upstream runs the runs) or RUNBOARD_MODEL_BASE_URL (the emulator runs them on a model), not both.',
    );
  }
  const dbPath = nonEmpty(env.RUNBOARD_DB) ?? DEFAULT_DB_PATH;
  const databaseUrl = nonEmpty(env.RUNBOARD_DATABASE_URL);
  if (databaseUrl && baseUrl) {
    throw new ConfigError(
      "RUNBOARD_DATABASE_URL stores the embedded server's data; proxy mode (OPENAI_BASE_URL) keeps none: set one or the other.",
    );
  }
  return {
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    port: integer(env, 'PORT', DEFAULT_PORT, 0, 65535),
    dbPath,
    database: databaseUrl ? database(databaseUrl) : null,
    // An in-memory emulator (tests) keeps its audit trail in memory too.
    auditDbPath:
      nonEmpty(env.RUNBOARD_AUDIT_DB) ?? (dbPath === ':memory:' ? ':memory:' : DEFAULT_AUDIT_DB_PATH),
    indexDbPath:
      nonEmpty(env.RUNBOARD_INDEX_DB) ?? (dbPath === ':memory:' ? ':memory:' : DEFAULT_INDEX_DB_PATH),
    timeScale: positiveNumber(env, 'RUNBOARD_TIME_SCALE', 1),
    emulatorApiKey: nonEmpty(env.RUNBOARD_EMULATOR_API_KEY),
    seedDemo: (nonEmpty(env.RUNBOARD_SEED) ?? 'demo') !== 'none',
    proxy: baseUrl ? proxyConfig(env, baseUrl) : null,
    token: nonEmpty(env.RUNBOARD_TOKEN),
    allowedHosts: list(env.RUNBOARD_ALLOWED_HOSTS).map(allowedHost),
    allowedOrigins: list(env.RUNBOARD_ALLOWED_ORIGINS).map(allowedOrigin),
    logLevel: logLevel(env.LOG_LEVEL),
    faults: {
      rules: faultRules(env.RUNBOARD_FAULTS),
      seed: integer(env, 'RUNBOARD_FAULTS_SEED', 1, 0, 2 ** 32 - 1),
    },
    model: modelBaseUrl
      ? {
          baseUrl: parseBaseUrl(modelBaseUrl, 'RUNBOARD_MODEL_BASE_URL', 'RUNBOARD_MODEL_API_KEY'),
          apiKey: nonEmpty(env.RUNBOARD_MODEL_API_KEY),
          modelMap: modelMap(env.RUNBOARD_MODEL_MAP),
          concurrency: integer(env, 'RUNBOARD_MODEL_CONCURRENCY', 8, 1, 1000),
          timeoutMs: integer(env, 'RUNBOARD_MODEL_TIMEOUT_MS', 60_000, 100, 600_000),
          maxRetries: integer(env, 'RUNBOARD_MODEL_MAX_RETRIES', 3, 0, 10),
          limits: modelLimits(env),
        }
      : null,
    feed: {
      maxUnreadBytes: integer(
        env,
        'RUNBOARD_FEED_UNREAD_BYTES',
        DEFAULT_FEED_UNREAD_BYTES,
        64 * 1024,
        1024 * MiB,
      ),
      maxReplayBytes: integer(env, 'RUNBOARD_FEED_REPLAY_BYTES', DEFAULT_FEED_REPLAY_BYTES, MiB, 4096 * MiB),
    },
    auditMaxEntries: integer(env, 'RUNBOARD_AUDIT_MAX_ENTRIES', DEFAULT_AUDIT_MAX_ENTRIES, 100, 100_000_000),
    instances: instancesConfig(env),
    healthTimeoutMs: integer(env, 'RUNBOARD_HEALTH_TIMEOUT_MS', DEFAULT_PROBE_TIMEOUT_MS, 50, 60_000),
    changeLog: {
      maxRows: integer(env, 'RUNBOARD_CHANGE_LOG_ROWS', DEFAULT_CHANGE_LOG_ROWS, 1_000, 100_000_000),
      maxAgeMs:
        integer(env, 'RUNBOARD_CHANGE_LOG_HOURS', DEFAULT_CHANGE_LOG_AGE_MS / HOUR_MS, 1, 24 * 366) * HOUR_MS,
    },
    fileSearch: fileSearchConfig(env, modelBaseUrl !== null),
  };
}

function fileSearchConfig(env: Env, hasModel: boolean): FileSearchConfig {
  const embeddingModel = nonEmpty(env.RUNBOARD_EMBEDDING_MODEL);
  if (embeddingModel !== null && !hasModel) {
    throw new ConfigError(
      'RUNBOARD_EMBEDDING_MODEL needs RUNBOARD_MODEL_BASE_URL: embeddings are asked of the model endpoint.',
    );
  }
  return {
    embeddingModel,
    concurrency: integer(env, 'RUNBOARD_FILE_SEARCH_CONCURRENCY', 2, 1, 64),
    maxQueued: integer(env, 'RUNBOARD_FILE_SEARCH_MAX_QUEUED', 1000, 1, 1_000_000),
  };
}

function instancesConfig(env: Env): ServerConfig['instances'] {
  const leaseMs = integer(env, 'RUNBOARD_LEASE_MS', DEFAULT_LEASE_MS, 1_000, 300_000);
  const pollMs = integer(env, 'RUNBOARD_INSTANCE_POLL_MS', DEFAULT_INSTANCE_POLL_MS, 50, 60_000);
  // A lease renewed every third of its length must outlast a few looks, or a takeover would wait on the poll.
  if (pollMs >= leaseMs)
    throw new ConfigError(
      `RUNBOARD_INSTANCE_POLL_MS (${pollMs}) must be shorter than RUNBOARD_LEASE_MS (${leaseMs}).`,
    );
  return { leaseMs, pollMs };
}
const HOUR_MS = 60 * 60 * 1000;

function modelLimits(env: Env): ModelLimits {
  const defaults = DEFAULT_MODEL_LIMITS;
  const GiB = 1024 ** 3;
  return {
    maxAnswerBytes: integer(env, 'RUNBOARD_MODEL_MAX_ANSWER_BYTES', defaults.maxAnswerBytes, 1024, GiB),
    maxToolCalls: integer(env, 'RUNBOARD_MODEL_MAX_TOOL_CALLS', defaults.maxToolCalls, 1, 1024),
    maxBodyBytes: integer(env, 'RUNBOARD_MODEL_MAX_BODY_BYTES', defaults.maxBodyBytes, 1024, GiB),
    maxLineBytes: integer(env, 'RUNBOARD_MODEL_MAX_LINE_BYTES', defaults.maxLineBytes, 1024, GiB),
  };
}

function proxyConfig(env: Env, rawBaseUrl: string): ProxyConfig {
  const baseUrl = parseBaseUrl(rawBaseUrl, 'OPENAI_BASE_URL', 'OPENAI_API_KEY');
  const flavor = nonEmpty(env.RUNBOARD_UPSTREAM_FLAVOR)?.toLowerCase() ?? 'auto';
  if (flavor !== 'auto' && flavor !== 'openai' && flavor !== 'azure') {
    throw new ConfigError(`RUNBOARD_UPSTREAM_FLAVOR must be auto, openai or azure; got '${flavor}'.`);
  }
  const azure = flavor === 'azure' || (flavor === 'auto' && AZURE_OPENAI_HOST.test(baseUrl.hostname));
  const apiVersion = nonEmpty(env.OPENAI_API_VERSION);
  if (azure && apiVersion === null) {
    throw new ConfigError(
      `Azure OpenAI (${baseUrl.host}) needs OPENAI_API_VERSION, the api-version of its Assistants API (for example 2024-05-01-preview).`,
    );
  }
  return {
    baseUrl,
    apiKey: nonEmpty(env.OPENAI_API_KEY),
    organization: nonEmpty(env.OPENAI_ORG_ID),
    project: nonEmpty(env.OPENAI_PROJECT_ID),
    timeoutMs: integer(env, 'RUNBOARD_UPSTREAM_TIMEOUT_MS', 30_000, 1, 600_000),
    keyHeader: azure ? 'api-key' : 'authorization',
    apiVersion,
    maxFrameBytes: integer(
      env,
      'RUNBOARD_PROXY_MAX_FRAME_BYTES',
      DEFAULT_PROXY_MAX_FRAME_BYTES,
      64 * 1024,
      256 * 1024 * 1024,
    ),
    discovery: onOff(env, 'RUNBOARD_PROXY_DISCOVERY', true),
    maxWatchedThreads: integer(env, 'RUNBOARD_PROXY_MAX_THREADS', DEFAULT_PROXY_MAX_THREADS, 1, 100_000),
    maxFileBytes: MAX_FILE_BYTES,
    maxAnswerBytes: DEFAULT_PROXY_MAX_ANSWER_BYTES,
  };
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined || raw === null) return fallback;
  if (['on', 'true', '1'].includes(raw)) return true;
  if (['off', 'false', '0'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got '${raw}'.`);
}

/** `gpt-4o=llama3.2,gpt-4o-mini=qwen2.5:7b,*=llama3.2`: the assistant's model name, then the upstream's. */
function modelMap(raw: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of list(raw)) {
    const separator = entry.indexOf('=');
    const from = entry.slice(0, separator).trim();
    const to = entry.slice(separator + 1).trim();
    if (separator <= 0 || !from || !to) {
      throw new ConfigError(
        `RUNBOARD_MODEL_MAP takes comma-separated name=upstream pairs (e.g. gpt-4o=llama3.2,*=llama3.2), got '${entry}'.`,
      );
    }
    map[from] = to;
  }
  return map;
}

function database(raw: string): DatabaseUrl {
  try {
    return parseDatabaseUrl(raw);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === null) return fallback;
  const value = decimalInteger(raw);
  if (value === null || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${excerpt(raw)}'.`);
  }
  return value;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive number, got '${raw}'.`);
  return value;
}

function parseBaseUrl(raw: string, name: string, keyName: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got '${raw}'.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must use http or https, got '${url.protocol}'.`);
  }
  if (url.username || url.password) {
    throw new ConfigError(`${name} must not carry credentials: put the key in ${keyName}.`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${name} must not have a query or fragment, got '${url.origin}${url.pathname}…'.`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function allowedHost(entry: string): string {
  const name = entry.toLowerCase();
  if (hostNameOf(name) !== name) {
    throw new ConfigError(
      `RUNBOARD_ALLOWED_HOSTS takes host names or addresses without a port (IPv6 in brackets), got '${entry}'.`,
    );
  }
  return name;
}

function allowedOrigin(entry: string): string {
  let url: URL | null = null;
  try {
    url = new URL(entry);
  } catch {
    // Reported below.
  }
  const isBareOrigin =
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.username &&
    !url.password &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash;
  if (!url || !isBareOrigin) {
    throw new ConfigError(
      `RUNBOARD_ALLOWED_ORIGINS takes exact origins such as https://runboard.example:8443 (scheme, host, port; no path), got '${entry}'.`,
    );
  }
  return url.origin;
}

/** Each rule is checked as the admin route checks it, so a bad one stops the start with its reason. */
function faultRules(raw: string | undefined): unknown[] {
  const text = nonEmpty(raw);
  if (text === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`RUNBOARD_FAULTS must be a JSON array of fault rules, got '${text.slice(0, 80)}'.`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError('RUNBOARD_FAULTS must be a JSON array of fault rules.');
  parsed.forEach((rule, index) => {
    try {
      parseFaultRule(rule, `fault_${index + 1}`, 1);
    } catch (error) {
      if (error instanceof EmulatorApiError)
        throw new ConfigError(`RUNBOARD_FAULTS[${index}]: ${error.message}`);
      throw error;
    }
  });
  return parsed;
}

function logLevel(raw: string | undefined): LogLevel {
  const value = nonEmpty(raw) ?? 'info';
  if (value === 'debug' || value === 'info' || value === 'warn' || value === 'error' || value === 'silent')
    return value;
  throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent; got '${value}'.`);
}
