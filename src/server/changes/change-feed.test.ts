import { afterEach, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { ChangeEvent } from '../../shared/runs-query-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import type { Harness } from '../../assistants-server/test-support/emulator-harness';
import { emulatorQueryApp, manualSource, queryApp } from '../query-api/test-support/query-app';
import type { SqliteRunQueryService } from '../query-api/run-query-service';
import { SseReader } from './test-support/sse-reader';
import { loadConfig } from '../config';
import { createBackend } from '../backend';
import { silentLogger } from '../../platform/logger';

let service: SqliteRunQueryService | null = null;
let harness: Harness | null = null;
const readers: SseReader[] = [];

afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.close().catch(() => {});
  service?.close();
  await harness?.close();
  service = null;
  harness = null;
});

function setup(options: Parameters<typeof queryApp>[1] = {}): { app: Hono; service: SqliteRunQueryService } {
  const built = queryApp(() => manualSource(() => 0), options);
  service = built.service;
  return built;
}

async function connect(app: Hono, headers: Record<string, string> = {}, query = ''): Promise<SseReader> {
  const response = await app.request(`/api/changes${query}`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = new SseReader(response);
  readers.push(reader);
  return reader;
}

const parse = (frame: { data?: string }) => JSON.parse(frame.data!) as ChangeEvent;

/** The frame that sets the client's last event id on connect (no data). */
async function initialId(reader: SseReader): Promise<number> {
  const [frame] = await reader.next(1, (candidate) => candidate.id !== undefined);
  return Number(frame!.id);
}

describe('GET /api/changes', () => {
  it('streams run changes in order, each with its seq as the SSE id and its type as the event', async () => {
    const { app, service } = setup();
    const reader = await connect(app);
    const start = await initialId(reader);
    const run = makeRun({ id: 'run_1' });
    service.index.upsertRun(run);
    service.index.upsertRun({ ...run, status: 'in_progress', started_at: 1_001 });
    service.index.upsertRun({ ...run, status: 'in_progress', started_at: 1_001 }); // unchanged: no event
    service.index.upsertRun({ ...run, status: 'requires_action', started_at: 1_001, metadata: { a: 'b' } });
    service.index.deleteRun('run_1');
    const frames = await reader.events(4);
    expect(frames.map((frame) => frame.event)).toEqual([
      'run.created',
      'run.updated',
      'run.updated',
      'run.deleted',
    ]);
    expect(frames.map((frame) => Number(frame.id))).toEqual([start + 1, start + 2, start + 3, start + 4]);
    const events = frames.map(parse);
    expect(events.map((event) => event.seq)).toEqual([start + 1, start + 2, start + 3, start + 4]);
    expect(events[2]).toMatchObject({
      type: 'run.updated',
      run: { status: 'requires_action', metadata: { a: 'b' } },
    });
    expect(events[3]).toEqual({
      type: 'run.deleted',
      seq: start + 4,
      run_id: 'run_1',
      thread_id: 'thread_a',
    });
  });

  it('replays exactly what a client missed when it reconnects with Last-Event-ID', async () => {
    const { app, service } = setup();
    const first = await connect(app);
    await initialId(first);
    service.index.upsertRun(makeRun({ id: 'run_1' }));
    const [seen] = await first.events(1);
    await first.close();
    for (let index = 2; index <= 6; index++) service.index.upsertRun(makeRun({ id: `run_${index}` }));

    const again = await connect(app, { 'last-event-id': seen!.id! });
    const replayed = (await again.events(5)).map(parse);
    expect(replayed.map((event) => (event.type === 'run.created' ? event.run.id : event.type))).toEqual([
      'run_2',
      'run_3',
      'run_4',
      'run_5',
      'run_6',
    ]);
    service.index.upsertRun(makeRun({ id: 'run_7' }));
    expect(parse((await again.events(1))[0]!)).toMatchObject({ type: 'run.created', run: { id: 'run_7' } });
    // The query parameter works the same way (for a client that fetched a page first: its feed_seq).
    const third = await connect(app, {}, `?last_event_id=${seen!.id}`);
    expect((await third.events(6)).map((frame) => frame.event)).toEqual(Array(6).fill('run.created'));
  });

  it('loses nothing in a burst of 1,000 changes, live or replayed after a reconnect', async () => {
    const { app, service } = setup();
    const live = await connect(app);
    const start = await initialId(live);
    const away = await connect(app);
    await initialId(away);
    await away.close();
    for (let index = 0; index < 1_000; index++) service.index.upsertRun(makeRun({ id: `run_${index}` }));
    const received = await live.events(1_000, 20_000);
    expect(received.map((frame) => Number(frame.id))).toEqual(
      Array.from({ length: 1_000 }, (_, i) => start + 1 + i),
    );
    const resumed = await connect(app, { 'last-event-id': String(start) });
    const replayed = (await resumed.events(1_000, 20_000)).map(parse);
    expect(replayed.map((event) => (event.type === 'run.created' ? event.run.id : null))).toEqual(
      Array.from({ length: 1_000 }, (_, i) => `run_${i}`),
    );
  });

  it('tells a client to refetch (reset) when the buffer no longer holds its id, or the id is not this server’s', async () => {
    const { app, service } = setup({ feed: { capacity: 10 } });
    const reader = await connect(app);
    const start = await initialId(reader);
    for (let index = 0; index < 11; index++) service.index.upsertRun(makeRun({ id: `run_${index}` }));
    await reader.events(11);

    const tooOld = await connect(app, { 'last-event-id': String(start) });
    const [reset] = (await tooOld.events(1)).map(parse);
    expect(reset).toEqual({ type: 'reset', seq: start + 11, reason: 'too_far_behind', thread_ids: null });
    // One change later than the oldest held still resumes.
    const justInTime = await connect(app, { 'last-event-id': String(start + 1) });
    expect((await justInTime.events(10)).map((frame) => frame.event)).toEqual(Array(10).fill('run.created'));
    // An id from before a restart (lower than any of this process) or from nowhere.
    for (const id of ['5', String(start + 1_000), 'not-a-number']) {
      const stranger = await connect(app, { 'last-event-id': id });
      expect(parse((await stranger.events(1))[0]!)).toMatchObject({
        type: 'reset',
        reason: 'unknown_event_id',
      });
    }
  });

  it('refuses a malformed last_event_id query parameter with a 400', async () => {
    const { app } = setup();
    for (const raw of ['abc', '0x10', '1e3', '5.0', '-1']) {
      const response = await app.request(`/api/changes?last_event_id=${raw}`);
      expect(response.status, raw).toBe(400);
      expect(((await response.json()) as { error: { param: string } }).error.param).toBe('last_event_id');
    }
  });

  it('sends heartbeats while nothing changes', async () => {
    const { app } = setup({ heartbeatMs: 20 });
    const reader = await connect(app);
    const [beat] = await reader.next(1, (frame) => frame.comment === 'heartbeat', 2_000);
    expect(beat).toEqual({ comment: 'heartbeat' });
  });

  it('removes the listener when the client goes away', async () => {
    const { app, service } = setup();
    const reader = await connect(app);
    await initialId(reader);
    const other = await connect(app);
    await initialId(other);
    expect(service.feed.subscriberCount()).toBe(2);
    await reader.close();
    expect(service.feed.subscriberCount()).toBe(1);
    const controller = new AbortController();
    const aborted = await app.request('/api/changes', { signal: controller.signal });
    const abortedReader = new SseReader(aborted);
    await abortedReader.next(1, (frame) => frame.id !== undefined);
    expect(service.feed.subscriberCount()).toBe(2);
    controller.abort();
    expect(service.feed.subscriberCount()).toBe(1);
    service.close();
    expect(service.feed.subscriberCount()).toBe(0);
  });
});

/** Reads a stream to its end, counting bytes: how much was queued for it, and whether it was cut (an error). */
async function drain(body: ReadableStream<Uint8Array>): Promise<{ bytes: number; cut: boolean }> {
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 200)),
      ]);
      if (chunk === 'open') {
        await reader.cancel();
        return { bytes, cut: false };
      }
      if (chunk.done) return { bytes, cut: false };
      bytes += chunk.value.byteLength;
    }
  } catch {
    return { bytes, cut: true };
  }
}

