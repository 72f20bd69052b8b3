/**
 * Measures how long a change committed on one instance takes to reach another instance's reader, on a real server:
 *
 *   RUNBOARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx \
 *     src/assistants-server/store/postgres/change-log/measure-latency.ts [changes] [writers] [busy ms]
 *
 * Creates a throwaway database, two pools (instance A writes, instance B reads), commits `changes` (default 400) from
 * `writers` concurrent writers (default 1; more make ids commit out of order, which the horizon waits for), and
 * With `busy ms`, a third instance keeps 4 unrelated transactions that write (and so hold a txid) for that long each,
 * back to back, as run transitions do: the horizon waits for them. Prints the latency to B's delivery from A's commit being acknowledged, and from A's transaction beginning (an upper
 * bound on commit → delivery): p50, p95, p99, max (ms). Then drops the
 * database. The bench (`BENCH_ONLY=cluster`) will run the same measurement once the feed is wired.
 */
import { performance } from 'node:perf_hooks';
import { migrate } from '../migrations/migrate';
import { connectToServer } from '../server-client';
import { throwawayDatabase } from '../test-support/throwaway-database';
import { appendChange } from './append-change';
import { ChangeLogReader } from './change-log-reader';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const adminUrl = process.env.RUNBOARD_TEST_DATABASE_URL;
  if (!adminUrl)
    throw new Error('Set RUNBOARD_TEST_DATABASE_URL to a PostgreSQL server (see the comment above).');
  const total = Number(process.argv[2] ?? 400);
  const writers = Number(process.argv[3] ?? 1);
  const busyMs = Number(process.argv[4] ?? 0);
  const database = await throwawayDatabase(adminUrl, 'runboard_latency');
  const a = connectToServer(database.url, { applicationName: 'latency-a' });
  const b = connectToServer(database.url, { applicationName: 'latency-b' });
  const c = connectToServer(database.url, { applicationName: 'latency-c' });
  let writing = true;
  try {
    await migrate(a);
    const committedAt = new Map<number, number>();
    const beganAt = new Map<number, number>();
    const deliveredAt = new Map<number, number>();
    const order: number[] = [];
    const reader = new ChangeLogReader(b, {
      onChange: (event) => {
        deliveredAt.set(event.seq, performance.now());
        order.push(event.seq);
      },
    });
    await reader.start();
    let next = 0;
    const busy = Array.from({ length: busyMs > 0 ? 4 : 0 }, async (_, n) => {
      while (writing) {
        await c.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO settings (key, value) VALUES ($1, '0') ON CONFLICT (key) DO UPDATE SET value = now()::text`,
            [`busy_${n}`],
          );
          await new Promise((resolve) => setTimeout(resolve, busyMs));
        });
      }
    });
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < total) {
          const index = next++;
          const began = performance.now();
          const id = await a.transaction((tx) =>
            appendChange(tx, { type: 'thread.deleted', thread_id: `thread_${index}` }),
          );
          committedAt.set(id, performance.now());
          beganAt.set(id, began);
          // A few ms apart, like a busy server's transitions, not a tight loop.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
        }
      }),
    );
    writing = false;
    await Promise.all(busy);
    const deadline = Date.now() + 30_000;
    while (deliveredAt.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await reader.close();
    const inOrder = order.every((id, i) => i === 0 || id > order[i - 1]!);
    const summary = (from: Map<number, number>) => {
      const sorted = [...from]
        .map(([id, at]) => (deliveredAt.get(id) ?? Infinity) - at)
        .sort((x, y) => x - y);
      const format = (ms: number) => `${Math.max(0, ms).toFixed(1)}`;
      return (
        [50, 95, 99].map((p) => `p${p} ${format(percentile(sorted, p))}`).join(', ') +
        `, max ${format(sorted.at(-1)!)} ms`
      );
    };
    console.log(
      `${total} changes, ${writers} writer(s) on A${busyMs > 0 ? `, 4 × ${busyMs} ms transactions on C` : ''} → reader on B: delivered ${deliveredAt.size}/${total}, in id order: ${inOrder}\n` +
        `  from A's commit acknowledged: ${summary(committedAt)}\n` +
        `  from A's transaction begun (BEGIN, INSERT+NOTIFY, COMMIT included): ${summary(beganAt)}`,
    );
  } finally {
    writing = false;
    await Promise.all([a.close(), b.close(), c.close()]);
    await database.drop();
  }
}

await main();
