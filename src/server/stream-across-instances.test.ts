import { afterEach, expect, it } from 'vitest';
import type { Hono } from 'hono';
import {
  describePostgres,
  withPostgres,
} from '../assistants-server/store/postgres/test-support/with-postgres';
import { eventOutline, readSse, type SseFrame } from '../assistants-server/test-support/sse-reader';
import { createLogger } from '../platform/logger';
import type { Run } from '../shared/openai-types';
import { createApp } from './app';
import { openAuditStore } from './audit/audit-store';
import { createBackend, type RunningBackend } from './backend';
import { loadConfig } from './config';
import { TEST_HEADERS, TEST_TOKEN } from './test-support/in-memory-server';

/**
 * Two whole servers (perimeter, `/v1`, the change log's reader) on one PostgreSQL database, each its own instance.
 * A `stream: true` run created on B is executed by A: B's answer is fed by the events A commits, read from the log.
 */
const database = withPostgres();
const running: RunningBackend[] = [];
afterEach(async () => {
  for (const backend of running.splice(0)) await backend.close();
});

/** An instance that looks at the database every `pollMs` for what the others changed (besides their events). */
async function instance(id: string, pollMs: number) {
  const config = loadConfig({
    RUNBOARD_DB: ':memory:',
    RUNBOARD_SEED: 'none',
    RUNBOARD_TOKEN: TEST_TOKEN,
    RUNBOARD_INSTANCE_POLL_MS: String(pollMs),
    RUNBOARD_LEASE_MS: '100000',
  });
  const logLines: string[] = [];
  const logger = createLogger('warn', (line) => logLines.push(line), false);
  const backend = await createBackend(config, logger, {
    postgres: { client: database.connect({ applicationName: id }), ownsClient: false },
    instanceId: id,
  });
  running.push(backend);
  const app = createApp({ config, logger, backend, dashboardDir: null, audit: openAuditStore(':memory:') });
  return { app, backend, logLines };
}

async function post(app: Hono, path: string, body: unknown): Promise<Response> {
  const response = await app.request(path, {
    method: 'POST',
    headers: { ...TEST_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** A run created on `app`'s instance (`stream` as asked): the answer. */
async function createRun(app: Hono, stream: boolean): Promise<Response> {
  const assistant = (await (await post(app, '/v1/assistants', { model: 'gpt-4o' })).json()) as { id: string };
  const thread = (await (
    await post(app, '/v1/threads', {
      messages: [{ role: 'user', content: 'What is the weather in Lisbon today?' }],
    })
  ).json()) as { id: string };
  return post(app, `/v1/threads/${thread.id}/runs`, { assistant_id: assistant.id, stream });
}

/** A streamed run on `app`'s instance: every frame until the server ends the stream (failing after 10 s). */
async function streamRun(app: Hono): Promise<SseFrame[]> {
  const reading = readSse(await createRun(app, true));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seen = eventOutline(reading.frames).join(', ');
      reject(new Error(`the stream did not end within 10 s; it carried: ${seen}`));
    }, 10_000);
  });
  try {
    return await Promise.race([reading.ended, timedOut]);
  } finally {
    clearTimeout(timer);
    await reading.disconnect().catch(() => {});
  }
}

function runIdOf(frames: SseFrame[]): string {
  return (frames[0]!.data as Run).id;
}

describePostgres('a run streamed on one instance while another executes it', () => {
  it('B’s `stream: true` answer carries every event A commits, once, in order, to thread.run.completed and [DONE]', async () => {
    // A also looks at the database often: it takes B's run whether or not B's event wakes it (the test below).
    const a = await instance('instance-a', 200);
    const b = await instance('instance-b', 200);
    // B takes no work (its scheduler stops, as at SIGTERM) but still answers: A executes what B creates.
    await b.backend.drain();

    const onA = await streamRun(a.app); // A creates and executes: the reference
    const onB = await streamRun(b.app);

    expect(eventOutline(onB)).toEqual(eventOutline(onA));
    expect(eventOutline(onB)).toEqual(
      expect.arrayContaining(['thread.run.in_progress', 'thread.message.delta…', 'thread.message.completed']),
    );
    expect(onB.slice(-2).map((frame) => [frame.event, frame.raw === '[DONE]'])).toEqual([
      ['thread.run.completed', false],
      ['done', true],
    ]);
    const statuses = onB.flatMap((frame) => (frame.event?.startsWith('thread.run.') ? [frame.event] : []));
    expect(statuses).toEqual([
      'thread.run.created',
      'thread.run.queued',
      'thread.run.in_progress',
      'thread.run.step.created',
      'thread.run.step.in_progress',
      'thread.run.step.completed',
      'thread.run.completed',
    ]);
    // The deltas add up to the message as completed: none lost, none twice.
    const text = onB
      .filter((frame) => frame.event === 'thread.message.delta')
      .map((frame) => {
        const delta = frame.data as { delta: { content: Array<{ text: { value: string } }> } };
        return delta.delta.content.map((part) => part.text.value).join('');
      })
      .join('');
    const completed = onB.find((frame) => frame.event === 'thread.message.completed')!.data as {
      content: Array<{ text: { value: string } }>;
    };
    expect(text).toBe(completed.content[0]!.text.value);

    // A executed it: the run's writes after its creation are A's rows in the log.
    const { rows } = await database.client.query<{ instance: string; status: string }>(
      `SELECT body->>'instance' AS instance, body->'event'->'run'->>'status' AS status FROM change_log
        WHERE type = 'lifecycle' AND body->'event'->>'object' = 'run' AND body->'event'->'run'->>'id' = $1
        ORDER BY id`,
      [runIdOf(onB)],
    );
    expect(rows.map((row) => `${row.instance} ${row.status}`)).toEqual([
      'instance-b queued',
      'instance-a in_progress',
      'instance-a completed',
    ]);
    expect([...a.logLines, ...b.logLines]).toEqual([]);
  });

  it('wakes A at B’s event, read from the log: A takes B’s run without waiting for its poll', async () => {
    // A looks at the database every 50 s: what makes it take B's run at once is B's event (its scheduler's wake).
    const a = await instance('instance-a', 50_000);
    const b = await instance('instance-b', 50_000);
    await b.backend.drain();
    const run = (await (await createRun(b.app, false)).json()) as Run;
    const end = Date.now() + 10_000;
    let status = run.status;
    while (status !== 'completed' && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Read in the database, not through A's /v1 (a read of the thread would apply what is due itself).
      const { rows } = await database.client.query<{ status: string }>(
        'SELECT status FROM runs WHERE id = $1',
        [run.id],
      );
      status = rows[0]!.status as Run['status'];
    }
    expect(status).toBe('completed');
    expect([...a.logLines, ...b.logLines]).toEqual([]);
  });
});