describe('the change feed’s memory, in bytes', () => {
  const MiB = 1024 * 1024;
  const bigInstructions = 'x'.repeat(200_000);
  /** A run with 200 KB instructions, updated `count` times (a metadata change each): about 200 KB per change. */
  function updateBigRun(service: SqliteRunQueryService, count: number): void {
    const run = makeRun({ id: 'run_big', instructions: bigInstructions });
    for (let index = 0; index < count; index++)
      service.index.upsertRun({ ...run, metadata: { n: String(index) } });
  }

  it('drops each reader that stops reading once more than its unread limit in bytes is queued for it', async () => {
    const { app, service } = setup({ feed: { maxUnreadBytes: 1 * MiB, maxReplayBytes: 2 * MiB } });
    const stalled = await Promise.all(
      Array.from({ length: 5 }, async () => (await app.request('/api/changes')).body!),
    );
    expect(service.feed.subscriberCount()).toBe(5);
    updateBigRun(service, 60); // 12 MB of changes: 60 MB were they copied for each of the five readers
    expect(service.feed.subscriberCount()).toBe(0);
    for (const body of stalled) {
      const { bytes, cut } = await drain(body);
      // Cut, and what was queued (then dropped at once) never went past the limit by more than one change.
      expect(cut).toBe(true);
      expect(bytes).toBe(0);
    }
    // The replay buffer keeps the newest changes within its bytes: 2 MiB of 200 KB changes is 10 of them.
    const held = service.feed.replayHeld();
    expect(held.bytes).toBeLessThanOrEqual(2 * MiB);
    expect(held.changes).toBe(10);
    // A reader that keeps reading is not dropped (bursts under its limit, read in between).
    const live = await connect(app);
    await initialId(live);
    for (let burst = 0; burst < 5; burst++) {
      updateBigRun(service, 4);
      expect(await live.events(4)).toHaveLength(4);
    }
    expect(service.feed.subscriberCount()).toBe(1);
  });

  it('never cuts a reader for one change larger than its limit alone', async () => {
    const { app, service } = setup({ feed: { maxUnreadBytes: 64 * 1024 } });
    const reader = await connect(app);
    await initialId(reader);
    for (let round = 0; round < 3; round++) {
      // ~200 KB, three times the limit
      service.index.upsertRun(
        makeRun({ id: 'run_big', instructions: bigInstructions, metadata: { round: `${round}` } }),
      );
      expect(await reader.events(1)).toHaveLength(1);
    }
    expect(service.feed.subscriberCount()).toBe(1);
  });

  it('cuts a stalled reader when the server stops, so its socket does not hold the stop', async () => {
    const { app, service } = setup({ feed: { maxUnreadBytes: 1 * MiB } });
    const stalledBody = (await app.request('/api/changes')).body!;
    const idle = await connect(app);
    await initialId(idle);
    updateBigRun(service, 2); // queued for both; the idle reader reads its two
    expect(await idle.events(2)).toHaveLength(2);
    service.feed.close();

    expect((await drain(stalledBody)).cut).toBe(true);
    expect(await idle.next(1).catch((error: Error) => error.message)).toMatch(/the stream ended/);
  });

  it('replays a reconnecting client’s missed changes as it reads them, beyond the unread limit, and resets past the replay bytes', async () => {
    const { app, service } = setup({ feed: { maxUnreadBytes: 1 * MiB, maxReplayBytes: 4 * MiB } });
    const first = await connect(app);
    const start = await initialId(first);
    await first.close();
    updateBigRun(service, 15); // 3 MB missed: three times the unread limit, all still held
    const resumed = await connect(app, { 'last-event-id': String(start) });
    const replayed = (await resumed.events(15, 10_000)).map(parse);
    expect(replayed.map((event) => event.seq)).toEqual(Array.from({ length: 15 }, (_, i) => start + 1 + i));
    updateBigRun(service, 10); // 5 MB in all: the first changes no longer fit in the replay buffer
    const late = await connect(app, { 'last-event-id': String(start) });
    expect(parse((await late.events(1))[0]!)).toMatchObject({ type: 'reset', reason: 'too_far_behind' });
  });
});

