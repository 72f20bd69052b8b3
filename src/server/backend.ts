import type { ServerConfig } from './config';
import type { Logger } from '../platform/logger';
import type { Backend } from './app';
import { createAssistantsServer } from '../assistants-server/assistants-server';
import { DEFAULT_RETRY_POLICY } from '../assistants-server/llm-executor/call-with-retries';
import { createProxyApi } from './proxy/proxy-api';
import { createRunQueryService } from './query-api/run-query-service';
import { emulatorIndexSource, indexInEmulatorStore } from './run-index/emulator-source';
import { RunIndex } from './run-index/run-index';
import { openIndexDatabase } from './run-index/run-index-schema';
import { indexFromUpstream } from './run-index/upstream-source';
import { describeStore } from './health/store-description';

export interface RunningBackend extends Backend {
  /** Ends the streamed answers still open, so a closing server does not wait for runs to finish. */
  closeStreams(): void;
  close(): Promise<void>;
}

/** Proxy mode when OPENAI_BASE_URL is set; otherwise the embedded emulator. */
export async function createBackend(config: ServerConfig, logger: Logger): Promise<RunningBackend> {
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
      close: () => {
        query.close();
        return Promise.resolve();
      },
    };
  }
  // The query index lives in the emulator's database, written in the transaction of each write it reflects.
  const keptIndex = indexInEmulatorStore(logger);
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
    index: keptIndex.attach,
  });
  const query = createRunQueryService(keptIndex.index(), (index) => emulatorIndexSource(index, emulator), {
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
    database: { store: describeStore(config), ping: emulator.ping },
    closeStreams: () => {
      query.feed.close();
      emulator.closeStreams();
    },
    close: async () => {
      query.feed.close();
      query.source.close();
      await emulator.close();
    },
  };
}
