import type { Hono } from 'hono';
import type { Logger } from '../platform/logger';
import type { RunboardConfig } from '../shared/runboard-types';
import { createAdminRouter } from './admin/admin-router';
import { EmulatorClock } from './emulation/clock/emulator-clock';
import type { LifecycleEvents } from './events/lifecycle-events';
import { RunLifecycle, type LifecycleSettings } from './lifecycle/run-lifecycle';
import { Scheduler } from './lifecycle/scheduler';
import { thisInstance, DEFAULT_LEASE_MS } from './lifecycle/instance-lease';
import { DEFAULT_INSTANCE_POLL_MS, followOtherInstances } from './lifecycle/other-instances';
import { MAX_FILE_BYTES, type FileBytes } from './files/file-bytes';
import { MAX_FILE_CONTENT_BYTES } from './vector-stores/file-content-page';
import { FolderFileBytes } from './files/folder-file-bytes';
import { FaultRegistry, DEFAULT_FAULT_SEED } from './emulation/faults/fault-registry';
import type { FaultSleep } from './emulation/faults/fault-injection';
import { LlmExecutor } from './llm-executor/llm-executor';
import type { ModelExecutorSettings } from './llm-executor/model-settings';
import { createApiRouter } from './routes/api-router';
import { seedDemo } from './emulation/seed/demo-seed';
import { openSqliteStore } from './store/sqlite-assistants-store';
import type { AssistantsStore } from './store/assistants-store';
import { openPostgresStore, type PostgresAssistantsStore } from './store/postgres/postgres-assistants-store';
import type { SqlClient } from './store/postgres/sql-client';
import { PostgresFileBytes } from './store/postgres/files/postgres-file-bytes';
import type { StoreIndexFactory } from './store/store-index';
import { RunStreams } from './streaming/run-streams';
import { embeddingSettingsFor } from './file-search/embeddings';
import { FileSearch } from './file-search/file-search';
import { WorkerParser } from './file-search/parse/worker-parser';
import { DEFAULT_INGEST_QUEUE, type IngestQueueOptions } from './vector-stores/ingest-queue';
import { VectorStoreFiles } from './vector-stores/vector-store-files';

export interface AssistantsServerOptions {
  /** SQLite file, or ':memory:' (with `postgres`: where uploaded files' bytes are kept beside, as with SQLite). */
  dbPath: string;
  /**
   * Everything the server keeps goes to this PostgreSQL database instead of SQLite (migrated at start). `ownsClient`
   * false: the client stays open at close (a test sharing one database across servers).
   */
  postgres?: { client: SqlClient; ownsClient?: boolean } | null;
  /** 2 makes every lifecycle delay half as long. */
  timeScale: number;
  /** When set, /v1 requires `Authorization: Bearer <apiKey>`; otherwise any key (or none) is accepted. */
  apiKey: string | null;
  /** Seed the demo when the database is empty. */
  seedDemo: boolean;
  logger: Logger;
  /**
   * Tests: the wall clock stands still at this time (ms). Emulator time then moves only through the admin clock;
   * the scheduler's timer fires on its own only for transitions already due (a model run's immediate start).
   */
  frozenWallClockMs?: number;
  /** Fault rules in force from the start (`RUNBOARD_FAULTS`) and the default seed of their generators. */
  faults?: { rules: readonly unknown[]; seed: number };
  /** Tests: how injected latency and hangs wait. */
  faultSleep?: FaultSleep;
  /** When set, new runs are executed by this chat-completions endpoint instead of the script. */
  model?: ModelExecutorSettings | null;
  /**
   * Kept in the emulator's SQLite database, in the transaction of every run and thread write: Runboard's query index.
   * PostgreSQL keeps its query tables itself (`postgres` below, `AssistantsServer.postgres`).
   */
  index?: StoreIndexFactory;
  /** Tests: the bound on one uploaded file (default 512 MB, as OpenAI's). */
  maxFileBytes?: number;
  /** Tests: the bound on one answer of a vector store file's parsed content (default 4 MiB). */
  maxFileContentBytes?: number;
  /** Tests: the parse workers' module (one that holds each file until the test lets it go). */
  parseWorkerEntry?: URL;
  /** Tests: the SQLite search worker's module (one that fails on demand). */
  searchWorkerEntry?: URL;
  /**
   * Several instances on one database: how long the work an instance claims stays its own unrenewed
   * (`RUNBOARD_LEASE_MS`, default 15 s), and how often it looks at what the others changed
   * (`RUNBOARD_INSTANCE_POLL_MS`, default 1 s). Unused on SQLite, which one process owns.
   */
  instances?: { leaseMs: number; pollMs: number };
  /**
   * Tests: who this instance is among those on the database (its leases' owner and its change-log rows), so that
   * several instances can run in one process. Default: the process's `instanceId()`.
   */
  instanceId?: string;
  /**
   * File search: the embedding model (`RUNBOARD_EMBEDDING_MODEL`, on the model executor's endpoint; none: chunks are
   * found by their words) and the bounds of the queue that processes vector store files.
   */
  fileSearch?: { embeddingModel?: string | null; ingestQueue?: Partial<IngestQueueOptions> };
  /**
   * Where uploaded files' bytes are kept: by default a folder beside `dbPath` (`FolderFileBytes`); a PostgreSQL store
   * gives `PostgresFileBytes` by default, which every instance reads. Closed with the server.
   */
  fileBytes?: FileBytes;
}

