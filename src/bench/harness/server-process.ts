import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port';

export interface ServerProcess {
  url: string;
  port: number;
  /** The server process's id (its memory is read from /proc). */
  pid: number | null;
  /** The server's stderr so far (warnings and errors at LOG_LEVEL=warn). */
  stderr(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts the real server (`src/server/main.ts`, the same entry as `npm start`) in its own Node process, so the
 * bench's own work never shares its event loop. Emulator in memory, no demo seed, warnings only, unless `env` says
 * otherwise (proxy mode sets OPENAI_BASE_URL).
 */
export async function startServerProcess(
  options: {
    env?: Record<string, string>;
    apiOnly?: boolean;
    takenPorts?: number[];
    /** Where the server runs: it serves `<cwd>/dist/client`. */
    cwd?: string;
  } = {},
): Promise<ServerProcess> {
  const port = await freePort(options.takenPorts);
  const url = `http://127.0.0.1:${port}`;
  // Absolute loader and entry: the server may run from the bench's private build folder.
  const args = ['--import', import.meta.resolve('tsx'), resolve('src/server/main.ts')];
  if (options.apiOnly) args.push('--api-only');
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    env: benchServerEnv(port, options.env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  try {
    await waitUntilReady(url, child, () => stderr);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, port, pid: child.pid ?? null, stderr: () => stderr, stop: () => stopChild(child) };
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with code ${child.exitCode}: ${stderr().trim()}`);
    try {
      const response = await fetch(`${url}/api/config`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(
    `The server did not answer ${url}/api/config within ${READY_TIMEOUT_MS / 1000} s: ${stderr().trim()}`,
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const forced = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.once('exit', () => {
      clearTimeout(forced);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** A bench server's environment: on `port`, emulator in memory, no seed, no token, no upstream; `extra` on top. */
export function benchServerEnv(port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    RUNBOARD_DB: ':memory:',
    RUNBOARD_SEED: 'none',
    LOG_LEVEL: 'warn',
    RUNBOARD_TOKEN: '',
    OPENAI_BASE_URL: '',
    ...extra,
  };
}
