import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { benchServerEnv } from './server-process';

export type MonitorRequest = { kind: 'reset' } | { kind: 'sample' } | { kind: 'stop' };
export interface MonitorSample {
  kind: 'sample';
  /** Event-loop delay since the last reset (monitorEventLoopDelay, 5 ms resolution). */
  loopDelayMs: { p50: number; p99: number; max: number };
  rssMb: number;
  heapUsedMb: number;
  /** CPU time the server process has used since it started (user + system). */
  cpuMs: number;
}
export type MonitorReply = { kind: 'ready'; url: string } | { kind: 'reset' } | MonitorSample;

export interface MonitoredServer {
  url: string;
  /** Starts a new event-loop delay window. */
  reset(): Promise<void>;
  sample(): Promise<MonitorSample>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** The real server in its own process (emulator in memory, no seed), measuring its own event loop and memory. */
export async function startMonitoredServer(env: Record<string, string> = {}): Promise<MonitoredServer> {
  const port = await freePort();
  const child = fork(resolve('src/bench/harness/monitored-server.ts'), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: benchServerEnv(port, env),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await reply(child, 'ready', READY_TIMEOUT_MS);
  return {
    url: ready.url,
    async reset() {
      child.send({ kind: 'reset' } satisfies MonitorRequest);
      await reply(child, 'reset');
    },
    async sample() {
      child.send({ kind: 'sample' } satisfies MonitorRequest);
      return reply(child, 'sample');
    },
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        const forced = setTimeout(() => child.kill('SIGKILL'), 8_000);
        child.once('exit', () => {
          clearTimeout(forced);
          done();
        });
        child.send({ kind: 'stop' } satisfies MonitorRequest);
      }),
  };
}

function reply<K extends MonitorReply['kind']>(
  child: ChildProcess,
  kind: K,
  timeoutMs = 10_000,
): Promise<Extract<MonitorReply, { kind: K }>> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`The monitored server sent no '${kind}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: MonitorReply) => {
      if (message.kind !== kind) return;
      cleanup();
      resolvePromise(message as Extract<MonitorReply, { kind: K }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`The monitored server exited (code ${code}) before '${kind}'`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
