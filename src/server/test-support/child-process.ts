import type { ChildProcess } from 'node:child_process';

/** Sends `signal` and resolves once the process has exited. */
export function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Polls `check` every 50 ms until it holds; after `limitMs` fails, naming `what` and the server's log. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  serverLog: () => string,
  limitMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}. Server log: ${serverLog()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
