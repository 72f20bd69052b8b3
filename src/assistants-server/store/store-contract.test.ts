import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant, Message, RunStep, Thread } from '../../shared/openai-types';
import type { ModelCall } from '../../shared/runboard-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import type { LifecycleEvent } from '../events/lifecycle-events';
import type { AssistantsStore } from './assistants-store';
import { openPostgresStore } from './postgres/postgres-assistants-store';
import type { RunRecord } from './run-record';
import { openSqliteStore } from './sqlite-assistants-store';
import { runOnTestStore, testStoreOptions } from '../test-support/test-store';

/**
 * The storage interface's contract, on both stores: every table's methods, transactions, events. The same
 * expectations for SQLite and PostgreSQL (PGlite, or RUNBOARD_TEST_DATABASE_URL's server).
 */
const database = runOnTestStore('postgres')!;

const STORES = {
  sqlite: async () => openSqliteStore(':memory:'),
  postgres: async () => {
    const options = await testStoreOptions(':memory:');
    return openPostgresStore(options.postgres!.client, { ownsClient: false });
  },
};

const thread = (id: string, metadata: Record<string, string> = {}): Thread => ({
  id,
  object: 'thread',
  created_at: 1_000,
  tool_resources: {},
  metadata,
});

const assistant = (id: string, name: string | null, createdAt = 1_000): Assistant =>
  ({
    id,
    object: 'assistant',
    created_at: createdAt,
    name,
    description: null,
    model: 'gpt-4o',
    instructions: null,
    tools: [],
    metadata: {},
    top_p: 1,
    temperature: 1,
    tool_resources: {},
    response_format: 'auto',
  }) as Assistant;

const message = (
  id: string,
  threadId: string,
  text: string,
  runId: string | null = null,
  createdAt = 1_000,
): Message => ({
  id,
  object: 'thread.message',
  created_at: createdAt,
  thread_id: threadId,
  status: runId ? 'in_progress' : 'completed',
  incomplete_details: null,
  completed_at: null,
  incomplete_at: null,
  role: runId ? 'assistant' : 'user',
  content: [{ type: 'text', text: { value: text, annotations: [] } }],
  assistant_id: null,
  run_id: runId,
  attachments: null,
  metadata: {},
});

const record = (id: string, threadId: string, overrides: Partial<RunRecord> = {}): RunRecord => ({
  run: makeRun({ id, thread_id: threadId }),
  internal: {
    scenario: null,
    plannedToolCalls: [],
    toolOutputs: null,
    toolCallsStepId: null,
    promptTokens: 10,
  },
  schedule: null,
  ...overrides,
});

const step = (id: string, runId: string, createdAt = 1_000): RunStep =>
  ({
    id,
    object: 'thread.run.step',
    created_at: createdAt,
    run_id: runId,
    assistant_id: 'asst_a',
    thread_id: 'thread_a',
    type: 'message_creation',
    status: 'in_progress',
    step_details: { type: 'message_creation', message_creation: { message_id: 'msg_x' } },
    last_error: null,
    expired_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    metadata: {},
    usage: null,
  }) as RunStep;

const ids = (page: Awaited<ReturnType<AssistantsStore['threads']['page']>>) =>
  'rows' in page ? page.rows.map((row) => row.id) : page;

