import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { kill, waitFor } from './child-process';

/** The real server (`src/server/main.ts --api-only`) in its own process, for tests that kill it. */
export interface ServerChild {
  child: ChildProcess;
  url: string;
  /** Everything it wrote to stderr so far. */
  log(): string;
  /** Sends `signal` and resolves once it has exited (nothing when it already has). */
  stop(signal: NodeJS.Signals): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the server with `env` over a neutral base (no token, no proxy, no faults, no seed), on `port` (default: a free
 * one), and waits until it answers.
 */
export async function startServerChild(
  env: Record<string, string>,
  { port = 0, limitMs = 60_000 }: { port?: number; limitMs?: number } = {},
): Promise<ServerChild> {
  port ||= await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--api-only'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      RUNBOARD_SEED: 'none',
      LOG_LEVEL: 'warn',
      RUNBOARD_TOKEN: '',
      OPENAI_BASE_URL: '',
      RUNBOARD_FAULTS: '',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-50_000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'the server to answer',
    async () => {
      if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}): ${log}`);
      return (await fetch(`${url}/api/config`).catch(() => null))?.ok === true;
    },
    () => log,
    limitMs,
  );
  return {
    child,
    url,
    log: () => log,
    stop: (signal) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : kill(child, signal),
  };
}
