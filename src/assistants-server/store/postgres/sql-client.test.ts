import { expect, it } from 'vitest';
import { describePostgres, TEST_BACKEND, withPostgres } from './test-support/with-postgres';

const database = withPostgres({ migrated: false });

function nextNotification(): {
  received: string[];
  arrived: Promise<void>;
  listener: { notification(p: string): void };
} {
  const received: string[] = [];
  let resolve!: () => void;
  const arrived = new Promise<void>((done) => (resolve = done));
  return {
    received,
    arrived,
    listener: {
      notification: (payload) => {
        received.push(payload);
        resolve();
      },
    },
  };
}

describePostgres('one query interface on a server and on PGlite', () => {
  it('runs a statement with parameters; bigint comes back as a number, jsonb parsed', async () => {
    const { client } = database;
    const { rows, rowCount } = await client.query<{ n: number; body: { a: number[] }; t: string }>(
      'SELECT $1::bigint + 1 AS n, $2::jsonb AS body, $3::text AS t',
      [2 ** 40, JSON.stringify({ a: [1, 2] }), 'tick'],
    );
    expect(rows).toEqual([{ n: 2 ** 40 + 1, body: { a: [1, 2] }, t: 'tick' }]);
    expect(rowCount).toBe(1);
  });

  it('refuses a bigint a JS number cannot hold exactly, rather than lose its last digits', async () => {
    await expect(database.client.query('SELECT 9007199254740993::bigint AS n')).rejects.toThrow(
      'The bigint 9007199254740993 is beyond what a JS number holds exactly',
    );
    const { rows } = await database.client.query('SELECT 9007199254740991::bigint AS n');
    expect(rows).toEqual([{ n: Number.MAX_SAFE_INTEGER }]);
  });

  it('runs a script of several statements', async () => {
    const { client } = database;
    await client.exec(
      'CREATE TABLE script_a (x int); CREATE TABLE script_b (y int); INSERT INTO script_a VALUES (1)',
    );
    const { rows } = await client.query('SELECT x FROM script_a');
    expect(rows).toEqual([{ x: 1 }]);
  });

  it('commits a transaction whose work resolves, and counts the rows each statement changed', async () => {
    const { client } = database;
    await client.exec('CREATE TABLE kept (x int)');
    const changed = await client.transaction(async (tx) => {
      await tx.query('INSERT INTO kept VALUES (1), (2), (3)');
      return (await tx.query('UPDATE kept SET x = x + 10 WHERE x > 1')).rowCount;
    });
    expect(changed).toBe(2);
    expect((await client.query('SELECT x FROM kept ORDER BY x')).rows).toEqual([
      { x: 1 },
      { x: 12 },
      { x: 13 },
    ]);
  });

  it('rolls back a transaction whose work throws, and rethrows the error', async () => {
    const { client } = database;
    await client.exec('CREATE TABLE rolled (x int)');
    await expect(
      client.transaction(async (tx) => {
        await tx.query('INSERT INTO rolled VALUES (1)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      client.transaction(async (tx) => {
        await tx.query('INSERT INTO rolled VALUES (2)');
        await tx.query('INSERT INTO rolled VALUES ($1)', ['not a number']);
      }),
    ).rejects.toThrow(/invalid input syntax/);
    expect((await client.query('SELECT x FROM rolled')).rows).toEqual([]);
    // The connection a failed transaction used serves the next one.
    await client.transaction((tx) => tx.query('INSERT INTO rolled VALUES (3)'));
    expect((await client.query('SELECT x FROM rolled')).rows).toEqual([{ x: 3 }]);
  });

  it('delivers a notification when its transaction commits, never one that rolls back, and stops on unlisten', async () => {
    const { client } = database;
    const first = nextNotification();
    const unlisten = await client.listen('runboard_test_changes', first.listener);
    await expect(
      client.transaction(async (tx) => {
        await tx.query("SELECT pg_notify('runboard_test_changes', 'rolled back')");
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await client.transaction(async (tx) => {
      await tx.query("SELECT pg_notify('runboard_test_changes', '41')");
      await tx.query("SELECT pg_notify('runboard_test_changes', '42')");
    });
    await first.arrived;
    await expect.poll(() => first.received).toEqual(['41', '42']);
    await unlisten();
    await client.query("SELECT pg_notify('runboard_test_changes', 'after')");
    const marker = nextNotification();
    const stop = await client.listen('runboard_test_marker', marker.listener);
    await client.query("SELECT pg_notify('runboard_test_marker', 'm')");
    await marker.arrived;
    expect(first.received).toEqual(['41', '42']);
    await stop();
  });

  it('tells every listener of a channel, however many listen at once, until each stops', async () => {
    const { client } = database;
    const [a, b] = [nextNotification(), nextNotification()];
    const [stopA, stopB] = await Promise.all([
      client.listen('runboard_test_shared', a.listener),
      client.listen('runboard_test_shared', b.listener),
    ]);
    await client.query("SELECT pg_notify('runboard_test_shared', 'both')");
    await Promise.all([a.arrived, b.arrived]);
    await stopA();
    const later = nextNotification();
    const stopLater = await client.listen('runboard_test_shared', later.listener);
    await client.query("SELECT pg_notify('runboard_test_shared', 'b only')");
    await later.arrived;
    await expect.poll(() => b.received).toEqual(['both', 'b only']);
    expect(a.received).toEqual(['both']);
    await Promise.all([stopB(), stopLater()]);
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    await expect(
      database.client.listen('changes; DROP TABLE kept', { notification: () => {} }),
    ).rejects.toThrow('Not a channel name');
  });

  it.runIf(TEST_BACKEND === 'server')(
    'tells a listener its connection was lost (the server ended it), and a new listen works',
    async () => {
      const client = database.connect({ applicationName: 'runboard_listen_loss' });
      let lostWith: unknown = null;
      const lost = new Promise<void>((resolve) => {
        void client.listen('runboard_test_loss', {
          notification: () => {},
          lost: (error) => {
            lostWith = error;
            resolve();
          },
        });
      });
      await expect.poll(async () => (await listenBackends(database.client)).length).toBe(1);
      await database.client.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'runboard_listen_loss' AND query LIKE 'LISTEN%'",
      );
      await lost;
      expect(lostWith).toBeInstanceOf(Error);
      const again = nextNotification();
      await client.listen('runboard_test_loss', again.listener);
      await client.query("SELECT pg_notify('runboard_test_loss', 'back')");
      await again.arrived;
      expect(again.received).toEqual(['back']);
    },
  );
});

async function listenBackends(client: { query: typeof database.client.query }) {
  const { rows } = await client.query(
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'runboard_listen_loss' AND query LIKE 'LISTEN%'",
  );
  return rows;
}
