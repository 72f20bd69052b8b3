import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  startScriptedChatServer,
  type ScriptedChatServer,
} from '../assistants-server/llm-executor/test-support/scripted-chat-server';
import { connectToServer } from '../assistants-server/store/postgres/server-client';
import type { SqlClient } from '../assistants-server/store/postgres/sql-client';
import { claimDueRuns, leaseAfterWrite } from '../assistants-server/store/postgres/claims/run-claims';
import { migrate } from '../assistants-server/store/postgres/migrations/migrate';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { round } from './harness/stats';

const GROUP = 'Several instances on one PostgreSQL database';
const INSTANCE_COUNTS = [1, 2, 3];
const MODEL_LATENCY_MS = 200;
/** Per instance: N instances make at most N × this many model calls at once. */
const MODEL_CONCURRENCY = 8;
const LEASE_MS = 15_000;
const SLOW_ANSWER_MS = 2_000;
const ENDED = `('completed', 'failed', 'cancelled', 'expired', 'incomplete')`;

type Mode = 'scripted' | 'model';

/**
 * `cluster`: 1, 2 and 3 server processes on one database of `BENCH_DATABASE_URL`'s server (a fresh database each,
 * dropped after), clients creating runs round-robin on all of them. Runs per second, scripted at time scale 1,000
 * and executed by a stand-in model answering in 200 ms (8 calls at once per instance); then the failover time after a
 * `kill -9` of an instance with model calls in flight (the default 15 s lease), and the handover time after a SIGTERM.
 * Completion is read from the database (a count every 50 ms), so polling clients add no load to the servers.
 */
export async function measureCluster(context: BenchContext): Promise<Figure[]> {
  const adminUrl = process.env.BENCH_DATABASE_URL?.trim();
  if (!adminUrl)
    return notMeasured('set BENCH_DATABASE_URL to a PostgreSQL server (a database is created and dropped)');
  const figures = await claimsAtTheDatabase(adminUrl, context);
  if (!(await onFreshDatabase(adminUrl, (database) => serverUsesDatabase(database, context))))
    return [
      ...figures,
      ...notMeasured('the server does not keep its data in RUNBOARD_DATABASE_URL (SQLite only)'),
    ];
  const quick = context.durations.latencySamples < 1_000;
  for (const mode of ['scripted', 'model'] as const) {
    const runs = mode === 'scripted' ? (quick ? 150 : 600) : quick ? 100 : 400;
    for (const count of INSTANCE_COUNTS) {
      const measured = await onFreshDatabase(adminUrl, (database) =>
        throughput(database, count, mode, runs, context),
      );
      figures.push({
        group: GROUP,
        name: `${mode === 'scripted' ? 'scripted runs (time scale 1,000)' : `runs on a ${MODEL_LATENCY_MS} ms model`}: ${count} instance${count > 1 ? 's' : ''}`,
        value: round(measured.runsPerSecond),
        unit: 'runs/s',
        detail:
          `${runs} runs created round-robin on ${count} server process${count > 1 ? 'es' : ''} (20 requests at once), ` +
          `first create → last run ended ${round(measured.wallMs)} ms` +
          (mode === 'model' ? `; RUNBOARD_MODEL_CONCURRENCY=${MODEL_CONCURRENCY} per instance` : ''),
      });
      context.log(`cluster: ${mode}, ${count} instance(s): ${round(measured.runsPerSecond)} runs/s`);
    }
  }
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    const measured = await onFreshDatabase(adminUrl, (database) => handover(database, signal, context));
    figures.push({
      group: GROUP,
      name:
        signal === 'SIGKILL'
          ? `failover: kill -9 of an instance with model calls in flight → every run ended (lease ${LEASE_MS / 1000} s)`
          : 'handover: SIGTERM of an instance with model calls in flight → every run ended',
      value: round(measured.endedMs / 1000),
      unit: 's',
      detail:
        `${measured.runs} runs on a model answering in ${SLOW_ANSWER_MS / 1000} s, ${measured.inFlight} calls in flight ` +
        `on the stopped instance; the other's first call again after ${round(measured.firstCallAgainMs / 1000)} s ` +
        `(RUNBOARD_LEASE_MS=${LEASE_MS}, RUNBOARD_INSTANCE_POLL_MS=1000); each run answered once: ${measured.oneAnswerEach}`,
    });
  }
  return figures;
}

const CLAIMED_RUNS = 3_000;
const CLAIM_BATCH = 50;

