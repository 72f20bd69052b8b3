/**
 * Measures how long a change committed on one instance takes to reach a browser's `/api/changes` stream on another,
 * on a real server, through the whole feed (the change log, B's reader, the feed, the SSE route over HTTP):
 *
 *   RUNBOARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx \
 *     src/server/changes/measure-feed-latency.ts [changes]
 *
 * Creates a throwaway database; instance A commits `changes` (default 500) one after another, 10-30 ms apart, each
 * with a lifecycle row beside it as a store's write has; instance B serves the feed on a local port and one client
 * reads it. Prints the latency from A's commit being acknowledged to the frame read by the client: p50, p95, p99, max
 * (ms), then drops the database.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { LifecycleEvents } from '../../assistants-server/events/lifecycle-events';
import {
  appendChange,
  appendLifecycleEvent,
} from '../../assistants-server/store/postgres/change-log/append-change';
import { InstanceChangeLog } from '../../assistants-server/store/postgres/change-log/instance-change-log';
import { migrate } from '../../assistants-server/store/postgres/migrations/migrate';
import { connectToServer } from '../../assistants-server/store/postgres/server-client';
import { throwawayDatabase } from '../../assistants-server/store/postgres/test-support/throwaway-database';
import { createSseParser } from '../../shared/sse-parser';
import { ChangeFeed } from './change-feed';
import { changesStream } from './changes-route';
import { logFeedSource } from './feed-source';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const adminUrl = process.env.RUNBOARD_TEST_DATABASE_URL;
  if (!adminUrl)
    throw new Error('Set RUNBOARD_TEST_DATABASE_URL to a PostgreSQL server (see the comment above).');
  const total = Number(process.argv[2] ?? 500);
  const database = await throwawayDatabase(adminUrl, 'runboard_feed_latency');
  const a = connectToServer(database.url, { applicationName: 'runboard-a' });
  const b = connectToServer(database.url, { applicationName: 'runboard-b' });
  await migrate(a);
  const log = new InstanceChangeLog(b, { events: new LifecycleEvents(), pruneEveryMs: 0 });
  await log.start();
  const feed = new ChangeFeed(logFeedSource(log));
  const app = new Hono().get('/api/changes', (c) => changesStream(c, feed));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;

  const committed = new Map<string, number>();
  const arrived = new Map<string, number>();
  const response = await fetch(`http://127.0.0.1:${port}/api/changes`);
  const reader = response.body!.getReader();
  const parser = createSseParser();
  const decoder = new TextDecoder();
  const reading = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      for (const frame of parser.push(decoder.decode(chunk.value, { stream: true }))) {
        if (frame.data)
          arrived.set((JSON.parse(frame.data) as { thread_id: string }).thread_id, performance.now());
      }
    }
  })();
  try {
    for (let i = 0; i < total; i += 1) {
      const id = `thread_${i}`;
      await a.transaction(async (tx) => {
        await appendLifecycleEvent(tx, JSON.stringify({ object: 'resync', reason: id, threadIds: [] }), 'a');
        await appendChange(tx, { type: 'thread.deleted', thread_id: id });
      });
      committed.set(id, performance.now());
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
    const deadline = Date.now() + 5_000;
    while (arrived.size < total && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    // A frame can arrive before A's commit is acknowledged to A: counted as 0.
    const latencies = [...committed]
      .filter(([id]) => arrived.has(id))
      .map(([id, at]) => Math.max(0, arrived.get(id)! - at))
      .sort((x, y) => x - y);
    const ms = (p: number) => percentile(latencies, p).toFixed(1);
    console.log(
      `${latencies.length}/${total} delivered; commit on A → SSE frame on B (ms): p50 ${ms(50)}, p95 ${ms(95)}, ` +
        `p99 ${ms(99)}, max ${ms(100)}; load ${loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    await reader.cancel().catch(() => {});
    await reading.catch(() => {});
    feed.close();
    await log.close();
    server.close();
    await Promise.all([a.close(), b.close()]);
    await database.drop();
  }
}

await main();
