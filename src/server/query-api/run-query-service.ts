import { ChangeFeed, type ChangeFeedOptions } from '../changes/change-feed';
import { indexFeedSource } from '../changes/feed-source';
import type { IndexSource } from '../run-index/index-source';
import type { RunIndex } from '../run-index/run-index';
import { RunsQueryEngine } from '../run-index/runs-query';

/** The index, its query engine, the change feed on top of it, and what keeps it filled in this mode. */
export interface RunQueryService<Source extends IndexSource = IndexSource> {
  index: RunIndex;
  engine: RunsQueryEngine;
  feed: ChangeFeed;
  source: Source;
  /** Milliseconds between heartbeat comments on /api/changes. */
  heartbeatMs?: number;
  close(): void;
}

/**
 * `index` is the emulator's (in its database, opened by the emulator's store) or proxy mode's (its own file): closing
 * the service closes its database either way, after the source.
 */
export function createRunQueryService<Source extends IndexSource>(
  index: RunIndex,
  startSource: (index: RunIndex) => Source,
  options: { feed?: ChangeFeedOptions; heartbeatMs?: number } = {},
): RunQueryService<Source> {
  // The feed subscribes first: a source's first changes (a proxy reload) must already be numbered.
  const feed = new ChangeFeed(indexFeedSource(index), options.feed);
  const source = startSource(index);
  return {
    index,
    engine: new RunsQueryEngine(
      index.db,
      (threadId) => index.runCount(threadId),
      () => source.assistantNames(),
    ),
    feed,
    source,
    heartbeatMs: options.heartbeatMs,
    close() {
      feed.close();
      source.close();
      index.close();
    },
  };
}
