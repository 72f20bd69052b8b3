import { toFile } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, MessageDelta, RunStep, RunStepDelta } from '../../shared/openai-types';
import { createHarness, WEATHER_TOOL, type Harness } from '../test-support/emulator-harness';
import { eventOutline, readSse } from '../test-support/sse-reader';
import { fileIdOf, indexDocuments, POLICY_DOCUMENTS, storeIdOf } from './test-support/search-documents';

/**
 * Runs with `file_search` on the scripted executor (no model): the last user message is searched in the thread's and
 * the assistant's vector stores, a file_search step is recorded, and the reply cites the best results.
 */
let h: Harness;
afterEach(() => h?.close());

const CONTENT = 'step_details.tool_calls[*].file_search.results[*].content' as const;
const { refunds, shipping, security } = POLICY_DOCUMENTS;

async function setUp(
  question: string,
  options: { tool?: Record<string, unknown>; assistantStores?: string[]; threadStores?: string[] } = {},
) {
  h = await createHarness();
  await indexDocuments(h, 'vs_policies', [refunds, shipping]);
  await indexDocuments(h, 'vs_security', [security]);
  const assistant = await h.client.beta.assistants.create({
    model: 'gpt-4o',
    name: 'Policy bot',
    tools: [{ type: 'file_search', ...options.tool }],
    tool_resources: {
      file_search: { vector_store_ids: (options.assistantStores ?? ['vs_policies']).map(storeIdOf) },
    },
  });
  const thread = await h.client.beta.threads.create({
    messages: [{ role: 'user', content: question }],
    tool_resources: { file_search: { vector_store_ids: (options.threadStores ?? []).map(storeIdOf) } },
  });
  return { assistant, thread };
}

async function finishedRun(threadId: string, assistantId: string) {
  const run = await h.client.beta.threads.runs.create(threadId, { assistant_id: assistantId });
  await h.advance(2);
  return h.client.beta.threads.runs.retrieve(run.id, { thread_id: threadId });
}

