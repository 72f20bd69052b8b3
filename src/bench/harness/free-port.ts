import { createServer } from 'node:net';

/** The bench's own port range (shared machines: other sessions use other ranges). */
export const BENCH_PORTS = { first: 3340, last: 3349 } as const;

/** The first port of the bench's range nobody listens on, skipping `taken`. */
export async function freePort(taken: readonly number[] = []): Promise<number> {
  for (let port = BENCH_PORTS.first; port <= BENCH_PORTS.last; port++) {
    if (taken.includes(port)) continue;
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port from ${BENCH_PORTS.first} to ${BENCH_PORTS.last}.`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