/**
 * The claim and the transition's write alone, without servers: 3,000 due runs, then 1, 2 or 3 instances (a pool of 3
 * connections each, 3 workers) claiming batches of 50 under a lease and writing each run's next status with the
 * compare-and-set that ends its lease, one transaction per run, as the lifecycle does. Transitions per second, and
 * that each was written once.
 */
async function claimsAtTheDatabase(adminUrl: string, context: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const count of INSTANCE_COUNTS) {
    const measured = await onFreshDatabase(adminUrl, async (database) => {
      await migrate(database.client);
      await database.client.query(
        `INSERT INTO runs (id, thread_id, created_at, status, body, internal, next_transition, due_at)
         SELECT 'run_' || g, 'thread_' || g, 0, 'queued', '{}'::jsonb, '{}'::jsonb, 'start', g % 100
         FROM generate_series(1, $1) AS g`,
        [CLAIMED_RUNS],
      );
      const pools = Array.from({ length: count }, () => connectToServer(database.url, { maxConnections: 3 }));
      try {
        const started = performance.now();
        const written = await Promise.all(
          pools.flatMap((pool, instance) => [0, 1, 2].map(() => claimAndWrite(pool, `instance-${instance}`))),
        );
        return { ms: performance.now() - started, written: written.reduce((sum, n) => sum + n, 0) };
      } finally {
        for (const pool of pools) await pool.close();
      }
    });
    figures.push({
      group: GROUP,
      name: `due transitions claimed and written at the database: ${count} instance${count > 1 ? 's' : ''}`,
      value: round((measured.written / measured.ms) * 1000),
      unit: 'transitions/s',
      detail:
        `${CLAIMED_RUNS} due runs, ${count} × 3 workers claiming ${CLAIM_BATCH} at a time (FOR UPDATE SKIP LOCKED), ` +
        `one transaction per run's write; ${measured.written} writes for ${CLAIMED_RUNS} runs (each once)`,
    });
    context.log(`cluster: claims, ${count} instance(s): ${round((measured.written / measured.ms) * 1000)}/s`);
  }
  return figures;
}

async function claimAndWrite(pool: SqlClient, owner: string): Promise<number> {
  let written = 0;
  for (;;) {
    const claimed = await claimDueRuns(pool, { owner, upTo: 1_000, limit: CLAIM_BATCH, leaseMs: LEASE_MS });
    if (claimed.length === 0) return written;
    for (const run of claimed) {
      const { rowCount } = await pool.transaction((tx) =>
        tx.query(
          `UPDATE runs SET status = $2, next_transition = NULL, due_at = NULL,
             ${leaseAfterWrite({ status: '$2', transition: 'NULL', dueAt: 'NULL' })}
           WHERE id = $1 AND status = 'queued'`,
          [run.id, 'completed'],
        ),
      );
      written += rowCount;
    }
  }
}

function notMeasured(reason: string): Figure[] {
  const figure = { group: GROUP, name: 'runs per second with 1, 2 and 3 instances', unit: 'runs/s' };
  return [{ ...figure, value: null, notes: `not measured: ${reason}` }];
}

/** A server started on the database migrates it (rather than keeping its data in SQLite). */
async function serverUsesDatabase(database: Database, context: BenchContext): Promise<boolean> {
  const [server] = await startInstances(database, 1, context, {});
  await server!.stop();
  const { rows } = await database.client.query<{ migrated: boolean }>(
    "SELECT to_regclass('public.schema_migrations') IS NOT NULL AS migrated",
  );
  return rows[0]!.migrated;
}

