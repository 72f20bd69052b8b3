import { beforeEach, expect, it } from 'vitest';
import type { SqlClient, SqlQueryable } from '../sql-client';
import { describePostgres, TEST_BACKEND, withPostgres } from '../test-support/with-postgres';
import {
  claimDue,
  claimDueRuns,
  claimUnattendedModelRuns,
  holdLeases,
  leaseAfterWrite,
  releaseLeases,
} from './run-claims';

const database = withPostgres();
const LEASE_MS = 15_000;

/** Runs `run_0…` in one thread each; `dueAt` null for an ended run. */
async function insertRuns(db: SqlQueryable, dueTimes: Array<number | null>): Promise<void> {
  const rows = dueTimes.map((_, index) => `($${index * 2 + 1}::text, $${index * 2 + 2}::bigint)`).join(', ');
  await db.query(
    `INSERT INTO runs (id, thread_id, created_at, status, body, internal, next_transition, due_at)
     SELECT v.id, 'thread_' || v.id, 1700000000, CASE WHEN v.due IS NULL THEN 'completed' ELSE 'queued' END,
       jsonb_build_object('id', v.id), '{}'::jsonb,
       CASE WHEN v.due IS NULL THEN NULL ELSE 'start' END, v.due
     FROM (VALUES ${rows}) AS v (id, due)`,
    dueTimes.flatMap((due, index) => [`run_${index}`, due]),
  );
}

/** Claims what is due by emulator time 1,000 for `owner`. */
function claim(db: SqlQueryable, owner: string, limit: number, leaseMs = LEASE_MS) {
  return claimDueRuns(db, { owner, upTo: 1_000, limit, leaseMs });
}

async function leases(): Promise<Record<string, string | null>> {
  const { rows } = await database.client.query<{ id: string; lease_owner: string | null }>(
    'SELECT id, lease_owner FROM runs ORDER BY seq',
  );
  return Object.fromEntries(rows.map((row) => [row.id, row.lease_owner]));
}

/** Keeps claiming batches of `batch` until a claim comes back empty; returns every id it got. */
async function claimUntilNone(db: SqlClient, owner: string, batch: number): Promise<string[]> {
  const claimed: string[] = [];
  for (;;) {
    const runs = await db.transaction((tx) =>
      claimDueRuns(tx, { owner, upTo: 1_000_000, limit: batch, leaseMs: LEASE_MS }),
    );
    if (runs.length === 0) return claimed;
    claimed.push(...runs.map((run) => run.id));
    if (claimed.length > 10_000) throw new Error(`${owner} keeps claiming runs already claimed`);
  }
}

