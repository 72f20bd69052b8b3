import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKEND_TIME_HEADER } from '../../shared/runboard-types';
import { createHarness, TEST_START_MS, type Harness } from '../test-support/emulator-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(() => harness.close());

const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Record<string, unknown>,
});

describe('admin routes under /api/emulator', () => {
  it('reports and advances the clock', async () => {
    expect((await json(await harness.admin('/clock'))).body).toMatchObject({
      now: Math.floor(TEST_START_MS / 1000),
      offset_seconds: 0,
      time_scale: 1,
    });
    const advanced = await json(await harness.admin('/clock', { advance_seconds: 90 }));
    expect(advanced.body).toMatchObject({ now: Math.floor(TEST_START_MS / 1000) + 90, offset_seconds: 90 });
  });

  it("tells every /v1 answer, errors included, the emulator's time (the dashboard counts expiry from it)", async () => {
    const before = await harness.app.request('/v1/threads/thread_missing/runs');
    expect(before.headers.get(BACKEND_TIME_HEADER)).toBe(String(TEST_START_MS));
    await harness.advance(600);
    const after = await harness.app.request('/v1/assistants');
    expect(after.status).toBe(200);
    expect(after.headers.get(BACKEND_TIME_HEADER)).toBe(String(TEST_START_MS + 600_000));
  });

  it('refuses a negative or missing advance in the error shape', async () => {
    const negative = await json(await harness.admin('/clock', { advance_seconds: -5 }));
    expect(negative.status).toBe(400);
    expect(negative.body).toEqual({
      error: {
        message:
          "Invalid 'advance_seconds': decimal below minimum value. Expected a value >= 0, but got -5 instead.",
        type: 'invalid_request_error',
        param: 'advance_seconds',
        code: 'decimal_below_min_value',
      },
    });
    expect((await harness.admin('/clock', {})).status).toBe(400);
    expect((await harness.admin('/nothing')).status).toBe(404);
  });

  it('a higher time scale shortens the lifecycle delays of new transitions', async () => {
    expect((await json(await harness.admin('/time-scale', { time_scale: 10 }))).body).toEqual({
      time_scale: 10,
    });
    const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await harness.client.beta.threads.create();
    const run = await harness.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(0.2);
    expect((await harness.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe(
      'completed',
    );
    expect((await harness.admin('/time-scale', { time_scale: 0 })).status).toBe(400);
  });

  it('seeds many runs in mixed ended statuses into a new or an existing thread', async () => {
    const seeded = await json(await harness.admin('/seed', { count: 250 }));
    expect(seeded.body).toMatchObject({ count: 250, thread_id: expect.stringMatching(/^thread_/) });
    const threadId = seeded.body.thread_id as string;
    const statuses = new Set<string>();
    let total = 0;
    for await (const run of harness.client.beta.threads.runs.list(threadId, { limit: 100 })) {
      statuses.add(run.status);
      total++;
    }
    expect(total).toBe(250);
    expect([...statuses].sort()).toEqual(['cancelled', 'completed', 'expired', 'failed', 'incomplete']);

    const again = await json(await harness.admin('/seed', { count: 10, thread_id: threadId }));
    expect(again.body).toEqual({ thread_id: threadId, thread_ids: [threadId], count: 10 });

    const spread = await json(await harness.admin('/seed', { count: 10, thread_count: 4 }));
    const spreadIds = spread.body.thread_ids as string[];
    expect(spreadIds).toHaveLength(4);
    const sizes = await Promise.all(
      spreadIds.map(
        async (id) => (await harness.client.beta.threads.runs.list(id, { limit: 100 })).data.length,
      ),
    );
    expect(sizes).toEqual([3, 3, 2, 2]);
    expect((await harness.admin('/seed', { count: 100_001 })).status).toBe(400);
    expect((await harness.admin('/seed', { count: 5, thread_id: 'thread_missing' })).status).toBe(404);
  });
});

describe('the admin clock and time scale of instances on one database', () => {
  it('one instance moves the clock and sets the time scale; another answers with them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'runboard-admin-shared-'));
    const dbPath = join(directory, 'emulator.sqlite');
    const a = await createHarness({ dbPath });
    const b = await createHarness({ dbPath });
    try {
      await a.advance(120);
      await a.admin('/time-scale', { time_scale: 25 });
      expect((await json(await b.admin('/clock'))).body).toMatchObject({
        now: Math.floor(TEST_START_MS / 1000) + 120,
        offset_seconds: 120,
        time_scale: 25,
      });
      expect((await json(await b.admin('/time-scale'))).body).toEqual({ time_scale: 25 });
      // B's advance adds to A's: both count.
      await b.advance(30);
      expect((await json(await a.admin('/clock'))).body).toMatchObject({ offset_seconds: 150 });
    } finally {
      await a.close();
      await b.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