describe.each(Object.keys(STORES) as Array<keyof typeof STORES>)('the store contract on %s', (kind) => {
  let store: AssistantsStore;
  let events: LifecycleEvent[];
  beforeEach(async () => {
    store = await STORES[kind]();
    events = [];
    store.events.subscribe(({ event }) => events.push(event));
  });
  afterEach(() => store.close());

  it('assistants: insert, get, update, names, the oldest, pages, delete, each published', async () => {
    await store.assistants.insert(assistant('asst_b', 'Bee', 2_000));
    await store.assistants.insert(assistant('asst_a', null, 1_000));
    await store.assistants.update({ ...assistant('asst_a', 'Ay'), description: 'changed' });
    expect((await store.assistants.get('asst_a'))?.description).toBe('changed');
    expect(await store.assistants.get('asst_none')).toBeNull();
    expect((await store.assistants.oldest())?.id).toBe('asst_a');
    expect(await store.assistants.names()).toEqual(
      new Map([
        ['asst_a', 'Ay'],
        ['asst_b', 'Bee'],
      ]),
    );
    expect(ids(await store.assistants.page({ limit: 1, order: 'desc' }))).toEqual(['asst_b']);
    const page = await store.assistants.page({ limit: 1, order: 'desc', after: 'asst_b' });
    expect(page).toMatchObject({ hasMore: false });
    expect(ids(page)).toEqual(['asst_a']);
    expect(await store.assistants.page({ limit: 1, order: 'desc', after: 'asst_none' })).toEqual({
      unknownCursor: 'after',
    });
    await store.assistants.delete(assistant('asst_b', 'Bee'));
    expect(await store.assistants.get('asst_b')).toBeNull();
    expect(events.map((event) => `${event.object} ${'change' in event ? event.change : ''}`)).toEqual([
      'assistant created',
      'assistant created',
      'assistant updated',
      'assistant deleted',
    ]);
  });

  it('ping: answers while the store is open, rejects once it is closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });

  it('threads: count, pages both ways with after and before, getForUpdate, delete', async () => {
    for (const id of ['thread_1', 'thread_2', 'thread_3']) await store.threads.insert(thread(id));
    expect(await store.threads.count()).toBe(3);
    expect(await store.isEmpty()).toBe(false);
    expect(ids(await store.threads.page({ limit: 2, order: 'asc' }))).toEqual(['thread_1', 'thread_2']);
    expect(ids(await store.threads.page({ limit: 2, order: 'asc', before: 'thread_3' }))).toEqual([
      'thread_1',
      'thread_2',
    ]);
    expect(ids(await store.threads.page({ limit: 5, order: 'desc', after: 'thread_3' }))).toEqual([
      'thread_2',
      'thread_1',
    ]);
    await store.threads.update(thread('thread_2', { team: 'blue' }));
    const locked = await store.transaction((tx) => tx.threads.getForUpdate('thread_2'));
    expect(locked?.metadata).toEqual({ team: 'blue' });
    await store.threads.delete(thread('thread_1'));
    expect(await store.threads.get('thread_1')).toBeNull();
    expect(await store.threads.count()).toBe(2);
  });

  it('messages: appended text folded into every read, cleared by a whole write; deleted one by one or by thread', async () => {
    await store.threads.insert(thread('thread_a'));
    await store.messages.insert(message('msg_1', 'thread_a', 'Hello'));
    const reply = message('msg_2', 'thread_a', 'Hi', 'run_1', 1_001);
    await store.messages.insert(reply);
    await store.messages.appendText(
      { ...reply, content: [{ type: 'text', text: { value: 'Hi th', annotations: [] } }] },
      ' th',
    );
    await store.messages.appendText(reply, 'ere');
    expect((await store.messages.get('thread_a', 'msg_2'))?.content[0]?.text.value).toBe('Hi there');
    expect((await store.messages.inThread('thread_a')).map((each) => each.content[0]?.text.value)).toEqual([
      'Hello',
      'Hi there',
    ]);
    const page = await store.messages.page('thread_a', 'run_1', { limit: 10, order: 'asc' });
    expect(
      'rows' in page && page.rows.map((row) => (JSON.parse(row.body) as Message).content[0]?.text.value),
    ).toEqual(['Hi there']);
    const delta = events.find((event) => event.object === 'message' && event.textDelta === 'ere');
    expect(delta).toBeDefined();

    await store.messages.update(message('msg_2', 'thread_a', 'Whole', 'run_1', 1_001));
    expect((await store.messages.get('thread_a', 'msg_2'))?.content[0]?.text.value).toBe('Whole');
    expect(await store.messages.get('thread_other', 'msg_2')).toBeNull();
    await store.messages.delete(message('msg_1', 'thread_a', 'Hello'));
    expect((await store.messages.inThread('thread_a')).map((each) => each.id)).toEqual(['msg_2']);
    await store.messages.deleteInThread('thread_a');
    expect(await store.messages.inThread('thread_a')).toEqual([]);
  });

  it('runs: compare-and-set, the active run, due runs (set aside skipped), in progress, pages', async () => {
    await store.threads.insert(thread('thread_a'));
    await store.runs.insert(record('run_1', 'thread_a', { schedule: { transition: 'start', dueAt: 5_000 } }));
    await store.runs.insert(
      record('run_2', 'thread_a', { schedule: { transition: 'finish', dueAt: 4_000 } }),
    );
    expect(await store.runs.activeRunId('thread_a')).toMatch(/^run_[12]$/);
    expect((await store.runs.activeRun('thread_a'))?.status).toBe('queued');
    expect(await store.runs.nextDueAt()).toBe(4_000);
    const claim = { owner: 'contract', upTo: 4_500, limit: 10, leaseMs: 15_000 };
    expect((await store.runs.claimDue(claim)).map((run) => run.id)).toEqual(['run_2']);
    expect(await store.runs.claimDue({ ...claim, owner: 'other', setAside: new Set(['run_2']) })).toEqual([]);
    expect(await store.runs.nextDueAt(new Set(['run_2']))).toBe(5_000);
    const due = await store.runs.firstDueInThread('thread_a', 10_000);
    expect(due).toMatchObject({ id: 'run_2', threadId: 'thread_a', transition: 'finish', dueAt: 4_000 });
    expect(due?.load().run.id).toBe('run_2');
    expect(await store.runs.firstDueInThread('thread_b', 10_000)).toBeNull();

    const started = record('run_1', 'thread_a', {
      run: makeRun({ id: 'run_1', thread_id: 'thread_a', status: 'in_progress', started_at: 1_001 }),
      schedule: { transition: 'finish', dueAt: 6_000 },
    });
    const before = events.length;
    expect(await store.runs.update(started, { expectedStatus: 'requires_action' })).toBe(false);
    expect(events.length).toBe(before);
    expect((await store.runs.get('run_1'))?.run.status).toBe('queued');
    expect(await store.runs.update(started, { expectedStatus: 'queued' })).toBe(true);
    expect(await store.transaction((tx) => tx.runs.getForUpdate('run_1'))).toEqual(started);
    expect((await store.runs.inProgress()).map((each) => each.run.id)).toEqual(['run_1']);

    await store.runs.setAside('run_2');
    expect((await store.runs.get('run_2'))?.schedule).toBeNull();
    expect(ids(await store.runs.page('thread_a', { limit: 1, order: 'asc' }))).toEqual(['run_1']);
    expect(await store.runs.get('run_none')).toBeNull();
    await store.runs.deleteInThread('thread_a');
    expect(await store.runs.get('run_1')).toBeNull();
  });

  it('runs: a bulk insert returns its count and publishes one resync', async () => {
    await store.threads.insert(thread('thread_a'));
    await store.threads.insert(thread('thread_b'));
    events.length = 0;
    const records = Array.from({ length: 1_203 }, (_, index) =>
      record(`run_${String(index).padStart(5, '0')}`, index % 2 ? 'thread_a' : 'thread_b', {
        run: makeRun({
          id: `run_${String(index).padStart(5, '0')}`,
          thread_id: index % 2 ? 'thread_a' : 'thread_b',
          status: 'completed',
          completed_at: 1_100,
          metadata: { n: String(index) },
        }),
      }),
    );
    expect(await store.runs.insertMany(records)).toBe(1_203);
    expect(events).toEqual([
      { object: 'resync', reason: 'bulk_insert', threadIds: ['thread_b', 'thread_a'] },
    ]);
    expect((await store.runs.get('run_01202'))?.run.metadata).toEqual({ n: '1202' });
    const page = await store.runs.page('thread_a', { limit: 1_000, order: 'asc' });
    expect('rows' in page && page.rows.length).toBe(601);
  });

  it('steps, settings, model calls and files', async () => {
    await store.threads.insert(thread('thread_a'));
    await store.runs.insert(record('run_1', 'thread_a'));
    await store.steps.insert(step('step_1', 'run_1'));
    await store.steps.insert(step('step_2', 'run_1', 1_001));
    await store.steps.update({ ...step('step_1', 'run_1'), status: 'completed' });
    expect((await store.steps.get('run_1', 'step_1'))?.status).toBe('completed');
    expect((await store.steps.ofRun('run_1')).map((each) => each.id)).toEqual(['step_1', 'step_2']);
    expect(ids(await store.steps.page('run_1', { limit: 1, order: 'desc' }))).toEqual(['step_2']);

    expect(await store.settings.get('clock_offset_ms')).toBeNull();
    await store.settings.set('clock_offset_ms', '10');
    await store.settings.set('clock_offset_ms', '20');
    expect(await store.settings.get('clock_offset_ms')).toBe('20');

    const call: Omit<ModelCall, 'id'> = {
      run_id: 'run_1',
      turn: 1,
      attempt: 1,
      model: 'gpt-4o',
      started_at_ms: 1,
      latency_ms: null,
      first_token_ms: null,
      outcome: 'in_flight',
      http_status: null,
      prompt_tokens: null,
      completion_tokens: null,
      error: null,
    } as Omit<ModelCall, 'id'>;
    const first = await store.modelCalls.begin(call);
    const second = await store.modelCalls.begin({ ...call, attempt: 2 });
    expect(first.id).toMatch(/^mcall_\d+$/);
    expect(second.id).not.toBe(first.id);
    await store.modelCalls.end({ ...first, outcome: 'unavailable', error: 'key sk-secret failed' });
    expect(await store.modelCalls.markInterrupted()).toBe(1);
    expect(await store.modelCalls.maskErrors((error) => error.replace('sk-secret', 'sk-***'))).toBe(1);
    expect(
      (await store.modelCalls.ofRun('run_1')).map((each) => [each.id, each.outcome, each.error]),
    ).toEqual([
      [first.id, 'unavailable', 'key sk-*** failed'],
      [second.id, 'interrupted', null],
    ]);

    await store.steps.deleteInThread('thread_a');
    await store.modelCalls.deleteInThread('thread_a');
    expect(await store.steps.ofRun('run_1')).toEqual([]);
    expect(await store.modelCalls.ofRun('run_1')).toEqual([]);

    const file = {
      id: 'file-1',
      object: 'file',
      bytes: 3,
      created_at: 1_000,
      filename: 'a.txt',
      purpose: 'assistants',
    };
    await store.files.insert(file as never);
    await store.files.insert({ ...file, id: 'file-2', purpose: 'batch' } as never);
    expect(await store.files.get('file-1')).toEqual(file);
    expect(ids(await store.files.page('batch', { limit: 10, order: 'asc' }))).toEqual(['file-2']);
    expect(await store.files.delete('file-1')).toBe(true);
    expect(await store.files.delete('file-1')).toBe(false);
  });

  it('transactions: events after the commit in order; a rollback drops writes and events; a nested one only its own', async () => {
    const order: string[] = [];
    store.events.subscribe(({ event }) => order.push(`event ${event.object}`));
    await store.transaction(async (tx) => {
      await tx.threads.insert(thread('thread_a'));
      tx.afterCommit(() => order.push('after commit'));
      await tx.runs.insert(record('run_1', 'thread_a'));
      // A call on the store itself in the course of the transaction joins it: it sees the uncommitted run.
      expect((await store.runs.get('run_1'))?.run.id).toBe('run_1');
      expect(order).toEqual([]);
    });
    expect(order).toEqual(['event thread', 'after commit', 'event run']);

    await expect(
      store.transaction(async (tx) => {
        await tx.threads.insert(thread('thread_b'));
        tx.afterCommit(() => order.push('never'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await store.threads.get('thread_b')).toBeNull();

    events.length = 0;
    await store.transaction(async (tx) => {
      await tx.threads.insert(thread('thread_c'));
      await expect(
        store.transaction(async (inner) => {
          await inner.threads.insert(thread('thread_d'));
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await store.threads.get('thread_c')).not.toBeNull();
    expect(await store.threads.get('thread_d')).toBeNull();
    expect(events.map((event) => (event.object === 'thread' ? event.thread.id : event.object))).toEqual([
      'thread_c',
    ]);
    expect(order).not.toContain('never');
  });

  it('refuses a table call of a transaction that has ended', async () => {
    let kept: Parameters<Parameters<AssistantsStore['transaction']>[0]>[0] | null = null;
    await store.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.threads.get('thread_a')).rejects.toThrow('already ended');
  });

  it('keeps U+0000 out of nothing it accepts: a body holding it reads back with U+FFFD on PostgreSQL, as is on SQLite', async () => {
    await store.threads.insert(thread('thread_nul', { note: 'a\u0000b' }));
    const read = await store.threads.get('thread_nul');
    expect(read?.metadata.note).toBe(kind === 'postgres' ? 'a\uFFFDb' : 'a\u0000b');
  });
});

describe('PostgreSQL only: what the store keeps beside each write, in its transaction', () => {
  let store: AssistantsStore;
  beforeEach(async () => {
    store = await STORES.postgres();
  });
  afterEach(() => store.close());

  it('the query tables and the change log hold a run once its transaction commits, nothing when it rolls back', async () => {
    const client = database.client;
    await store.threads.insert(thread('thread_a', { team: 'Blue' }));
    await store.messages.insert(message('msg_1', 'thread_a', 'What is the weather in Paris?'));
    await store.runs.insert(record('run_1', 'thread_a'));
    const { rows } = await client.query<{ id: string; search_text: string; body: { preview: unknown } }>(
      'SELECT id, search_text, body FROM query_runs',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.search_text).toContain('what is the weather in paris?');
    expect(rows[0]!.body.preview).toEqual({ input: 'What is the weather in Paris?', output: null });
    const threads = await client.query<{ run_count: number; active_run_count: number }>(
      'SELECT run_count, active_run_count FROM query_threads WHERE id = $1',
      ['thread_a'],
    );
    expect(threads.rows).toEqual([{ run_count: 1, active_run_count: 1 }]);
    const log = await client.query<{ type: string }>('SELECT type FROM change_log ORDER BY id');
    expect(log.rows.map((row) => row.type)).toEqual([
      'thread.created',
      'lifecycle',
      'lifecycle',
      'run.created',
      'lifecycle',
    ]);
    const lifecycle = await client.query<{ body: { instance: string; event: { object: string } } }>(
      "SELECT body FROM change_log WHERE type = 'lifecycle' ORDER BY id DESC LIMIT 1",
    );
    expect(lifecycle.rows[0]!.body.event.object).toBe('run');
    expect(lifecycle.rows[0]!.body.instance).toMatch(/:\d+:/);

    await expect(
      store.transaction(async (tx) => {
        await tx.runs.update(
          record('run_1', 'thread_a', {
            run: makeRun({ id: 'run_1', thread_id: 'thread_a', status: 'failed', failed_at: 1_001 }),
          }),
        );
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const after = await client.query<{ status: string }>('SELECT status FROM query_runs');
    expect(after.rows).toEqual([{ status: 'queued' }]);
    expect((await client.query('SELECT id FROM change_log')).rowCount).toBe(5);
  });

  it.skipIf(!process.env.RUNBOARD_TEST_DATABASE_URL)(
    'getForUpdate holds the run: a second transaction reading it for update waits until the first ends',
    async () => {
      await store.threads.insert(thread('thread_a'));
      await store.runs.insert(record('run_1', 'thread_a'));
      const steps: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = store.transaction(async (tx) => {
        await tx.runs.getForUpdate('run_1');
        steps.push('first locked');
        await held;
        await tx.runs.update(
          record('run_1', 'thread_a', {
            run: makeRun({ id: 'run_1', thread_id: 'thread_a', status: 'cancelled' }),
          }),
        );
        steps.push('first wrote');
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = store.transaction(async (tx) => {
        const seen = await tx.runs.getForUpdate('run_1');
        steps.push(`second read ${seen?.run.status}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(steps).toEqual(['first locked']);
      release();
      await Promise.all([first, second]);
      expect(steps).toEqual(['first locked', 'first wrote', 'second read cancelled']);
    },
  );
});
