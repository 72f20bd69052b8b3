import type { ServerConfig } from './config';
import type { Logger } from '../platform/logger';
import type { Backend } from './app';
import { createEmulator } from '../emulator/emulator';
import { createProxyApi } from './proxy/proxy-api';
import { createRunQueryService } from './runs-api/run-query-service';
import { indexFromEmulator } from './run-index/emulator-source';
import { indexFromUpstream } from './run-index/upstream-source';

export interface RunningBackend extends Backend {
  close(): void;
}

/** Proxy mode when OPENAI_BASE_URL is set; otherwise the embedded emulator. */
export function createBackend(config: ServerConfig, logger: Logger): RunningBackend {
  if (config.proxy) {
    const proxy = config.proxy;
    // One index of the watched threads' runs, filled by one poller for every browser.
    const query = createRunQueryService(config.indexDbPath, (index) =>
      indexFromUpstream(index, proxy, logger),
    );
    return {
      mode: 'proxy',
      api: createProxyApi(proxy, logger),
      admin: null,
      capabilities: { listThreads: false, emulatorAdmin: false },
      upstreamHost: proxy.baseUrl.host,
      query,
      close: () => query.close(),
    };
  }
  const emulator = createEmulator({
    dbPath: config.dbPath,
    timeScale: config.timeScale,
    apiKey: config.emulatorApiKey,
    seedDemo: config.seedDemo,
    logger,
    faults: config.faults,
  });
  // The emulator's index lives in memory: it is rebuilt from the emulator's SQLite at each start.
  const query = createRunQueryService(':memory:', (index) => indexFromEmulator(index, emulator));
  return {
    mode: 'emulator',
    api: emulator.api,
    admin: emulator.admin,
    capabilities: { listThreads: true, emulatorAdmin: true },
    upstreamHost: null,
    query,
    close: () => {
      query.close();
      emulator.close();
    },
  };
}