describe('scripted runs that search', () => {
  it('searches the question, records the file_search step, and cites the right file among several', async () => {
    const { assistant, thread } = await setUp('How many days do I have to return an item for a refund?');
    const run = await finishedRun(thread.id, assistant.id);
    expect(run.status).toBe('completed');

    const steps = await h.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
    expect(steps.data.map((step) => step.type)).toEqual(['tool_calls', 'message_creation']);
    const search = steps.data[0]!.step_details as Extract<RunStep['step_details'], { type: 'tool_calls' }>;
    const call = search.tool_calls[0]!;
    expect(call).toMatchObject({
      type: 'file_search',
      file_search: { ranking_options: { ranker: 'default_2024_08_21', score_threshold: 0 } },
    });
    if (call.type !== 'file_search') throw new Error('not a file_search call');
    const results = call.file_search.results!;
    expect(results[0]).toMatchObject({ file_id: fileIdOf(refunds), file_name: 'refunds.md' });
    expect(results[0]!.score).toBeGreaterThan(0);
    expect(results[0]!.score).toBeLessThanOrEqual(1);
    // Without include[], no content.
    expect(results.every((result) => !('content' in result))).toBe(true);

    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    const text = reply!.content[0]!;
    if (text.type !== 'text') throw new Error('not text');
    expect(text.text.value).toContain('30 days');
    expect(text.text.annotations.length).toBeGreaterThan(0);
    const first = text.text.annotations[0]!;
    expect(first).toMatchObject({ type: 'file_citation', file_citation: { file_id: fileIdOf(refunds) } });
    expect(text.text.value.slice(first.start_index, first.end_index)).toBe(first.text);
    expect(first.text).toBe('【0:0†refunds.md】');
    const stepTokens = steps.data.reduce((sum, step) => sum + (step.usage?.total_tokens ?? 0), 0);
    expect(run.usage!.total_tokens).toBe(stepTokens);
  });

  it('searches first, then asks for the function outputs; the usage is the sum of the steps', async () => {
    const { assistant, thread } = await setUp('Express delivery to Norway', {
      tool: {},
      assistantStores: ['vs_policies'],
    });
    await h.client.beta.assistants.update(assistant.id, { tools: [{ type: 'file_search' }, WEATHER_TOOL] });
    const waiting = await finishedRun(thread.id, assistant.id);
    expect(waiting.status).toBe('requires_action');
    const [call] = waiting.required_action!.submit_tool_outputs.tool_calls;
    await h.client.beta.threads.runs.submitToolOutputs(waiting.id, {
      thread_id: thread.id,
      tool_outputs: [{ tool_call_id: call!.id, output: '-3 °C' }],
    });
    await h.advance(2);
    const done = await h.client.beta.threads.runs.retrieve(waiting.id, { thread_id: thread.id });
    expect(done.status).toBe('completed');
    const steps = await h.client.beta.threads.runs.steps.list(done.id, {
      thread_id: thread.id,
      order: 'asc',
    });
    expect(
      steps.data.map((step) =>
        step.step_details.type === 'tool_calls' ? step.step_details.tool_calls[0]!.type : step.type,
      ),
    ).toEqual(['file_search', 'function', 'message_creation']);
    const stepTokens = steps.data.reduce((sum, step) => sum + (step.usage?.total_tokens ?? 0), 0);
    expect(done.usage!.total_tokens).toBe(stepTokens);
  });

  it('answers the chunk text with include[] on steps list and retrieve, and refuses other include values', async () => {
    const { assistant, thread } = await setUp('Express delivery to Norway');
    const run = await finishedRun(thread.id, assistant.id);
    const steps = await h.client.beta.threads.runs.steps.list(run.id, {
      thread_id: thread.id,
      include: [CONTENT],
    });
    const step = steps.data.find((candidate) => candidate.type === 'tool_calls')!;
    const call = (step.step_details as { tool_calls: Array<{ file_search: { results: unknown[] } }> })
      .tool_calls[0]!;
    expect(call.file_search.results[0]).toMatchObject({
      file_id: fileIdOf(shipping),
      content: [{ type: 'text', text: expect.stringContaining('Express delivery to Norway') }],
    });
    const retrieved = await h.client.beta.threads.runs.steps.retrieve(step.id, {
      thread_id: thread.id,
      run_id: run.id,
      include: [CONTENT],
    });
    expect(retrieved).toEqual(step);
    const plain = await h.client.beta.threads.runs.steps.retrieve(step.id, {
      thread_id: thread.id,
      run_id: run.id,
    });
    expect(JSON.stringify(plain)).not.toContain('standard delivery takes ten');

    const refused = await h.app.request(
      `/v1/threads/${thread.id}/runs?include[]=step_details.tool_calls[*].file_search.results`,
      { method: 'POST', body: JSON.stringify({ assistant_id: assistant.id }) },
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
      message: `Invalid value: 'step_details.tool_calls[*].file_search.results'. Supported values are: '${CONTENT}'.`,
      param: 'include[0]',
      code: 'invalid_value',
    });
  });

  it("searches the thread's stores and the assistant's together", async () => {
    const { assistant, thread } = await setUp('Who audits the vault?', { threadStores: ['vs_security'] });
    const run = await finishedRun(thread.id, assistant.id);
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    const text = reply!.content[0]!;
    if (text.type !== 'text') throw new Error('not text');
    expect(text.text.annotations[0]).toMatchObject({ file_citation: { file_id: fileIdOf(security) } });
    expect(text.text.value).toContain('Kestrel Labs');
  });

  it('honours max_num_results and score_threshold', async () => {
    const { assistant, thread } = await setUp('refund delivery days', {
      tool: { file_search: { max_num_results: 1 } },
    });
    const run = await finishedRun(thread.id, assistant.id);
    const steps = await h.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    const call = steps.data.flatMap((step) =>
      step.step_details.type === 'tool_calls' ? step.step_details.tool_calls : [],
    )[0]!;
    expect(call.type === 'file_search' && call.file_search.results).toHaveLength(1);

    const strict = await h.client.beta.assistants.update(assistant.id, {
      tools: [{ type: 'file_search', file_search: { ranking_options: { score_threshold: 1 } } }],
    });
    const second = await finishedRun(thread.id, strict.id);
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: second.id })).data;
    expect(reply!.content[0]).toMatchObject({
      text: { value: expect.stringContaining('found nothing'), annotations: [] },
    });
    const secondSteps = await h.client.beta.threads.runs.steps.list(second.id, { thread_id: thread.id });
    expect(secondSteps.data.find((step) => step.type === 'tool_calls')).toMatchObject({
      step_details: {
        tool_calls: [{ file_search: { ranking_options: { score_threshold: 1 }, results: [] } }],
      },
    });
  });

  it('searches nothing when no store is attached: the run answers as before', async () => {
    const { assistant, thread } = await setUp('How do refunds work?', { assistantStores: [] });
    const run = await finishedRun(thread.id, assistant.id);
    const steps = await h.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    expect(steps.data.map((step) => step.type)).toEqual(['message_creation']);
  });

  it('refuses file_search overrides out of range in OpenAI’s wording', async () => {
    h = await createHarness();
    const refused = await h.client.beta.assistants
      .create({ model: 'gpt-4o', tools: [{ type: 'file_search', file_search: { max_num_results: 51 } }] })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      status: 400,
      error: {
        message:
          "Invalid 'tools[0].file_search.max_num_results': integer above maximum value. Expected a value <= 50, but got 51 instead.",
        param: 'tools[0].file_search.max_num_results',
      },
    });
  });
});

