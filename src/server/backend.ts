import type { ServerConfig } from './config';
import type { Logger } from '../platform/logger';
import type { Backend } from './app';
import { createAssistantsServer } from '../assistants-server/assistants-server';
import { DEFAULT_RETRY_POLICY } from '../assistants-server/llm-executor/call-with-retries';
import { createProxyApi } from './proxy/proxy-api';
import { connectToServer } from '../assistants-server/store/postgres/server-client';
import { InstanceChangeLog } from '../assistants-server/store/postgres/change-log/instance-change-log';
import { RunTextSweep } from '../assistants-server/store/postgres/query-tables/run-text-sweep';
import type { SqlClient } from '../assistants-server/store/postgres/sql-client';
import type { DatabaseUrl } from '../assistants-server/store/postgres/database-url';
import { createPostgresQueryService, createRunQueryService } from './query-api/run-query-service';
import { emulatorIndexSource, indexInEmulatorStore, keptThreadsSource } from './run-index/emulator-source';
import { RunIndex } from './run-index/run-index';
import { openIndexDatabase } from './run-index/run-index-schema';
import { indexFromUpstream } from './run-index/upstream-source';
import { describeStore } from './health/store-description';

export interface RunningBackend extends Backend {
  /** Ends the streamed answers still open, so a closing server does not wait for runs to finish. */
  closeStreams(): void;
  /** A stop begins: the emulator takes no more work and hands what it holds to the other instances at once. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** The server's pool on `RUNBOARD_DATABASE_URL` (its store and, in `start-server.ts`, its audit trail). */
export function connectToDatabase(database: DatabaseUrl): SqlClient {
  return connectToServer(database.connectionString, { applicationName: 'runboard' });
}

export interface BackendOptions {
  /**
   * Tests: the PostgreSQL client to use instead of connecting to `config.database` (a test database shared by the
   * servers of a test file: `ownsClient` false keeps it open at close).
   */
  postgres?: { client: SqlClient; ownsClient?: boolean } | null;
  /** Tests: this instance's id among those on the database (several in one process); default the process's. */
  instanceId?: string;
}

/**
 * Proxy mode when OPENAI_BASE_URL is set; otherwise the embedded emulator, on PostgreSQL when RUNBOARD_DATABASE_URL is
 * set (its query tables answer the query API), else on SQLite (its query index in the same file).
 */
export async function createBackend(
  config: ServerConfig,
  logger: Logger,
  options: BackendOptions = {},
): Promise<RunningBackend> {
  if (config.proxy) {
    const proxy = config.proxy;
    // One index of the watched threads' runs, filled by one poller for every browser and by the traffic forwarded.
    const query = createRunQueryService(
      new RunIndex(openIndexDatabase(config.indexDbPath), { logger }),
      (index) => indexFromUpstream(index, proxy, logger),
      { feed: config.feed },
    );
    return {
      mode: 'proxy',
      api: createProxyApi(proxy, logger, query.source),
      admin: null,
      capabilities: { listThreads: false, emulatorAdmin: false },
      upstreamHost: proxy.baseUrl.host,
      query,
      executor: null,
      // Proxy mode keeps the watched threads' index in SQLite: that file is its database.
      database: {
        store: describeStore({ dbPath: config.indexDbPath }),
        ping: async () => query.index.db.prepare('SELECT 1').get(),
      },
      closeStreams: () => query.feed.close(),
      drain: () => Promise.resolve(),
      close: () => {
        query.close();
        return Promise.resolve();
      },
    };
  }
  const postgres =
    options.postgres ?? (config.database ? { client: connectToDatabase(config.database) } : null);
  if (config.database) logger.info('Store: PostgreSQL', { database: config.database.label });
  // On SQLite the query index lives in the emulator's database, written in the transaction of each write it reflects.
  const keptIndex = postgres ? null : indexInEmulatorStore(logger);
  const emulator = await createAssistantsServer({
    dbPath: config.dbPath,
    timeScale: config.timeScale,
    apiKey: config.emulatorApiKey,
    seedDemo: config.seedDemo,
    logger,
    faults: config.faults,
    model: config.model
      ? {
          endpoint: {
            baseUrl: config.model.baseUrl,
            apiKey: config.model.apiKey,
            idleTimeoutMs: config.model.timeoutMs,
            limits: config.model.limits,
          },
          modelMap: config.model.modelMap,
          concurrency: config.model.concurrency,
          retry: { ...DEFAULT_RETRY_POLICY, maxRetries: config.model.maxRetries },
        }
      : null,
    index: keptIndex?.attach,
    postgres,
    fileSearch: {
      embeddingModel: config.fileSearch.embeddingModel,
      ingestQueue: { concurrency: config.fileSearch.concurrency, maxQueued: config.fileSearch.maxQueued },
    },
    instances: config.instances,
    instanceId: options.instanceId,
  });
  // On PostgreSQL the change log (every instance's writes) is read by one reader per instance: it is the change feed,
  // and it brings the other instances' lifecycle events to this one's `store.events` (`stream: true` answers for runs
  // another instance executes, the scheduler's waking, the assistants' names, a model call cancelled elsewhere).
  // Texts of runs no run refers to any more that the writes' triggers could not delete (migration 8), swept with the prune.
  const textSweep = postgres ? new RunTextSweep(postgres.client) : null;
  const changeLog = postgres
    ? new InstanceChangeLog(postgres.client, {
        retention: config.changeLog,
        upkeep: () => textSweep!.sweep(),
        lifecycle: (entry) => emulator.postgres?.deliverLogged(entry),
        onError: (error) =>
          logger.warn('The change log could not be read; retrying', {
            error: error instanceof Error ? error.message : String(error),
          }),
      })
    : null;
  try {
    await changeLog?.start();
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const query = emulator.postgres
    ? createPostgresQueryService(
        emulator.postgres,
        changeLog!,
        keptThreadsSource(emulator.postgres.queries, emulator),
        { feed: config.feed },
      )
    : createRunQueryService(keptIndex!.index(), (index) => emulatorIndexSource(index, emulator), {
        feed: config.feed,
      });
  return {
    mode: 'emulator',
    api: emulator.api,
    admin: emulator.admin,
    capabilities: { listThreads: true, emulatorAdmin: true },
    upstreamHost: null,
    query,
    executor: emulator.executor,
    now: emulator.data.nowMs,
    database: {
      store: describeStore({ dbPath: config.dbPath, databaseUrl: config.database?.connectionString }),
      ping: emulator.ping,
    },
    closeStreams: () => {
      query.feed.close();
      emulator.closeStreams();
    },
    drain: () => emulator.drain(),
    close: async () => {
      query.feed.close();
      query.source.close();
      await changeLog?.close();
      await emulator.close();
    },
  };
}
