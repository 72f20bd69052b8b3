import { afterEach, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../../shared/runs-query-types';
import { LifecycleEvents, type LifecycleEvent } from '../../../events/lifecycle-events';
import type { SqlClient } from '../sql-client';
import { describePostgres, withPostgres } from '../test-support/with-postgres';
import { appendChange, appendLifecycleEvent } from './append-change';
import { InstanceChangeLog, type InstanceChangeLogOptions } from './instance-change-log';
import { pruneChangeLog } from './prune-change-log';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const resync = (reason: string): LifecycleEvent => ({ object: 'resync', reason, threadIds: [] });

describePostgres('the change log as each instance sees it', () => {
  const database = withPostgres();
  const opened: InstanceChangeLog[] = [];

  /** An instance: its own connection, its own `store.events`, and what each of them received. */
  async function startInstance(db: SqlClient, options: Partial<InstanceChangeLogOptions> = {}) {
    const events = new LifecycleEvents();
    const lifecycle: string[] = [];
    const seqs: number[] = [];
    events.subscribe(({ seq, event }) => {
      seqs.push(seq);
      lifecycle.push(event.object === 'resync' ? event.reason : event.object);
    });
    const log = new InstanceChangeLog(db, { events, pruneEveryMs: 0, pollMs: 60_000, ...options });
    opened.push(log);
    await log.start();
    const feed: ChangeEvent[] = [];
    log.subscribeFeed((change) => feed.push(change));
    return { db, log, events, lifecycle, seqs, feed };
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((log) => log.close()));
  });

  it('delivers every instance’s lifecycle events on every instance, its own included, once each, in the log’s order', async () => {
    const a = await startInstance(database.connect({ applicationName: 'runboard-a' }));
    const b = await startInstance(database.connect({ applicationName: 'runboard-b' }));

    // Both instances write, interleaved and concurrently; one transaction writes three events, one rolls back.
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i += 1) {
      const writer = i % 2 === 0 ? a : b;
      writes.push(
        writer.db.transaction((tx) =>
          appendLifecycleEvent(
            tx,
            JSON.stringify(resync(`e${i}`)),
            i % 2 === 0 ? 'instance-a' : 'instance-b',
          ),
        ),
      );
    }
    writes.push(
      a.db.transaction(async (tx) => {
        for (const part of ['t1', 't2', 't3'])
          await appendLifecycleEvent(tx, JSON.stringify(resync(part)), 'instance-a');
      }),
    );
    writes.push(
      b.db
        .transaction(async (tx) => {
          await appendLifecycleEvent(tx, JSON.stringify(resync('rolled back')), 'instance-b');
          throw new Error('the writer failed');
        })
        .catch(() => {}),
    );
    await Promise.all(writes);

    await until(() => a.lifecycle.length >= 43 && b.lifecycle.length >= 43, 'every event on both');
    await a.log.close();
    await b.log.close();
    const logOrder = await database.client.query<{ reason: string }>(
      `SELECT body->'event'->>'reason' AS reason FROM change_log WHERE type = 'lifecycle' ORDER BY id`,
    );
    const expected = logOrder.rows.map((row) => row.reason);
    expect(expected).toHaveLength(43);
    expect(a.lifecycle).toEqual(expected);
    expect(b.lifecycle).toEqual(expected);
    // One transaction's events keep the order it wrote them in (ids interleave with concurrent writers' ids).
    expect(expected.filter((reason) => reason.startsWith('t'))).toEqual(['t1', 't2', 't3']);
    expect(a.lifecycle).not.toContain('rolled back');
    // Published as the seam numbers them: one more per event.
    expect(b.seqs).toEqual(expected.map((_, index) => index + 1));
    // None of them is a change of the dashboard's feed.
    expect(a.feed).toEqual([]);
  });

  it('hands the feed’s changes to the feed and the lifecycle events to `events`, each in id order', async () => {
    const b = await startInstance(database.connect());
    const ids = await database.client.transaction(async (tx) => [
      await appendChange(tx, { type: 'thread.deleted', thread_id: 'thread_1' }),
      await appendLifecycleEvent(tx, JSON.stringify(resync('between')), 'instance-a'),
      await appendChange(tx, { type: 'thread.deleted', thread_id: 'thread_2' }),
    ]);
    await until(() => b.feed.length === 2 && b.lifecycle.length === 1, 'both kinds');
    expect(b.feed).toEqual([
      { type: 'thread.deleted', thread_id: 'thread_1', seq: ids[0] },
      { type: 'thread.deleted', thread_id: 'thread_2', seq: ids[2] },
    ]);
    expect(b.lifecycle).toEqual(['between']);
  });

  it('pages the feed after an id from the log, skipping lifecycle rows, and tells where the next page starts', async () => {
    const b = await startInstance(database.connect(), { maxItems: 2 });
    const from = b.log.lastId();
    const ids: number[] = [];
    await database.client.transaction(async (tx) => {
      for (let i = 0; i < 3; i += 1) {
        ids.push(await appendLifecycleEvent(tx, JSON.stringify(resync(`l${i}`)), 'instance-a'));
        ids.push(await appendChange(tx, { type: 'thread.deleted', thread_id: `thread_${i}` }));
      }
    });
    await until(() => b.feed.length === 3, 'the changes');
    const pages: { changes: string[]; upTo: number }[] = [];
    let after = from;
    while (after < b.log.lastId()) {
      const page = await b.log.readFeedAfter(after);
      pages.push({
        changes: page.changes.map((change) => (change as { thread_id: string }).thread_id),
        upTo: page.upTo,
      });
      expect(page.upTo).toBeGreaterThan(after);
      after = page.upTo;
    }
    expect(pages).toEqual([
      { changes: ['thread_0'], upTo: ids[1] },
      { changes: ['thread_1'], upTo: ids[3] },
      { changes: ['thread_2'], upTo: ids[5] },
    ]);
  });

  it('resumes an id the database gave out; resets one it never did, or one whose followers were pruned', async () => {
    const b = await startInstance(database.connect());
    const ids: number[] = [];
    for (let i = 0; i < 6; i += 1)
      ids.push(
        await database.client.transaction((tx) =>
          appendChange(tx, { type: 'thread.deleted', thread_id: `thread_${i}` }),
        ),
      );
    await until(() => b.feed.length === 6, 'the changes');
    expect(await b.log.checkResume(ids[0]!)).toBe('ok');
    expect(await b.log.checkResume(ids[5]! + 1_000)).toBe('unknown_event_id');
    expect(await b.log.checkResume(-1)).toBe('unknown_event_id');

    expect(await pruneChangeLog(database.client, { maxRows: 3, maxAgeMs: 3_600_000 })).toBeGreaterThanOrEqual(
      3,
    );
    // ids[2] is the last pruned: resuming after it needs nothing pruned; after ids[1], ids[2] is gone.
    expect(await b.log.checkResume(ids[2]!)).toBe('ok');
    expect(await b.log.checkResume(ids[1]!)).toBe('too_far_behind');
  });
});