describe('a scripted run on a thread whose message brought a file', () => {
  async function askWithAttachment(options: Parameters<typeof createHarness>[0] = {}) {
    h = await createHarness(options);
    const file = await h.client.files.create({
      file: await toFile(Buffer.from(refunds.text), 'refunds.md'),
      purpose: 'assistants',
    });
    const assistant = await h.client.beta.assistants.create({
      model: 'gpt-4o',
      tools: [{ type: 'file_search' }],
    });
    const thread = await h.client.beta.threads.create({
      messages: [
        {
          role: 'user',
          content: 'How long do I have to return an item?',
          attachments: [{ file_id: file.id, tools: [{ type: 'file_search' }] }],
        },
      ],
    });
    const run = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    return { fileId: file.id, thread, run };
  }

  it("searches the thread's store the attachment went into, and cites the attached file", async () => {
    const { fileId, thread, run } = await askWithAttachment();
    await h.emulator.vectorStoreFiles.whenIdle();
    await h.advance(2);
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    expect(reply!.content[0]).toMatchObject({
      text: {
        value: expect.stringContaining('30 days'),
        annotations: [{ file_citation: { file_id: fileId } }],
      },
    });
  });

  it("searches a store made by the assistant's tool_resources.file_search.vector_stores helper", async () => {
    h = await createHarness();
    const file = await h.client.files.create({
      file: await toFile(Buffer.from(security.text), 'security.md'),
      purpose: 'assistants',
    });
    const assistant = await h.client.beta.assistants.create({
      model: 'gpt-4o',
      tools: [{ type: 'file_search' }],
      tool_resources: { file_search: { vector_stores: [{ file_ids: [file.id] }] } },
    });
    const thread = await h.client.beta.threads.create({
      messages: [{ role: 'user', content: 'Who audits the vault?' }],
    });
    await h.emulator.vectorStoreFiles.whenIdle();
    const run = await finishedRun(thread.id, assistant.id);
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    expect(reply!.content[0]).toMatchObject({
      text: {
        value: expect.stringContaining('Kestrel Labs'),
        annotations: [{ file_citation: { file_id: file.id } }],
      },
    });
  });

  it('waits while the file is still processed, a minute at most, then searches what is ready', async () => {
    // Nothing is processed: the file stays in_progress.
    const { thread, run } = await askWithAttachment({ fileSearch: { ingestQueue: { concurrency: 0 } } });
    await h.advance(2);
    await h.advance(10);
    const waiting = await h.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    expect(waiting.status).toBe('in_progress');
    expect((await h.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data).toEqual([]);
    await h.advance(60);
    const done = await h.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    expect(done.status).toBe('completed');
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    expect(reply!.content[0]).toMatchObject({ text: { value: expect.stringContaining('found nothing') } });
  });
});

describe('a scripted search, streamed', () => {
  it('streams the file_search step (created, delta, completed) before the reply, and each citation with its marker', async () => {
    const { assistant, thread } = await setUp('return an item for a refund');
    const response = await h.app.request(`/v1/threads/${thread.id}/runs?include[]=${CONTENT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assistant_id: assistant.id, stream: true }),
    });
    expect(response.status).toBe(200);
    const stream = readSse(response);
    await h.advance(1);
    await h.advance(1);
    const frames = await stream.ended;
    const step = (suffix: string) => `thread.run.step.${suffix}`;
    const message = (suffix: string) => `thread.message.${suffix}`;
    expect(eventOutline(frames)).toEqual([
      ...['created', 'queued', 'in_progress'].map((status) => `thread.run.${status}`),
      ...['created', 'in_progress', 'delta…', 'completed'].map(step),
      ...['created', 'in_progress'].map(step),
      ...['created', 'in_progress', 'delta…', 'completed'].map(message),
      step('completed'),
      'thread.run.completed',
      'done',
    ]);
    const created = frames.find((frame) => frame.event === 'thread.run.step.created')!.data as RunStep;
    expect(created.step_details).toEqual({ type: 'tool_calls', tool_calls: [] });
    const delta = frames.find((frame) => frame.event === 'thread.run.step.delta')!.data as RunStepDelta;
    expect(delta.delta.step_details.tool_calls).toEqual([
      { index: 0, id: expect.stringMatching(/^call_/), type: 'file_search', file_search: {} },
    ]);
    const completed = frames.find((frame) => frame.event === 'thread.run.step.completed')!.data as RunStep;
    expect(JSON.stringify(completed)).toContain('Customers may return any item');

    const reply = frames.find((frame) => frame.event === 'thread.message.completed')!.data as Message;
    const annotations = reply.content[0]!.text.annotations;
    const cited = frames
      .filter((frame) => frame.event === 'thread.message.delta')
      .flatMap((frame) => (frame.data as MessageDelta).delta.content)
      .filter((part) => part.text.annotations?.length);
    expect(cited).toHaveLength(annotations.length);
    expect(cited[0]!.text).toEqual({
      value: annotations[0]!.text,
      annotations: [{ index: 0, ...annotations[0]! }],
    });
    const streamedText = frames
      .filter((frame) => frame.event === 'thread.message.delta')
      .map((frame) => (frame.data as MessageDelta).delta.content[0]!.text.value ?? '')
      .join('');
    expect(streamedText).toBe(reply.content[0]!.text.value);
  });
});

describe("a run's vector stores", () => {
  const DAY = 86_400;
  const emulatorNow = async () => ((await (await h.admin('/clock')).json()) as { now: number }).now;
  const expireAfterADay = () =>
    h.client.vectorStores.update(storeIdOf('vs_policies'), {
      expires_after: { anchor: 'last_active_at', days: 1 },
    });

  it('are made active by its search: last_active_at moves, and expires_at with it', async () => {
    const { assistant, thread } = await setUp('How many days do I have to return an item for a refund?');
    const before = await expireAfterADay();
    await h.advance(DAY / 2);
    const run = await finishedRun(thread.id, assistant.id);
    expect(run.status).toBe('completed');
    const after = await h.client.vectorStores.retrieve(storeIdOf('vs_policies'));
    const searchedAt = run.completed_at!;
    expect(after.last_active_at).toBe(searchedAt);
    expect(after.last_active_at).toBeGreaterThan(before.last_active_at! + DAY / 2 - 1);
    expect(after.expires_at).toBe(searchedAt + DAY);
    // A store the run does not search stays as it was.
    const unsearched = await h.client.vectorStores.retrieve(storeIdOf('vs_security'));
    expect(unsearched.last_active_at).toBe(unsearched.created_at);
  });

  it('fail the run when one of them has expired, as OpenAI did, saying which and what to do', async () => {
    const { assistant, thread } = await setUp('How many days do I have to return an item for a refund?', {
      threadStores: ['vs_security'],
    });
    await expireAfterADay();
    await h.advance(2 * DAY);
    const expiredAt = await emulatorNow();
    const run = await finishedRun(thread.id, assistant.id);
    expect(run.status).toBe('failed');
    expect(run.last_error).toEqual({
      code: 'server_error',
      message: `Vector store '${storeIdOf('vs_policies')}' has expired: an expired vector store cannot be searched. Create a new vector store with the same files and attach it to the thread or the assistant.`,
    });
    const steps = await h.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    expect(steps.data).toEqual([]);
    // The expired store stays expired (a failed run does not make it active); the other one was not searched.
    const expired = await h.client.vectorStores.retrieve(storeIdOf('vs_policies'));
    expect(expired.status).toBe('expired');
    expect(expired.expires_at).toBeLessThanOrEqual(expiredAt);
  });

  it("find only files that are completed in their store, as the store's own search", async () => {
    const { assistant, thread } = await setUp('How many days do I have to return an item for a refund?');
    // A file whose processing failed, though chunks of it are in the index (a file removed, failed or attached
    // again keeps its chunks for a moment).
    const broken = await h.client.files.create({
      file: await toFile(Buffer.from('%PDF-1.4 broken'), 'broken.pdf'),
      purpose: 'assistants',
    });
    const storeId = storeIdOf('vs_policies');
    await h.client.vectorStores.files.create(storeId, { file_id: broken.id });
    await h.emulator.vectorStoreFiles.whenIdle();
    expect((await h.client.vectorStores.files.retrieve(broken.id, { vector_store_id: storeId })).status).toBe(
      'failed',
    );
    await h.emulator.fileSearch.index({
      vectorStoreId: storeId,
      fileId: broken.id,
      filename: 'leaked.md',
      bytes: new TextEncoder().encode(
        'Return any item within 30 days for a refund: how many days, refund, return.',
      ),
    });
    const searched = await h.client.vectorStores.search(storeId, { query: 'return an item for a refund' });
    expect(searched.data.map((result) => result.file_id)).not.toContain(broken.id);

    const run = await finishedRun(thread.id, assistant.id);
    const steps = await h.client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, order: 'asc' });
    const details = steps.data[0]!.step_details;
    if (details.type !== 'tool_calls' || details.tool_calls[0]!.type !== 'file_search')
      throw new Error('no file_search step');
    const found = details.tool_calls[0]!.file_search.results!.map((result) => result.file_id);
    expect(found).toContain(fileIdOf(refunds));
    expect(found).not.toContain(broken.id);
  });
});

describe('a scripted run searches before its transaction', () => {
  /**
   * The engine's search, held until the test releases it: a stand-in for a search at 1,000,000 chunks. If the test
   * never gets to release it (the writes it waits for are blocked behind the search), it is released after a while
   * so that the test ends and says what happened first.
   */
  function holdSearches() {
    const search = h.emulator.fileSearch.search.bind(h.emulator.fileSearch);
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    let searches = 0;
    h.emulator.fileSearch.search = async (...args) => {
      searches++;
      markStarted();
      await released;
      return search(...args);
    };
    const fallback = setTimeout(() => {
      order.push('search released by the fallback');
      release();
    }, 20_000);
    return {
      order,
      started,
      searches: () => searches,
      release() {
        clearTimeout(fallback);
        order.push('search released');
        release();
      },
    };
  }

  /** Starts the run and its finish (as the clock advances), and waits until its search has begun, held. */
  async function finishWhileSearchHeld(threadId: string, assistantId: string) {
    const held = holdSearches();
    const run = await h.client.beta.threads.runs.create(threadId, { assistant_id: assistantId });
    const advancing = h.advance(2);
    await held.started;
    return { held, run, advancing };
  }

  /** The run, completed, whose reply cites `fileId` first. */
  async function completedCiting(threadId: string, runId: string, fileId: string) {
    const done = await h.client.beta.threads.runs.retrieve(runId, { thread_id: threadId });
    expect(done.status).toBe('completed');
    const [reply] = (await h.client.beta.threads.messages.list(threadId, { run_id: runId })).data;
    const text = reply!.content[0]!;
    if (text.type !== 'text') throw new Error('not text');
    expect(text.text.annotations[0]).toMatchObject({ file_citation: { file_id: fileId } });
    return done;
  }

  it('lets other requests write while its search is in progress', async () => {
    const { assistant, thread } = await setUp('How many days do I have to return an item for a refund?');
    const { held, run, advancing } = await finishWhileSearchHeld(thread.id, assistant.id);
    // A thread created (on SQLite: the database's write lock) and the searched store changed (on PostgreSQL: its
    // row, which the run locks when it makes the store active) while the search is held.
    const other = await h.client.beta.threads.create({ messages: [{ role: 'user', content: 'Hello' }] });
    held.order.push('thread created');
    await h.client.vectorStores.update(storeIdOf('vs_policies'), { metadata: { team: 'support' } });
    held.order.push('store changed');
    held.release();
    await advancing;
    expect(held.order).toEqual(['thread created', 'store changed', 'search released']);
    expect(other.id).toMatch(/^thread_/);
    const done = await completedCiting(thread.id, run.id, fileIdOf(refunds));
    const store = await h.client.vectorStores.retrieve(storeIdOf('vs_policies'));
    expect(store.metadata).toEqual({ team: 'support' });
    expect(store.last_active_at).toBe(done.completed_at);
  }, 60_000);

  // (A request about the run's thread would first apply its due finish, search included: the store is attached to
  // the assistant, whose route does not.)
  it('searches again when a store was attached while it searched, and cites its file', async () => {
    const { assistant, thread } = await setUp('Who audits the vault?');
    const { held, run, advancing } = await finishWhileSearchHeld(thread.id, assistant.id);
    await h.client.beta.assistants.update(assistant.id, {
      tool_resources: { file_search: { vector_store_ids: ['vs_policies', 'vs_security'].map(storeIdOf) } },
    });
    held.order.push('store attached');
    held.release();
    await advancing;
    expect(held.order).toEqual(['store attached', 'search released']);
    // Its finish is due again a millisecond later (the test's clock stands still), to search both stores.
    await h.advance(1);
    expect(held.searches()).toBe(2);
    await completedCiting(thread.id, run.id, fileIdOf(security));
  }, 60_000);
});