export interface AssistantsServer {
  /** Mounted at /v1. */
  api: Hono;
  /** Mounted at /api/emulator. */
  admin: Hono;
  /** Every change of a thread, run, step or message, once committed: streams and the change feed subscribe here. */
  events: LifecycleEvents;
  /** One cheap statement on the store's database: it rejects (or hangs) when the database does not answer. */
  ping(): Promise<unknown>;
  /** The one file-search engine: vector stores index into it, runs with `file_search` search it. */
  fileSearch: FileSearch;
  /** Ends every open `stream: true` answer with an error event (a server shutting down, before it waits for them). */
  closeStreams(): void;
  /**
   * A stop begins (SIGTERM): no more work is claimed, model calls are aborted, and every lease this instance holds is
   * released, so the other instances on the database take its runs at once rather than after the lease. Requests
   * still answered meanwhile are served; what they make due is left to the others (or to the next start).
   */
  drain(): Promise<void>;
  /** What Runboard's query routes ask the emulator beside its index. */
  data: AssistantsServerData;
  /** Files in vector stores and their processing (tests wait on `whenIdle`). */
  vectorStoreFiles: VectorStoreFiles;
  /** The worker threads that parse and chunk files (tests see their `stats`). */
  fileParser: WorkerParser;
  /** Who executes new runs, and for the model executor its host and concurrency (never its key). */
  executor: NonNullable<RunboardConfig['executor']>;
  /** On PostgreSQL: the store, whose query tables answer the query API. Null on SQLite. */
  postgres: PostgresAssistantsStore | null;
  close(): Promise<void>;
}

export interface AssistantsServerData {
  /** Every named assistant: id → name (a text search of runs also looks in their assistant's name), kept in memory. */
  assistantNames(): ReadonlyMap<string, string>;
  /** Emulator time in ms (ahead of the wall clock once the admin clock was advanced). */
  nowMs(): number;
}

const SHUTDOWN_MESSAGE = 'The Runboard emulator is shutting down.';

