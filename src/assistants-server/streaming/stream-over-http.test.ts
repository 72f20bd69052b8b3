import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { silentLogger } from '../../platform/logger';
import { loadConfig } from '../../server/config';
import { startServer } from '../../server/start-server';
import { startListeningEmulator, type ListeningEmulator } from '../../server/test-support/listening-emulator';
import { TEST_START_MS } from '../test-support/emulator-harness';
import { eventOutline, readSse } from '../test-support/sse-reader';

/** `stream: true` over a real socket, through the whole app (perimeter, audit trail), read with fetch. */
let server: ListeningEmulator | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    authorization: 'Bearer sk-test',
    'openai-beta': 'assistants=v2',
  },
  body: JSON.stringify(body),
});

async function newRun(url: string) {
  const assistant = (await (await fetch(`${url}/v1/assistants`, json({ model: 'gpt-4o' }))).json()) as {
    id: string;
  };
  const thread = (await (await fetch(`${url}/v1/threads`, json({}))).json()) as { id: string };
  return { assistantId: assistant.id, threadId: thread.id };
}

describe('streamed runs over HTTP', () => {
  it('a raw fetch reads every frame in order, through to done', async () => {
    server = await startListeningEmulator({ frozenWallClockMs: TEST_START_MS });
    const { assistantId, threadId } = await newRun(server.url);
    const response = await fetch(
      `${server.url}/v1/threads/${threadId}/runs`,
      json({ assistant_id: assistantId, stream: true }),
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reading = readSse(response);
    await expect.poll(() => reading.frames.length, { timeout: 2_000 }).toBe(2); // run created and queued
    await server.advance(1);
    await server.advance(1);
    const frames = await reading.ended;
    expect(eventOutline(frames)).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.step.created',
      'thread.run.step.in_progress',
      'thread.message.created',
      'thread.message.in_progress',
      'thread.message.delta…',
      'thread.message.completed',
      'thread.run.step.completed',
      'thread.run.completed',
      'done',
    ]);
  });

  it('a client that disconnects mid-stream: the run still completes and the stream leaves the seam', async () => {
    server = await startListeningEmulator({ frozenWallClockMs: TEST_START_MS });
    const { assistantId, threadId } = await newRun(server.url);
    const listenersBefore = server.emulator.events.listenerCount();
    const abort = new AbortController();
    const response = await fetch(`${server.url}/v1/threads/${threadId}/runs`, {
      ...json({ assistant_id: assistantId, stream: true }),
      signal: abort.signal,
    });
    const reading = readSse(response);
    reading.ended.catch(() => {});
    await expect.poll(() => reading.frames.length, { timeout: 2_000 }).toBe(2); // run created and queued
    expect(server.emulator.events.listenerCount()).toBe(listenersBefore + 1);
    const runId = (reading.frames[0]!.data as Run).id;

    abort.abort();
    // The stream unsubscribes.
    await expect
      .poll(() => server!.emulator.events.listenerCount(), { timeout: 2_000 })
      .toBe(listenersBefore);
    await server.advance(2);
    const run = (await (await fetch(`${server.url}/v1/threads/${threadId}/runs/${runId}`)).json()) as Run;
    expect(run.status).toBe('completed');
  });

  it('the server shutting down ends an open stream with an error event, and does not wait for the run', async () => {
    const config = loadConfig({ PORT: '0', RUNBOARD_DB: ':memory:', RUNBOARD_SEED: 'none' });
    const running = await startServer(config, silentLogger, { dashboardDir: null });
    const { assistantId, threadId } = await newRun(running.url);
    const response = await fetch(
      `${running.url}/v1/threads/${threadId}/runs`,
      json({ assistant_id: assistantId, stream: true, metadata: { runboard_scenario: 'slow' } }),
    );
    const reading = readSse(response);
    await expect.poll(() => reading.frames.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(2); // created, queued
    await running.close();
    const frames = await reading.ended;
    expect(eventOutline(frames).slice(-2)).toEqual(['error', 'done']);
  });
});