describe('the change feed’s settings', () => {
  it('reads RUNBOARD_FEED_UNREAD_BYTES and RUNBOARD_FEED_REPLAY_BYTES (4 MiB and 32 MiB by default) into the server’s feed', async () => {
    expect(loadConfig({}).feed).toEqual({
      maxUnreadBytes: 4 * 1024 * 1024,
      maxReplayBytes: 32 * 1024 * 1024,
    });
    const config = loadConfig({
      RUNBOARD_DB: ':memory:',
      RUNBOARD_SEED: 'none',
      RUNBOARD_FEED_UNREAD_BYTES: '100000',
      RUNBOARD_FEED_REPLAY_BYTES: '2000000',
    });
    const backend = await createBackend(config, silentLogger);
    try {
      expect(backend.query!.feed.maxUnreadBytes).toBe(100_000);
    } finally {
      await backend.close();
    }
    expect(() => loadConfig({ RUNBOARD_FEED_UNREAD_BYTES: '4MB' })).toThrow(/RUNBOARD_FEED_UNREAD_BYTES/);
    expect(() => loadConfig({ RUNBOARD_FEED_REPLAY_BYTES: '1' })).toThrow(/RUNBOARD_FEED_REPLAY_BYTES/);
  });
});

describe('the change feed in emulator mode', () => {
  it('carries the lifecycle: a run created through /v1, its status changes, and a bulk seed as one reset', async () => {
    const built = await emulatorQueryApp();
    harness = built.harness;
    service = built.service;
    const reader = await connect(built.app);
    await initialId(reader);
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await harness.client.beta.threads.create();
    const run = await harness.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(1);
    await harness.advance(1);
    const events = (await reader.events(3)).map(parse);
    expect(events[0]).toMatchObject({ type: 'thread.created', thread: { id: thread.id } });
    expect(events[1]).toMatchObject({ type: 'run.created', run: { id: run.id, status: 'queued' } });
    expect(events[2]).toMatchObject({ type: 'run.updated', run: { id: run.id, status: 'in_progress' } });

    const seeded = await harness.admin('/seed', { count: 50, thread_id: thread.id });
    expect(seeded.status).toBe(200);
    const [reset] = (await reader.next(1, (frame) => frame.event === 'reset', 5_000)).map(parse);
    expect(reset).toMatchObject({ type: 'reset', thread_ids: [thread.id] });
    const counts = (await (await built.app.request(`/api/runs/counts?thread_id=${thread.id}`)).json()) as {
      total: number;
    };
    expect(counts.total).toBe(51);
  });
});
