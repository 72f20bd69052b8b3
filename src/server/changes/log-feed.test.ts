import { Hono } from 'hono';
import { afterEach, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/runs-query-types';
import { LifecycleEvents } from '../../assistants-server/events/lifecycle-events';
import {
  appendChange,
  appendLifecycleEvent,
} from '../../assistants-server/store/postgres/change-log/append-change';
import { InstanceChangeLog } from '../../assistants-server/store/postgres/change-log/instance-change-log';
import { pruneChangeLog } from '../../assistants-server/store/postgres/change-log/prune-change-log';
import type { SqlClient } from '../../assistants-server/store/postgres/sql-client';
import { connectToServer } from '../../assistants-server/store/postgres/server-client';
import {
  describePostgres,
  TEST_BACKEND,
  withPostgres,
} from '../../assistants-server/store/postgres/test-support/with-postgres';
import { silentLogger } from '../../platform/logger';
import { describePostgresUrl } from '../health/store-description';
import { serverErrorHandler } from '../server-error-handler';
import { ChangeFeed, type ChangeFeedOptions } from './change-feed';
import { changesStream } from './changes-route';
import { logFeedSource } from './feed-source';
import { cuttableProxy } from './test-support/cuttable-proxy';
import { SseReader } from './test-support/sse-reader';

const parse = (frame: { data?: string }) => JSON.parse(frame.data!) as ChangeEvent;
const threadOf = (event: ChangeEvent) => (event as { thread_id: string }).thread_id;

describePostgres('/api/changes on PostgreSQL: one feed across instances', () => {
  const database = withPostgres();
  const closing: (() => Promise<void> | void)[] = [];

  /** An instance: its reader of the log, its feed, and its /api/changes. */
  async function startInstance(db: SqlClient, feedOptions: ChangeFeedOptions = {}) {
    const log = new InstanceChangeLog(db, { events: new LifecycleEvents(), pruneEveryMs: 0 });
    await log.start();
    const feed = new ChangeFeed(logFeedSource(log), feedOptions);
    closing.push(
      () => feed.close(),
      () => log.close(),
    );
    const app = new Hono().get('/api/changes', (c) => changesStream(c, feed));
    const connect = async (lastEventId?: number | string) => {
      const headers: Record<string, string> = {};
      if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
      const response = await app.request('/api/changes', { headers });
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      closing.push(() => reader.close().catch(() => {}));
      return reader;
    };
    return { log, feed, connect };
  }

  /** Commits a change as a store's write would: with lifecycle rows beside it (gaps in the feed's ids). */
  async function commit(db: SqlClient, threadId: string): Promise<number> {
    return db.transaction(async (tx) => {
      await appendLifecycleEvent(
        tx,
        JSON.stringify({ object: 'resync', reason: threadId, threadIds: [] }),
        'instance-a',
      );
      return appendChange(tx, { type: 'thread.deleted', thread_id: threadId });
    });
  }

  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  it('streams a change committed on A to a browser on B, its id the database’s', async () => {
    const a = database.connect({ applicationName: 'runboard-a' });
    const b = await startInstance(database.connect({ applicationName: 'runboard-b' }));
    const browser = await b.connect();
    const [opened] = await browser.next(1, (frame) => frame.id !== undefined);
    const id = await commit(a, 'thread_from_a');
    const [frame] = await browser.events(1);
    expect(Number(frame!.id)).toBe(id);
    expect(Number(frame!.id)).toBeGreaterThan(Number(opened!.id));
    expect(parse(frame!)).toEqual({ type: 'thread.deleted', thread_id: 'thread_from_a', seq: id });
  });

  it('resumes on another instance from Last-Event-ID without loss, from its replay buffer or from the log', async () => {
    const writer = database.connect();
    const a = await startInstance(database.connect(), { capacity: 3 });
    const b = await startInstance(database.connect());
    const onB = await b.connect();
    await onB.next(1, (frame) => frame.id !== undefined);
    const names = Array.from({ length: 12 }, (_, i) => `thread_${i}`);
    for (const name of names.slice(0, 4)) await commit(writer, name);
    const seen = await onB.events(4);
    await onB.close();
    // A failed rollback between them: another gap.
    await writer
      .transaction(async (tx) => {
        await appendChange(tx, { type: 'thread.deleted', thread_id: 'never' });
        throw new Error('rolled back');
      })
      .catch(() => {});
    for (const name of names.slice(4)) await commit(writer, name);
    // Wait until A has read them all: its buffer holds the last 3 of the 12 only.
    const last = await commit(writer, 'thread_last');
    while (a.log.lastId() < last) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(a.feed.replayHeld().changes).toBe(3);

    const onA = await a.connect(seen.at(-1)!.id!);
    const resumed = (await onA.events(9)).map(parse);
    expect(resumed.map(threadOf)).toEqual([...names.slice(4), 'thread_last']);
    expect(resumed.at(-1)!.seq).toBe(last);
    // Then live, as any stream.
    const next = await commit(writer, 'thread_live');
    expect(parse((await onA.events(1))[0]!)).toEqual({
      type: 'thread.deleted',
      thread_id: 'thread_live',
      seq: next,
    });

    // Resumed from inside the buffer (an id that is a gap: a lifecycle row's) on A, by lookup, not arithmetic.
    const fromBuffer = await a.connect(last - 1);
    expect((await fromBuffer.events(2)).map(parse).map(threadOf)).toEqual(['thread_last', 'thread_live']);
  });

  it('tells a browser to refetch (reset) for an id the database never gave out, or one older than the log keeps', async () => {
    const writer = database.connect();
    const b = await startInstance(database.connect());
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await commit(writer, `thread_kept_${i}`));
    while (b.log.lastId() < ids[4]!) await new Promise((resolve) => setTimeout(resolve, 5));

    for (const id of [ids[4]! + 1_000, 'not-a-number']) {
      const stranger = await b.connect(id);
      expect(parse((await stranger.events(1))[0]!)).toMatchObject({
        type: 'reset',
        reason: 'unknown_event_id',
      });
    }
    // The log keeps its last 3 rows: thread_kept_3's change, and thread_kept_4's two rows (lifecycle, change).
    await pruneChangeLog(writer, { maxRows: 3, maxAgeMs: 3_600_000 });
    const tooOld = await b.connect(ids[2]!);
    expect(parse((await tooOld.events(1))[0]!)).toEqual({
      type: 'reset',
      seq: b.log.lastId(),
      reason: 'too_far_behind',
      thread_ids: null,
    });
    const kept = await b.connect(ids[3]!);
    expect((await kept.events(1)).map(parse).map(threadOf)).toEqual(['thread_kept_4']);
  });
});