async function onFreshDatabase<T>(adminUrl: string, work: (database: Database) => Promise<T>): Promise<T> {
  const name = `runboard_bench_cluster_${randomBytes(6).toString('hex')}`;
  const admin = connectToServer(adminUrl, { maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = connectToServer(url.toString(), { maxConnections: 2 });
  try {
    return await work({ url: url.toString(), client });
  } finally {
    await client.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}

interface Database {
  url: string;
  client: SqlClient;
}

function startInstances(
  database: Database,
  count: number,
  context: BenchContext,
  env: Record<string, string>,
): Promise<ServerProcess[]> {
  const started: ServerProcess[] = [];
  return (async () => {
    for (let index = 0; index < count; index++) {
      started.push(
        await startServerProcess({
          apiOnly: true,
          takenPorts: [context.server.port, ...started.map((server) => server.port)],
          env: { RUNBOARD_DATABASE_URL: database.url, RUNBOARD_TIME_SCALE: '1000', ...env },
        }),
      );
    }
    return started;
  })();
}

async function throughput(
  database: Database,
  count: number,
  mode: Mode,
  runs: number,
  context: BenchContext,
): Promise<{ runsPerSecond: number; wallMs: number }> {
  const model =
    mode === 'model'
      ? await startScriptedChatServer({ fallback: () => ({ text: 'Forty-two.', delayMs: MODEL_LATENCY_MS }) })
      : null;
  const servers = await startInstances(
    database,
    count,
    context,
    model
      ? { RUNBOARD_MODEL_BASE_URL: model.url, RUNBOARD_MODEL_CONCURRENCY: String(MODEL_CONCURRENCY) }
      : {},
  );
  try {
    const assistantId = await assistantOn(servers[0]!);
    const started = performance.now();
    await createRuns(servers, assistantId, runs, 20);
    await untilEnded(database.client, runs, 600_000);
    const wallMs = performance.now() - started;
    return { runsPerSecond: (runs / wallMs) * 1000, wallMs };
  } finally {
    for (const server of servers) await server.stop();
    await model?.close();
  }
}

async function handover(
  database: Database,
  signal: 'SIGKILL' | 'SIGTERM',
  context: BenchContext,
): Promise<{
  runs: number;
  inFlight: number;
  endedMs: number;
  firstCallAgainMs: number;
  oneAnswerEach: boolean;
}> {
  const slow = () => ({ text: 'A slow answer.', delayMs: SLOW_ANSWER_MS });
  const models: ScriptedChatServer[] = [
    await startScriptedChatServer({ fallback: slow }),
    await startScriptedChatServer({ fallback: slow }),
  ];
  const env = (model: ScriptedChatServer) => ({
    RUNBOARD_MODEL_BASE_URL: model.url,
    RUNBOARD_MODEL_CONCURRENCY: String(MODEL_CONCURRENCY),
    RUNBOARD_LEASE_MS: String(LEASE_MS),
  });
  const [survivor] = await startInstances(database, 1, context, env(models[0]!));
  const [victim] = await startInstances(database, 1, context, env(models[1]!));
  try {
    const assistantId = await assistantOn(victim!);
    const runs = MODEL_CONCURRENCY;
    await createRuns([victim!], assistantId, runs, runs);
    while (models[1]!.inFlight() < runs) await sleep(20);
    const inFlight = models[1]!.inFlight();
    const callsBefore = models[0]!.requests.length;
    const stopped = performance.now();
    if (signal === 'SIGKILL') process.kill(victim!.pid!, 'SIGKILL');
    await victim!.stop();
    let firstCallAgainMs = Number.NaN;
    const watcher = (async () => {
      while (models[0]!.requests.length === callsBefore) await sleep(10);
      firstCallAgainMs = performance.now() - stopped;
    })();
    await untilEnded(database.client, runs, LEASE_MS + 60_000);
    const endedMs = performance.now() - stopped;
    await watcher;
    const { rows } = await database.client.query<{ answers: number }>(
      `SELECT count(*)::int AS answers FROM messages WHERE body->>'role' = 'assistant'`,
    );
    return { runs, inFlight, endedMs, firstCallAgainMs, oneAnswerEach: rows[0]!.answers === runs };
  } finally {
    await survivor?.stop();
    await victim?.stop();
    for (const model of models) await model.close();
  }
}

async function assistantOn(server: ServerProcess): Promise<string> {
  const response = await post(server, '/v1/assistants', { model: 'gpt-4o', instructions: 'Be brief.' });
  return ((await response.json()) as { id: string }).id;
}

/** `count` runs (each in a new thread), round-robin over `servers`, `parallel` requests at a time. */
async function createRuns(
  servers: ServerProcess[],
  assistantId: string,
  count: number,
  parallel: number,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let index = next++; index < count; index = next++) {
        await post(servers[index % servers.length]!, '/v1/threads/runs', {
          assistant_id: assistantId,
          thread: { messages: [{ role: 'user', content: 'What is the answer?' }] },
        });
      }
    }),
  );
}

async function post(server: ServerProcess, path: string, body: unknown): Promise<Response> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** Counts ended runs in the database every 50 ms until `count` have ended. */
async function untilEnded(client: SqlClient, count: number, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const { rows } = await client.query<{ ended: number }>(
      `SELECT count(*)::int AS ended FROM runs WHERE status IN ${ENDED}`,
    );
    if (rows[0]!.ended >= count) return;
    if (performance.now() > deadline)
      throw new Error(`only ${rows[0]!.ended} of ${count} runs ended in time`);
    await sleep(50);
  }
}