describePostgres('claiming due runs once, under a lease', () => {
  beforeEach(async () => {
    await database.client.query('TRUNCATE runs');
  });

  it('claims the due runs nobody holds, earliest due first, up to the limit, and leases them', async () => {
    const { client } = database;
    await insertRuns(client, [300, 100, null, 200, 5_000]);
    const before = Date.now();
    const claimed = await claim(client, 'a', 2);
    expect(claimed.map((run) => [run.id, run.dueAt, run.transition, run.threadId])).toEqual([
      ['run_1', 100, 'start', 'thread_run_1'],
      ['run_3', 200, 'start', 'thread_run_3'],
    ]);
    expect(claimed[0]!.body).toEqual({ id: 'run_1' });
    const expiry = claimed[0]!.leaseExpiresAt.getTime();
    // The database's clock sets the expiry; allow for a little skew with this process's clock.
    expect(expiry).toBeGreaterThan(before + LEASE_MS - 2_000);
    expect(expiry).toBeLessThan(Date.now() + LEASE_MS + 2_000);
    // The rest of what is due; an ended run and one due later are never claimed.
    const rest = await claim(client, 'b', 10);
    expect(rest.map((run) => run.id)).toEqual(['run_0']);
    expect(await leases()).toEqual({ run_0: 'b', run_1: 'a', run_2: null, run_3: 'a', run_4: null });
    expect(await claim(client, 'c', 10)).toEqual([]);
  });

  it('lets any instance claim a run again once its lease has expired', async () => {
    const { client } = database;
    await insertRuns(client, [100, 200]);
    await claim(client, 'dead', 10);
    await client.query("UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = 'run_0'");
    const taken = await claim(client, 'alive', 10);
    expect(taken.map((run) => run.id)).toEqual(['run_0']);
    expect(await leases()).toEqual({ run_0: 'alive', run_1: 'dead' });
  });

  it('claims the expiry of a run it holds itself (a model run it calls), never a run it sets aside', async () => {
    const { client } = database;
    await insertRuns(client, [100, 200, 300]);
    await claim(client, 'a', 2);
    expect((await claim(client, 'b', 10)).map((run) => run.id)).toEqual(['run_2']);
    expect(await claim(client, 'a', 10)).toEqual([]);
    await client.query("UPDATE runs SET next_transition = 'expire' WHERE id IN ('run_0', 'run_2')");
    expect((await claim(client, 'a', 10)).map((run) => run.id)).toEqual(['run_0']);
    await releaseLeases(client, 'b');
    const claimed = await claimDueRuns(client, {
      owner: 'a',
      upTo: 1_000,
      limit: 10,
      leaseMs: LEASE_MS,
      exclude: ['run_1'],
    });
    expect(claimed.map((run) => run.id)).toEqual(['run_0', 'run_2']);
  });

  it("holds a model call's lease on runs in progress nobody else holds, and reports the ones lost", async () => {
    const { client } = database;
    await insertRuns(client, [100, 200, 300, 400]);
    await client.query("UPDATE runs SET status = 'in_progress' WHERE id <> 'run_3'");
    await claim(client, 'a', 10, 1_000);
    // a's lease on run_0 expired and b took the run over; run_1 was released; run_3 is no longer in progress.
    await client.query("UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = 'run_0'");
    await claim(client, 'b', 1, 1_000);
    await releaseLeases(client, 'a', ['run_1']);
    expect((await holdLeases(client, 'a', ['run_0', 'run_1', 'run_2', 'run_3'], LEASE_MS)).sort()).toEqual([
      'run_1',
      'run_2',
    ]);
    const { rows } = await client.query<{ id: string; remaining_ms: number }>(
      `SELECT id, (extract(epoch FROM lease_expires_at - now()) * 1000)::float8 AS remaining_ms FROM runs ORDER BY id`,
    );
    expect(rows[0]!.remaining_ms).toBeLessThan(1_000);
    expect(rows[1]!.remaining_ms).toBeGreaterThan(LEASE_MS - 2_000);
    expect(await leases()).toEqual({ run_0: 'b', run_1: 'a', run_2: 'a', run_3: 'a' });
  });

  it('claims the model runs in progress that nobody calls: no lease, an expired one; not its own, not scripted ones', async () => {
    const { client } = database;
    await insertRuns(client, [100, 200, 300, 400, 500]);
    await client.query(
      `UPDATE runs SET status = 'in_progress',
         internal = jsonb_build_object('executor', CASE WHEN id = 'run_4' THEN 'scripted' ELSE 'model' END)`,
    );
    await holdLeases(client, 'dead', ['run_0'], 1_000);
    await holdLeases(client, 'alive', ['run_1'], LEASE_MS);
    await client.query("UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = 'run_0'");
    const unattended = (claimer: string, limit: number, exclude: string[] = []) =>
      claimUnattendedModelRuns(client, { owner: claimer, limit, leaseMs: LEASE_MS, exclude });
    expect(await unattended('b', 2, ['run_2'])).toEqual(['run_0', 'run_3']);
    expect(await unattended('c', 10)).toEqual(['run_2']);
    expect(await unattended('c', 10)).toEqual([]);
    expect(await leases()).toEqual({ run_0: 'b', run_1: 'alive', run_2: 'c', run_3: 'b', run_4: null });
  });

  it('a write that moves the run on (status or next transition) ends its lease; one that changes neither keeps it', async () => {
    const { client } = database;
    await insertRuns(client, [100, 200, 300]);
    await claim(client, 'a', 10);
    const write = (id: string, status: string, transition: string | null, dueAt: number | null) =>
      client.query(
        `UPDATE runs SET status = $2, next_transition = $3, due_at = $4,
           ${leaseAfterWrite({ status: '$2', transition: '$3', dueAt: '$4' })}
         WHERE id = $1`,
        [id, status, transition, dueAt],
      );
    await write('run_0', 'queued', 'start', 100); // metadata only
    await write('run_1', 'in_progress', 'finish', 1_200);
    await write('run_2', 'queued', null, null);
    expect(await leases()).toEqual({ run_0: 'a', run_1: null, run_2: null });
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM runs WHERE lease_expires_at IS NOT NULL',
    );
    expect(rows[0]!.n).toBe(1);
  });

  it("takes a dead owner's runs once its lease has run out on the database's clock, not before", async () => {
    const { client } = database;
    await insertRuns(client, [100, 200]);
    expect((await claim(client, 'dead', 10, 400)).map((run) => run.id)).toEqual(['run_0', 'run_1']);
    expect(await claim(client, 'alive', 10)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await claim(client, 'alive', 10)).map((run) => run.id)).toEqual(['run_0', 'run_1']);
    expect(await leases()).toEqual({ run_0: 'alive', run_1: 'alive' });
  });

  it('releases leases, by run or all of an owner, so the runs are claimable at once', async () => {
    const { client } = database;
    await insertRuns(client, [100, 200, 300]);
    await claim(client, 'a', 2);
    await claim(client, 'b', 1);
    expect(await releaseLeases(client, 'a', ['run_0', 'run_2'])).toBe(1);
    expect(await leases()).toEqual({ run_0: null, run_1: 'a', run_2: 'b' });
    expect(await releaseLeases(client, 'a')).toBe(1);
    const again = await claim(client, 'c', 10);
    expect(again.map((run) => run.id)).toEqual(['run_0', 'run_1']);
  });

  it.runIf(TEST_BACKEND === 'server')(
    'skips runs another instance is claiming right now, and gets them when that instance dies before committing',
    async () => {
      await insertRuns(database.client, [100, 200, 300, 400]);
      const dying = database.connect({ applicationName: 'runboard_dying_instance' });
      let claimedByDying!: (ids: string[]) => void;
      const dyingClaimed = new Promise<string[]>((resolve) => (claimedByDying = resolve));
      // Its failure is caught at once: it may come before the terminating query answers (an unhandled rejection).
      const dyingFailure = dying
        .transaction(async (tx) => {
          const runs = await claim(tx, 'dying', 2);
          claimedByDying(runs.map((run) => run.id));
          await tx.query('SELECT pg_sleep(30)');
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(await dyingClaimed).toEqual(['run_0', 'run_1']);
      // Not blocked by the rows the other instance holds locked: the rest, at once.
      const other = await claim(database.client, 'alive', 10);
      expect(other.map((run) => run.id)).toEqual(['run_2', 'run_3']);
      await database.client.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'runboard_dying_instance'",
      );
      expect(await dyingFailure).toBeInstanceOf(Error);
      // Its claim never committed: no lease is left behind, the runs are claimable at once.
      const recovered = await claim(database.client, 'alive', 10);
      expect(recovered.map((run) => run.id)).toEqual(['run_0', 'run_1']);
    },
  );

  it("claims as the lifecycle's due runs: each loads its record, the set-aside ones are left out", async () => {
    const { client } = database;
    await insertRuns(client, [100, 200]);
    const due = await claimDue(client, {
      owner: 'a',
      upTo: 1_000,
      limit: 10,
      leaseMs: LEASE_MS,
      setAside: new Set(['run_0']),
    });
    expect(due.map((run) => [run.id, run.threadId, run.transition, run.dueAt])).toEqual([
      ['run_1', 'thread_run_1', 'start', 200],
    ]);
    expect(due[0]!.load()).toEqual({
      run: { id: 'run_1' },
      internal: {},
      schedule: { transition: 'start', dueAt: 200 },
    });
    await client.query(
      `UPDATE runs SET body = '"not a run"'::jsonb, lease_owner = NULL, lease_expires_at = NULL`,
    );
    const [broken] = await claimDue(client, { owner: 'a', upTo: 1_000, limit: 10, leaseMs: LEASE_MS });
    expect(() => broken!.load()).toThrow("Run run_0's stored record is not an object");
  });

  it('refuses a limit or a lease out of bounds', async () => {
    await expect(claim(database.client, 'a', 0)).rejects.toThrow(
      'Claim between 1 and 1000 runs at once, not 0',
    );
    await expect(claim(database.client, 'a', 1001)).rejects.toThrow(RangeError);
    await expect(claim(database.client, 'a', 10, 0)).rejects.toThrow('A lease lasts a positive time');
  });

  it(`gives each due run to exactly one of two instances claiming at once (${TEST_BACKEND === 'server' ? 'two pools' : 'one PGlite connection, interleaved'})`, async () => {
    const count = 600;
    await insertRuns(
      database.client,
      Array.from({ length: count }, (_, index) => index % 50),
    );
    // Two instances, each with three workers claiming small batches as fast as they can.
    const instances = [database.connect({ maxConnections: 3 }), database.connect({ maxConnections: 3 })];
    const claims = await Promise.all(
      instances.flatMap((db, instance) =>
        [0, 1, 2].map((worker) => claimUntilNone(db, `instance-${instance}`, 3 + worker * 2)),
      ),
    );
    const all = claims.flat();
    expect(all).toHaveLength(count);
    expect(new Set(all).size).toBe(count);
    if (TEST_BACKEND === 'server') {
      // Both instances got work: the claims ran side by side rather than one after the other.
      const byInstance = [claims.slice(0, 3).flat().length, claims.slice(3).flat().length];
      expect(Math.min(...byInstance)).toBeGreaterThan(0);
    }
    const owners = Object.values(await leases());
    expect(owners.filter((owner) => owner === null)).toEqual([]);
  });
});