describePostgres('/api/changes when the database goes away', () => {
  const database = withPostgres();

  it.skipIf(TEST_BACKEND !== 'server')(
    'ends its streams, answers 503 database_unavailable while the database does not answer, and streams again once it does',
    async () => {
      const proxy = await cuttableProxy(database.url!);
      const db = connectToServer(proxy.url, { maxConnections: 2 });
      const log = new InstanceChangeLog(db, { events: new LifecycleEvents(), pruneEveryMs: 0, pollMs: 100 });
      await log.start();
      const feed = new ChangeFeed(logFeedSource(log));
      const app = new Hono().get('/api/changes', (c) => changesStream(c, feed));
      app.onError(
        serverErrorHandler(silentLogger, describePostgresUrl('postgres://u:pw@db.internal/runboard')),
      );
      try {
        const open = new SseReader(await app.request('/api/changes'));
        const [first] = await open.next(1, (frame) => frame.id !== undefined);

        await proxy.cut();
        // The open stream ends (within the reader's next poll), instead of staying open and silent.
        await expect(open.next(1, () => true, 5_000)).rejects.toThrow(/the stream ended/);
        const refused = await app.request('/api/changes', { headers: { 'last-event-id': first!.id! } });
        expect(refused.status).toBe(503);
        expect(await refused.json()).toMatchObject({
          error: {
            code: 'database_unavailable',
            message: expect.stringMatching(
              /^The database \(PostgreSQL db\.internal:5432\/runboard\) did not answer: /,
            ),
          },
        });
        // Written while this instance could not read: delivered once it can.
        const id = await database.client.transaction((tx) =>
          appendChange(tx, { type: 'thread.deleted', thread_id: 'thread_meanwhile' }),
        );

        await proxy.restore();
        let resumed: Response | null = null;
        for (let attempt = 0; attempt < 100 && resumed?.status !== 200; attempt += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          resumed = await app.request('/api/changes', { headers: { 'last-event-id': first!.id! } });
        }
        expect(resumed!.status).toBe(200);
        const reader = new SseReader(resumed!);
        const [change] = await reader.events(1);
        expect(parse(change!)).toEqual({ type: 'thread.deleted', thread_id: 'thread_meanwhile', seq: id });
        await reader.close();
      } finally {
        feed.close();
        await log.close();
        await db.close();
        await proxy.close();
      }
    },
    30_000,
  );
});