/** Opens the store, seeds a first start, catches up what fell due while the server was down, and starts the timer. */
export async function createAssistantsServer(options: AssistantsServerOptions): Promise<AssistantsServer> {
  const onListenerError = (error: unknown) =>
    options.logger.error('A lifecycle event listener failed', {
      error: error instanceof Error ? error.message : String(error),
    });
  const postgres = options.postgres
    ? await openPostgresStore(options.postgres.client, {
        onListenerError,
        ownsClient: options.postgres.ownsClient,
        instanceId: options.instanceId,
      })
    : null;
  const store: AssistantsStore =
    postgres ??
    openSqliteStore(options.dbPath, onListenerError, options.index, {
      logger: options.logger,
      searchWorkerEntry: options.searchWorkerEntry,
    });
  const frozen = options.frozenWallClockMs;
  const settings: LifecycleSettings = { timeScale: options.timeScale };
  const clock = await EmulatorClock.load(
    store.settings,
    frozen === undefined ? Date.now : () => frozen,
    settings,
  );
  // The configured time scale becomes every instance's (the last instance started sets it, as the admin route does).
  await clock.setTimeScale(options.timeScale);
  let scheduler: Scheduler | null = null; // created once the lifecycle has caught up
  const reschedule = () => scheduler?.reschedule();
  const lease = thisInstance(options.instances?.leaseMs ?? DEFAULT_LEASE_MS, options.instanceId);
  // The one file-search engine, on the chunk index the store keeps in its database: vector stores index into it,
  // runs with file_search search it.
  const embeddingModel = options.fileSearch?.embeddingModel ?? null;
  const ingestQueue = { ...DEFAULT_INGEST_QUEUE, ...options.fileSearch?.ingestQueue };
  // Files are parsed and chunked in worker threads: as many at once as files are processed, and as many again
  // waiting (the vector store file contents parsed on requests, at most that many at once too).
  // (A queue of concurrency 0, which tests use to hold files waiting, still gets one worker for content requests.)
  const workers = Math.max(1, ingestQueue.concurrency);
  const parser = new WorkerParser({ size: workers, maxWaiting: workers, entry: options.parseWorkerEntry });
  const fileSearch = new FileSearch({
    parser,
    index: store.chunkIndex,
    embeddings: options.model && embeddingModel ? embeddingSettingsFor(options.model, embeddingModel) : null,
  });
  const lifecycle = new RunLifecycle(store, clock, settings, options.logger, reschedule, fileSearch, lease);
  const model = options.model
    ? new LlmExecutor(
        options.model,
        store,
        clock,
        options.logger,
        fileSearch,
        (runId, produce) => lifecycle.settle(runId, produce),
        lease,
      )
    : null;
  lifecycle.setExecutors({ model, defaultKind: model ? 'model' : 'scripted' });

  if (options.seedDemo && (await store.isEmpty())) {
    await store.transaction((tx) => seedDemo(tx, lifecycle, clock.now()));
    options.logger.info('Emulator seeded a demo: assistants, threads and runs in every status');
  }
  // Runs in flight when the server stopped resume here: whatever fell due meanwhile is applied at its due time.
  const caughtUp = await lifecycle.processAllDue();
  if (caughtUp > 0) options.logger.info('Emulator resumed runs in flight', { transitions: caughtUp });
  // Runs whose model call the stop cut off are executed again: at least once, as documented.
  const rerun = (await model?.resume()) ?? 0;
  if (rerun > 0) options.logger.info('Model runs cut off by the stop are executed again', { runs: rerun });

  // Transitions are applied by this timer, a batch at a time, off the request path; a read of a thread also catches
  // that thread up (see the API router). With a frozen wall clock only what is already due is applied on its own.
  const pollMs = options.instances?.pollMs ?? DEFAULT_INSTANCE_POLL_MS;
  scheduler = new Scheduler(
    () => lifecycle.nextDueAt(),
    () => clock.now(),
    () => lifecycle.processDue(),
    options.logger,
    { waitForWallClock: frozen === undefined, idleRetryMs: store.shared ? pollMs : undefined },
  );
  scheduler.reschedule();
  const stopFollowing = store.shared
    ? followOtherInstances({
        store,
        clock,
        scheduler,
        claimUnattended: model ? () => model.claimUnattended() : null,
        pollMs,
        logger: options.logger,
      })
    : () => {};

  let drained: Promise<void> | null = null;
  const drain = () =>
    (drained ??= (async () => {
      // What a batch or a look in progress claims is released below with the rest, once they have ended.
      await Promise.all([stopFollowing(), scheduler?.stop()]);
      await model?.close();
      await releaseHeld(store, lease.owner, options.logger);
    })());

  const faults = new FaultRegistry(options.faults?.seed ?? DEFAULT_FAULT_SEED, options.faults?.rules ?? []);
  const streams = new RunStreams(store.events);
  const assistantNames = await keptAssistantNames(store);
  // Uploaded files' bytes: as given; on PostgreSQL in the database, which every instance reads; on SQLite
  // `<database folder>/files/` (a temporary folder removed at close for `:memory:`).
  const files = {
    bytes:
      options.fileBytes ??
      (options.postgres
        ? new PostgresFileBytes(options.postgres.client)
        : FolderFileBytes.beside(options.dbPath)),
    maxBytes: options.maxFileBytes ?? MAX_FILE_BYTES,
    maxContentBytes: options.maxFileContentBytes ?? MAX_FILE_CONTENT_BYTES,
  };
  const vectorStoreFiles = new VectorStoreFiles(
    store,
    fileSearch,
    files.bytes,
    clock,
    options.logger,
    ingestQueue,
  );
  // Files waiting when the server stopped are processed again.
  vectorStoreFiles.resume();
  const context = { store, lifecycle, clock, settings, streams, files, fileSearch, vectorStoreFiles };
  return {
    api: createApiRouter(context, {
      apiKey: options.apiKey,
      logger: options.logger,
      faults,
      faultSleep: options.faultSleep,
    }),
    admin: createAdminRouter({ ...context, reschedule }, options.logger, faults),
    events: store.events,
    ping: () => store.ping(),
    fileSearch,
    vectorStoreFiles,
    fileParser: parser,
    closeStreams: () => streams.closeAll(SHUTDOWN_MESSAGE),
    data: {
      assistantNames: () => assistantNames,
      nowMs: () => clock.now(),
    },
    executor: options.model
      ? {
          kind: 'model',
          modelHost: options.model.endpoint.baseUrl.host,
          concurrency: options.model.concurrency,
        }
      : { kind: 'scripted', modelHost: null, concurrency: null },
    drain,
    postgres,
    async close() {
      streams.closeAll(SHUTDOWN_MESSAGE);
      await drain();
      vectorStoreFiles.close();
      await parser.close();
      await store.close();
      files.bytes.close();
    },
  };
}

/** A clean stop: the leases this instance still holds are released, so no run waits for them to expire. */
async function releaseHeld(store: AssistantsStore, owner: string, logger: Logger): Promise<void> {
  try {
    await store.runs.releaseLeases(owner);
  } catch (error) {
    logger.warn('Leases not released at stop: other instances take the runs once they expire', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Every named assistant, read once and then kept up to date by the assistants' events. */
async function keptAssistantNames(store: AssistantsStore): Promise<ReadonlyMap<string, string>> {
  const names = await store.assistants.names();
  store.events.subscribe(({ event }) => {
    if (event.object !== 'assistant') return;
    const { id, name } = event.assistant;
    if (event.change === 'deleted' || !name) names.delete(id);
    else names.set(id, name);
  });
  return names;
}