describePostgres('pruning the change log', () => {
  const database = withPostgres();

  async function fill(count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i += 1)
      ids.push(
        await database.client.transaction((tx) =>
          appendChange(tx, { type: 'thread.deleted', thread_id: `thread_${i}` }),
        ),
      );
    return ids;
  }

  const kept = async () =>
    (await database.client.query<{ id: number }>('SELECT id FROM change_log ORDER BY id')).rows.map(
      (row) => row.id,
    );

  it('keeps at most the newest maxRows rows, deleting in batches', async () => {
    await database.client.query('DELETE FROM change_log');
    const ids = await fill(25);
    expect(await pruneChangeLog(database.client, { maxRows: 10, maxAgeMs: 3_600_000 }, 4)).toBe(15);
    expect(await kept()).toEqual(ids.slice(-10));
    expect(await pruneChangeLog(database.client, { maxRows: 10, maxAgeMs: 3_600_000 }, 4)).toBe(0);
  });

  it('deletes rows older than maxAgeMs, but always keeps the newest', async () => {
    await database.client.query('DELETE FROM change_log');
    const ids = await fill(5);
    await database.client.query(`UPDATE change_log SET at = now() - interval '2 hours' WHERE id <= $1`, [
      ids[3],
    ]);
    expect(await pruneChangeLog(database.client, { maxRows: 100, maxAgeMs: 3_600_000 })).toBe(4);
    expect(await kept()).toEqual([ids[4]]);
    await database.client.query(`UPDATE change_log SET at = now() - interval '2 hours'`);
    expect(await pruneChangeLog(database.client, { maxRows: 100, maxAgeMs: 3_600_000 })).toBe(0);
    expect(await kept()).toEqual([ids[4]]);
  });

  it('runs the other upkeep on the prune’s timer, after each prune', async () => {
    await database.client.query('DELETE FROM change_log');
    await fill(5);
    const upkept: number[] = [];
    const log = new InstanceChangeLog(database.client, {
      pollMs: 60_000,
      pruneEveryMs: 10,
      retention: { maxRows: 2, maxAgeMs: 3_600_000 },
      upkeep: async () => upkept.push((await kept()).length),
    });
    await log.start();
    try {
      await until(() => upkept.length >= 2, 'two rounds of upkeep');
    } finally {
      await log.close();
    }
    expect(upkept[0]).toBe(2);
  });

  it('refuses to keep no row', async () => {
    await expect(pruneChangeLog(database.client, { maxRows: 0, maxAgeMs: 1 })).rejects.toThrow(RangeError);
  });
});
