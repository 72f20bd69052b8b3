import { Hono } from 'hono';
import type { RunboardConfig, StoreDescription } from '../shared/runboard-types';
import { instanceId } from '../assistants-server/store/postgres/instance-id';
import type { ServerConfig } from './config';
import type { Logger } from '../platform/logger';
import { requestLog } from './request-log';
import { serveDashboard } from './dashboard';
import { installPerimeter } from './security/perimeter';
import { downloadLinkRoutes, downloadLinks } from './security/download-link';
import { serverErrorHandler } from './server-error-handler';
import { auditTrail } from './audit/audit-middleware';
import { auditRoutes } from './audit/audit-routes';
import type { AuditStore } from './audit/audit-store';
import type { RunQueryService } from './query-api/run-query-service';
import { runsApiRoutes } from './query-api/query-api-routes';
import { excerpt } from '../platform/request-input';
import { openAiError } from './security/openai-error';
import { DatabaseProbe } from './health/database-probe';
import { healthRoutes } from './health/health-route';
import { describeStore } from './health/store-description';

/** What answers `/v1`: the embedded emulator or the proxy to an upstream. */
export interface Backend {
  mode: RunboardConfig['backend']['mode'];
  /** Mounted at /v1. */
  api: Hono;
  /** Mounted at /api/emulator (emulator mode only). */
  admin: Hono | null;
  capabilities: RunboardConfig['capabilities'];
  upstreamHost: string | null;
  /** Runboard's run query API and change feed (/api/runs, /api/threads, /api/changes); absent in some unit tests. */
  query?: RunQueryService;
  /** Who executes the emulator's runs; null in proxy mode. */
  executor: RunboardConfig['executor'];
  /** The backend's clock in ms, when it has its own (the emulator's can be advanced); else the wall clock. */
  now?: () => number;
  /** The database the server keeps its data in, and one cheap statement on it (GET /api/health); absent in some unit tests. */
  database?: BackendDatabase;
}

export interface BackendDatabase {
  store: StoreDescription;
  ping(): Promise<unknown>;
}

export interface AppOptions {
  config: ServerConfig;
  logger: Logger;
  backend: Backend;
  /** Folder of the built dashboard; null serves the API only (tests, `npm run dev`). */
  dashboardDir: string | null;
  version?: string;
  /** The port actually listened on, read per request (PORT=0 is known only after listen); defaults to config.port. */
  listeningPort?: () => number;
  /** Where /v1 writes are recorded; the caller opens and closes it. */
  audit: AuditStore;
}

export function createApp({
  config,
  logger,
  backend,
  dashboardDir,
  version = '0.0.0',
  listeningPort = () => config.port,
  audit,
}: AppOptions): Hono {
  const app = new Hono();
  const store = backend.database?.store ?? describeStore(config);
  app.onError(serverErrorHandler(logger, store));
  installPerimeter(app, { config, logger, listeningPort });
  app.use(requestLog(logger));

  app.get('/api/config', (c) =>
    c.json<RunboardConfig>({
      backend: { mode: backend.mode, upstreamHost: backend.upstreamHost },
      executor: backend.executor,
      capabilities: backend.capabilities,
      tokenRequired: config.token !== null,
      version,
      store,
      instance: instanceId(),
    }),
  );
  if (backend.database) {
    const probe = new DatabaseProbe(backend.database.ping, config.healthTimeoutMs);
    app.route(
      '/api',
      healthRoutes({
        backend: { mode: backend.mode, upstreamHost: backend.upstreamHost },
        store,
        instance: instanceId(),
        version,
        probe,
      }),
    );
  }
  if (backend.admin) app.route('/api/emulator', backend.admin);
  app.route('/api/audit', auditRoutes(audit));
  app.route('/api', downloadLinkRoutes(config.token === null ? null : downloadLinks(config.token)));
  if (backend.query) app.route('/api', runsApiRoutes(backend.query));
  app.use('/v1/*', auditTrail(audit, logger, backend.now));
  app.route('/v1', backend.api);

  app.all('/api/*', (c) =>
    openAiError(c, 404, `Unknown route ${c.req.method} ${excerpt(c.req.path)}.`, null),
  );
  if (dashboardDir) app.route('/', serveDashboard(dashboardDir));
  return app;
}
