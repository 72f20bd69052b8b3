import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseInUseError, lockDatabaseFile } from './database-lock';

/**
 * One process per SQLite file: a second server on the same file refuses to start and names the file and the
 * process that holds it; a holder killed with SIGKILL leaves nothing that blocks the next start.
 */
let directory: string;
let dbPath: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-lock-'));
  dbPath = join(directory, 'runboard.sqlite');
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) await stop(child, 'SIGKILL');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the database lock, in one process', () => {
  it('refuses a second holder with the file, pid, host and address; free again once released', () => {
    const first = lockDatabaseFile(dbPath, '127.0.0.1:3180');
    let refusal: unknown;
    try {
      lockDatabaseFile(dbPath, '127.0.0.1:3181');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DatabaseInUseError);
    expect((refusal as Error).message).toMatch(
      new RegExp(
        `^the database file ${escape(dbPath)} is in use by another Runboard process \\(pid ${process.pid} on ` +
          `${escape(hostname())}, listening on 127\\.0\\.0\\.1:3180, since \\d{4}-.+\\)\\. .*set RUNBOARD_DB to another file\\.$`,
      ),
    );
    first.release();
    lockDatabaseFile(dbPath, '127.0.0.1:3181').release();
  });

  it('a lock file that is not one (garbage written over it) is refused with what to do, not a raw SQLite error', () => {
    const garbled = join(directory, 'garbled.sqlite');
    writeFileSync(`${garbled}.lock`, 'not a database, but long enough to have a header: '.repeat(4));
    expect(() => lockDatabaseFile(garbled, '127.0.0.1:3180')).toThrow(
      new RegExp(
        `lock file ${escape(garbled)}\\.lock beside .* delete ${escape(garbled)}\\.lock and start again\\.$`,
      ),
    );
  });
});

/** The real server, in its own process, on the shared file; resolves once it listens (or exits). */
function startServer(): Promise<{
  child: ChildProcess;
  url: string | null;
  exitCode: number | null;
  log: string;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--api-only'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      RUNBOARD_DB: dbPath,
      RUNBOARD_SEED: 'none',
      LOG_LEVEL: 'info',
      RUNBOARD_TOKEN: '',
      OPENAI_BASE_URL: '',
      RUNBOARD_MODEL_BASE_URL: '',
      RUNBOARD_FAULTS: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let log = '';
  return new Promise((resolve) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const url = /"url":"(http:[^"]+)"/.exec(log)?.[1];
      if (url) resolve({ child, url, exitCode: null, log });
    });
    child.once('exit', (code) => resolve({ child, url: null, exitCode: code, log }));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function answers(url: string): Promise<boolean> {
  return (await fetch(`${url}/v1/assistants`).catch(() => null))?.ok === true;
}

describe('two server processes on one SQLite file', () => {
  it('the second refuses to start and names the file and the first; after the first is SIGKILLed, a start works', async () => {
    const first = await startServer();
    expect(first.url, first.log).not.toBeNull();
    expect(await answers(first.url!)).toBe(true);

    const second = await startServer();
    expect(second.exitCode, second.log).toBe(1);
    expect(second.log).toContain(`Runboard cannot start: the database file ${dbPath} is in use`);
    expect(second.log).toContain(`(pid ${first.child.pid} on ${hostname()}, listening on 127.0.0.1:0`);
    expect(await answers(first.url!)).toBe(true);

    await stop(first.child, 'SIGKILL');
    const third = await startServer();
    expect(third.url, third.log).not.toBeNull();
    expect(await answers(third.url!)).toBe(true);

    // One after the other, as `npm start` then `npm run dev` on the default file: a graceful stop frees it too.
    await stop(third.child, 'SIGTERM');
    const fourth = await startServer();
    expect(fourth.url, fourth.log).not.toBeNull();
    await stop(fourth.child, 'SIGTERM');
  }, 60_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
