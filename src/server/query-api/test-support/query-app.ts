import { Hono } from 'hono';
import type { QueryCoverage, WatchedThread } from '../../../shared/runs-query-types';
import type { ChangeFeedOptions } from '../../changes/change-feed';
import { createHarness, type Harness } from '../../../assistants-server/test-support/emulator-harness';
import type { AssistantsServerOptions } from '../../../assistants-server/assistants-server';
import { silentLogger } from '../../../platform/logger';
import { emulatorIndexSource, indexInEmulatorStore } from '../../run-index/emulator-source';
import type { IndexSource } from '../../run-index/index-source';
import { RunIndex } from '../../run-index/run-index';
import { openIndexDatabase } from '../../run-index/run-index-schema';
import { createRunQueryService, type SqliteRunQueryService } from '../run-query-service';
import { runsApiRoutes } from '../query-api-routes';

/** A source that is the test itself: it writes runs into the index and sets the clock. */
export function manualSource(
  nowMs: () => number,
  assistantNames: () => ReadonlyMap<string, string> = () => new Map(),
): IndexSource {
  const watched = new Set<string>();
  return {
    coverage: (threadId): QueryCoverage => ({
      complete: true,
      threads: threadId === null ? 0 : 1,
      loading_threads: 0,
      refreshed_at: null,
    }),
    nowMs,
    assistantNames,
    watch: (ids) => ids.forEach((id) => watched.add(id)),
    unwatch: (id) => watched.delete(id),
    watched: (): WatchedThread[] =>
      [...watched].map((thread_id) => ({
        thread_id,
        state: 'ready',
        runs_indexed: 0,
        refreshed_at: null,
        error: null,
      })),
    close: () => {},
  };
}

/** The query routes mounted at /api over `source`, without the rest of the server. */
export function queryApp(
  startSource: Parameters<typeof createRunQueryService>[1],
  options: { feed?: ChangeFeedOptions; heartbeatMs?: number; indexPath?: string } = {},
): { app: Hono; service: SqliteRunQueryService } {
  const index = new RunIndex(openIndexDatabase(options.indexPath ?? ':memory:'));
  return mount(createRunQueryService(index, startSource, options));
}

/** An emulator (the test harness) with the query index in its database, as the server assembles them. */
export async function emulatorQueryApp(
  overrides: Partial<AssistantsServerOptions> = {},
  options: { feed?: ChangeFeedOptions; heartbeatMs?: number } = {},
): Promise<{ app: Hono; service: SqliteRunQueryService; harness: Harness }> {
  const kept = indexInEmulatorStore(silentLogger);
  const harness = await createHarness({ ...overrides, index: kept.attach });
  const built = mount(
    createRunQueryService(kept.index(), (index) => emulatorIndexSource(index, harness.emulator), options),
  );
  return { ...built, harness };
}

function mount(service: SqliteRunQueryService): { app: Hono; service: SqliteRunQueryService } {
  const app = new Hono();
  app.route('/api', runsApiRoutes(service));
  return { app, service };
}
