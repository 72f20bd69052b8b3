import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { createLogger } from '../../platform/logger';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../start-server';
import { openStalledReader, type StalledReader } from './test-support/stalled-reader';

const MiB = 1024 * 1024;
let server: RunningServer | null = null;
const stalled: StalledReader[] = [];
afterEach(async () => {
  for (const reader of stalled.splice(0)) reader.destroy();
  await server?.close();
  server = null;
  vi.restoreAllMocks();
});

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${server!.url}/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe('a stalled change-feed reader over a real socket', () => {
  it('is disconnected once its unread bytes pass the limit, its queue dropped, without a word on the console', async () => {
    const console = [vi.spyOn(globalThis.console, 'error'), vi.spyOn(globalThis.console, 'info')];
    const logLines: string[] = [];
    const config = loadConfig({
      PORT: '0',
      RUNBOARD_DB: ':memory:',
      RUNBOARD_SEED: 'none',
      RUNBOARD_FEED_UNREAD_BYTES: String(256 * 1024),
    });
    server = await startServer(
      config,
      createLogger('warn', (line) => logLines.push(line), false),
      {
        dashboardDir: null,
      },
    );
    const assistant = await post<{ id: string }>('/assistants', { model: 'gpt-4o' });
    const thread = await post<{ id: string }>('/threads', {});
    const run = await post<Run>(`/threads/${thread.id}/runs`, {
      assistant_id: assistant.id,
      instructions: 'i'.repeat(200_000),
    });
    for (let index = 0; index < 3; index++) stalled.push(await openStalledReader(server.url));

    // 150 changes of ~200 KB: 30 MB for each reader, beyond the kernel's socket buffers.
    for (let index = 0; index < 150; index++) {
      await post(`/threads/${thread.id}/runs/${run.id}`, { metadata: { update: String(index) } });
    }
    for (const reader of stalled) {
      const { bytes, ended } = await reader.drain();
      expect(ended).toBe(true);
      // What the kernel held and what was in flight, never the 30 MB sent.
      expect(bytes).toBeLessThan(16 * MiB);
    }
    for (const spy of console) expect(spy).not.toHaveBeenCalled();
    expect(logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });
});
