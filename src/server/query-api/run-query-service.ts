import type { PostgresAssistantsStore } from '../../assistants-server/store/postgres/postgres-assistants-store';
import { ChangeFeed, type ChangeFeedOptions } from '../changes/change-feed';
import { indexFeedSource, logFeedSource } from '../changes/feed-source';
import type { InstanceChangeLog } from '../../assistants-server/store/postgres/change-log/instance-change-log';
import type { IndexSource } from '../run-index/index-source';
import type { RunIndex } from '../run-index/run-index';
import { RunsQueryEngine } from '../run-index/runs-query';
import { sqliteRunQueries, type RunQueries } from './run-queries';

/** The query API's reads, the change feed on top of them, and what keeps them filled in this mode. */
export interface RunQueryService<Source extends IndexSource = IndexSource> {
  queries: RunQueries;
  feed: ChangeFeed;
  source: Source;
  /** Milliseconds between heartbeat comments on /api/changes. */
  heartbeatMs?: number;
  close(): void;
}

/** On SQLite: the index the queries read, and its engine. */
export interface SqliteRunQueryService<
  Source extends IndexSource = IndexSource,
> extends RunQueryService<Source> {
  index: RunIndex;
  engine: RunsQueryEngine;
}

interface ServiceOptions {
  feed?: ChangeFeedOptions;
  heartbeatMs?: number;
}

/**
 * `index` is the emulator's (in its database, opened by the emulator's store) or proxy mode's (its own file): closing
 * the service closes its database either way, after the source.
 */
export function createRunQueryService<Source extends IndexSource>(
  index: RunIndex,
  startSource: (index: RunIndex) => Source,
  options: ServiceOptions = {},
): SqliteRunQueryService<Source> {
  // The feed subscribes first: a source's first changes (a proxy reload) must already be numbered.
  const feed = new ChangeFeed(indexFeedSource(index), options.feed);
  const source = startSource(index);
  const engine = new RunsQueryEngine(
    index.db,
    (threadId) => index.runCount(threadId),
    () => source.assistantNames(),
  );
  const service = serviceOf(sqliteRunQueries(index, engine), feed, source, options);
  return {
    ...service,
    index,
    engine,
    close() {
      service.close();
      index.close();
    },
  };
}

/**
 * On PostgreSQL: the store's query tables answer (written in each write's transaction: nothing is built at start),
 * and the feed is the change log as this instance reads it (every instance's changes, the database's ids: a browser
 * resumes on any instance). The store closes with the server; the change log's reader with the backend.
 */
export function createPostgresQueryService<Source extends IndexSource>(
  store: PostgresAssistantsStore,
  changeLog: InstanceChangeLog,
  source: Source,
  options: ServiceOptions = {},
): RunQueryService<Source> {
  const feed = new ChangeFeed(logFeedSource(changeLog), options.feed);
  return serviceOf(store.queries, feed, source, options);
}

function serviceOf<Source extends IndexSource>(
  queries: RunQueries,
  feed: ChangeFeed,
  source: Source,
  options: ServiceOptions,
): RunQueryService<Source> {
  return {
    queries,
    feed,
    source,
    heartbeatMs: options.heartbeatMs,
    close() {
      feed.close();
      source.close();
    },
  };
}
