import { afterEach, expect, it } from 'vitest';
import type { SqlClient, SqlQueryable } from '../sql-client';
import { describePostgres, TEST_BACKEND, withPostgres } from '../test-support/with-postgres';
import { appendChange, CHANGES_CHANNEL, type LoggedChange } from './append-change';
import { readSettledPage, takeHorizon } from './change-horizon';
import { ChangeLogReader, type ChangeLogReaderOptions } from './change-log-reader';
import type { LogEntry } from './log-entry';

const onServer = TEST_BACKEND === 'server';

function threadChange(threadId: string): LoggedChange {
  return { type: 'thread.deleted', thread_id: threadId };
}

/** Appends a change in a transaction of its own (a writer's whole transaction). */
function commitChange(db: SqlClient, threadId: string): Promise<number> {
  return db.transaction((tx) => appendChange(tx, threadChange(threadId)));
}

const held: (() => void)[] = [];

/** A transaction held open until `release()` (or the end of the test): `during(tx)` runs first. */
function holdTransaction<T>(db: SqlClient, during: (tx: SqlQueryable) => Promise<T>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  held.push(() => release());
  let started!: (value: T) => void;
  const ready = new Promise<T>((resolve) => (started = resolve));
  const done = db.transaction(async (tx) => {
    started(await during(tx));
    await released;
  });
  return { ready, release, done };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const threadIds = (events: LogEntry[]) => events.map((event) => (event as { thread_id: string }).thread_id);

describePostgres('change log across instances', () => {
  const database = withPostgres();
  const readers: ChangeLogReader[] = [];

  /** A reader collecting what it delivers, started on `db`. */
  async function startReader(db: SqlClient, options: Partial<ChangeLogReaderOptions> = {}) {
    const delivered: LogEntry[] = [];
    const errors: unknown[] = [];
    const reader = new ChangeLogReader(db, {
      onChange: (event) => delivered.push(event),
      onError: (error) => errors.push(error),
      ...options,
    });
    readers.push(reader);
    await reader.start();
    return { reader, delivered, errors };
  }

  afterEach(async () => {
    for (const release of held.splice(0)) release();
    await Promise.all(readers.splice(0).map((reader) => reader.close()));
  });

  it('delivers a change committed on instance A to instance B’s reader, once, in id order, with the id as its seq', async () => {
    const a = database.client;
    const b = database.connect({ applicationName: 'runboard-b' });
    const { reader, delivered } = await startReader(b, { pollMs: 60_000 });
    const before = reader.lastId();

    const ids: number[] = [];
    for (const name of ['thread_1', 'thread_2', 'thread_3']) ids.push(await commitChange(a, name));
    // Rolled back: its id is taken, the change and its notification never happen.
    await expect(
      a.transaction(async (tx) => {
        await appendChange(tx, threadChange('thread_rolled_back'));
        throw new Error('the writer failed');
      }),
    ).rejects.toThrow('the writer failed');
    ids.push(await commitChange(a, 'thread_4'));

    await until(() => delivered.length === 4, 'four changes on B');
    expect(delivered).toEqual([
      { type: 'thread.deleted', thread_id: 'thread_1', seq: ids[0] },
      { type: 'thread.deleted', thread_id: 'thread_2', seq: ids[1] },
      { type: 'thread.deleted', thread_id: 'thread_3', seq: ids[2] },
      { type: 'thread.deleted', thread_id: 'thread_4', seq: ids[3] },
    ]);
    expect(ids[0]).toBeGreaterThan(before);
    expect(reader.lastId()).toBe(ids[3]);
  });

  it('notifies on commit with the id alone as the payload, and not at all when the writer rolls back', async () => {
    const payloads: string[] = [];
    const unlisten = await database
      .connect()
      .listen(CHANGES_CHANNEL, { notification: (p) => payloads.push(p) });
    try {
      await database.client
        .transaction(async (tx) => {
          await appendChange(tx, threadChange('thread_never'));
          throw new Error('rolled back');
        })
        .catch(() => {});
      const id = await commitChange(database.client, 'thread_notified');
      await until(() => payloads.length > 0, 'the notification');
      expect(payloads).toEqual([String(id)]);
    } finally {
      await unlisten();
    }
  });

  it('reads on its slow timer too: a change whose notification never came is delivered all the same', async () => {
    const { delivered } = await startReader(database.connect(), { pollMs: 100 });
    // Written without appendChange's NOTIFY: only the timer can find it.
    const row = await database.client.query<{ id: number }>(
      `INSERT INTO change_log (type, body) VALUES ('thread.deleted', '{"thread_id":"thread_quiet"}') RETURNING id`,
    );
    await until(() => delivered.length === 1, 'the timer’s read');
    expect(delivered).toEqual([{ type: 'thread.deleted', thread_id: 'thread_quiet', seq: row.rows[0]!.id }]);
  });

  it('starts after what was committed before it, or after a given id', async () => {
    const a = database.client;
    const old = await commitChange(a, 'thread_old');
    const fresh = await startReader(database.connect());
    expect(fresh.reader.lastId()).toBeGreaterThanOrEqual(old);
    const resumed = await startReader(database.connect(), { after: old - 1 });
    const next = await commitChange(a, 'thread_new');
    await until(() => fresh.delivered.length === 1 && resumed.delivered.length === 2, 'both readers');
    expect(fresh.delivered.map((event) => event.seq)).toEqual([next]);
    expect(resumed.delivered.map((event) => event.seq)).toEqual([old, next]);
  });

  it('resumes from a Last-Event-ID on another instance: the changes after it, from the database, bounded', async () => {
    const a = database.client;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await commitChange(a, `thread_r${i}`));
    const { reader } = await startReader(database.connect());
    expect(await reader.check(ids[1]!)).toBe('ok');
    const page = await reader.readAfter(ids[1]!, { maxItems: 2 });
    expect(page.changes.map((event) => event.seq)).toEqual([ids[2], ids[3]]);
    expect(page.complete).toBe(false);
    const rest = await reader.readAfter(ids[3]!);
    expect(rest.changes.map((event) => event.seq)).toEqual([ids[4]]);
    expect(rest.complete).toBe(true);
    // Not an id the database gave out (yet): the stream is told to reset.
    expect(await reader.check(ids[4]! + 1_000)).toBe('unknown_event_id');
    expect(await reader.check(-1)).toBe('unknown_event_id');
    expect(await reader.check(1.5)).toBe('unknown_event_id');
  });

  it('bounds each read in changes and in bytes, and still delivers everything in order', async () => {
    const a = database.client;
    const start = (await takeHorizon(a)).upTo;
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await commitChange(a, `thread_${'x'.repeat(100)}_${i}`));
    const horizon = await takeHorizon(a);

    const byItems = await readSettledPage(a, start, horizon, { maxItems: 3, maxBytes: 1 << 20 });
    expect(byItems.changes.map((event) => event.seq)).toEqual(ids.slice(0, 3));
    expect(byItems.complete).toBe(false);

    // Each body is ~140 bytes: 300 bytes hold two of them.
    const byBytes = await readSettledPage(a, start, horizon, { maxItems: 100, maxBytes: 300 });
    expect(byBytes.changes.map((event) => event.seq)).toEqual(ids.slice(0, 2));
    expect(byBytes.complete).toBe(false);

    // A change larger than the byte bound alone is read alone, never stuck.
    const alone = await readSettledPage(a, start, horizon, { maxItems: 100, maxBytes: 1 });
    expect(alone.changes.map((event) => event.seq)).toEqual(ids.slice(0, 1));

    const all = await readSettledPage(a, start, horizon, { maxItems: 100, maxBytes: 1 << 20 });
    expect(all.changes.map((event) => event.seq)).toEqual(ids);
    expect(all.complete).toBe(true);

    const { delivered } = await startReader(database.connect(), { after: start, maxItems: 2, maxBytes: 300 });
    await until(() => delivered.length === 7, 'seven changes read two at a time');
    expect(delivered.map((event) => event.seq)).toEqual(ids);
  });

  it('gives every instance the same changes in the same order while both write at once', async () => {
    const a = database.client;
    const b = database.connect({ applicationName: 'runboard-b' });
    const onA = await startReader(a);
    const onB = await startReader(b);
    const committed: number[] = [];
    // Four writers per instance; each holds its transaction a moment after taking its id, so ids commit out of order.
    await Promise.all(
      [a, b].flatMap((db, instance) =>
        Array.from({ length: 4 }, async (_, writer) => {
          for (let i = 0; i < 15; i++) {
            const id = await db.transaction(async (tx) => {
              const taken = await appendChange(tx, threadChange(`thread_${instance}_${writer}_${i}`));
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
              return taken;
            });
            committed.push(id);
          }
        }),
      ),
    );
    await until(() => onA.delivered.length === 120 && onB.delivered.length === 120, 'every change on both');
    const sorted = [...committed].sort((x, y) => x - y);
    expect(onA.delivered.map((event) => event.seq)).toEqual(sorted);
    expect(onB.delivered.map((event) => event.seq)).toEqual(sorted);
    if (onServer) expect(committed).not.toEqual(sorted);
  });

  it.skipIf(!onServer)(
    'waits for an id taken earlier but committed later, then delivers both in id order (none skipped)',
    async () => {
      const a = database.client;
      const b = database.connect({ applicationName: 'runboard-b' });
      const c = database.connect({ applicationName: 'runboard-c' });
      const { delivered } = await startReader(b, { pollMs: 60_000 });

      // T1 gets its transaction id first; T2 takes the earlier change id and stays open; T1 takes the later one and
      // commits (notifying B).
      const t1 = holdTransaction(a, async (tx) => {
        await tx.query('SELECT pg_current_xact_id()');
        return tx;
      });
      const t1Tx = await t1.ready;
      const t2 = holdTransaction(c, (tx) => appendChange(tx, threadChange('thread_early')));
      const earlyId = await t2.ready;
      const lateId = await appendChange(t1Tx, threadChange('thread_late'));
      t1.release();
      await t1.done;
      expect(lateId).toBeGreaterThan(earlyId);

      // Why the horizon is on ids: T1's txid is below T2's (the snapshot's xmin), so a `txid < xmin` filter alone
      // lets the late change through while the early one is still to come, and a reader moving past it skips it.
      const naive = await b.query<{ id: number }>(
        'SELECT id FROM change_log WHERE id >= $1 AND txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY id',
        [earlyId],
      );
      expect(naive.rows.map((row) => row.id)).toEqual([lateId]);

      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(delivered).toEqual([]);

      t2.release();
      await t2.done;
      await until(() => delivered.length === 2, 'both changes');
      expect(delivered.map((event) => event.seq)).toEqual([earlyId, lateId]);
      expect(threadIds(delivered)).toEqual(['thread_early', 'thread_late']);
    },
  );

  it.skipIf(!onServer)(
    'survives losing every connection of its instance: reads fail, are retried, and nothing is lost',
    async () => {
      const a = database.client;
      const b = database.connect({ applicationName: 'runboard-b-all' });
      const { delivered, errors } = await startReader(b, { pollMs: 600_000 });
      const first = await commitChange(a, 'thread_before');
      await until(() => delivered.length === 1, 'the first change');

      const killed = await a.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'runboard-b-all'`,
      );
      expect(killed.rowCount).toBeGreaterThan(1);
      const meanwhile = [await commitChange(a, 'thread_m1'), await commitChange(a, 'thread_m2')];
      await until(() => delivered.length === 3, 'the changes committed while B was cut off');
      expect(delivered.map((event) => event.seq)).toEqual([first, ...meanwhile]);
      expect(errors.length).toBeGreaterThan(0);
    },
  );

  it.skipIf(!onServer)(
    'starts only once the ids taken before it are final, so a stream from its first lastId() misses nothing',
    async () => {
      const writer = holdTransaction(database.connect(), (tx) =>
        appendChange(tx, threadChange('thread_open')),
      );
      const openId = await writer.ready;
      const reader = new ChangeLogReader(database.connect(), { onChange: () => {} });
      readers.push(reader);
      let started = false;
      const starting = reader.start().then(() => (started = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(started).toBe(false);
      writer.release();
      await writer.done;
      await starting;
      expect(reader.lastId()).toBeGreaterThanOrEqual(openId);
    },
  );

  it.skipIf(!onServer)(
    'after its LISTEN connection is killed, listens again and delivers what was committed meanwhile',
    async () => {
      const a = database.client;
      const b = database.connect({ applicationName: 'runboard-b-listen' });
      // The safety-net timer is out of the way: only listening again can bring these changes.
      const { reader, delivered, errors } = await startReader(b, { pollMs: 600_000 });
      const first = await commitChange(a, 'thread_before');
      await until(() => delivered.length === 1, 'the first change');

      const killed = await a.query<{ killed: boolean }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
         WHERE application_name = 'runboard-b-listen' AND query LIKE 'LISTEN%'`,
      );
      expect(killed.rows).toEqual([{ killed: true }]);
      const meanwhile: number[] = [];
      for (let i = 0; i < 3; i++) meanwhile.push(await commitChange(a, `thread_meanwhile_${i}`));

      await until(() => delivered.length === 4, 'the changes committed while no one listened');
      expect(delivered.map((event) => event.seq)).toEqual([first, ...meanwhile]);
      expect(errors.length).toBeGreaterThan(0);

      // Listening again: a change committed now arrives by notification.
      const after = await commitChange(a, 'thread_after');
      await until(() => delivered.length === 5, 'a change after listening again');
      expect(delivered.at(-1)?.seq).toBe(after);
      expect(reader.lastId()).toBe(after);
    },
  );
});
