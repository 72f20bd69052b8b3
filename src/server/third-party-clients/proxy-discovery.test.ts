import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import OpenAI from 'openai';
import { OpenAIAssistantRunnable } from '@langchain/classic/experimental/openai_assistant';
import { tool } from '@langchain/core/tools';
import { silentLogger } from '../../platform/logger';
import type { RunStatus } from '../../shared/openai-types';
import type { RunsPage, ThreadSummariesPage, WatchedThreadsList } from '../../shared/runs-query-types';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../start-server';

/**
 * Real clients (the openai SDK v7, streaming included, and LangChain's OpenAIAssistantRunnable) talk to a Runboard in
 * proxy mode in front of a second Runboard (the emulator). Nobody types a thread id: every run they created must be in
 * the proxy's own /api/runs with the status the upstream gives it, found from the traffic alone.
 */
let upstream: RunningServer;
let proxy: RunningServer;
let agent: OpenAI;
/** Reads the upstream directly, bypassing the proxy: the truth to compare with. */
let truth: OpenAI;

beforeAll(async () => {
  const common = { HOST: '127.0.0.1', PORT: '0', RUNBOARD_DB: ':memory:', LOG_LEVEL: 'silent' };
  upstream = await startServer(
    loadConfig({ ...common, RUNBOARD_SEED: 'none', RUNBOARD_TIME_SCALE: '20' }),
    silentLogger,
    { dashboardDir: null },
  );
  proxy = await startServer(
    loadConfig({ ...common, OPENAI_BASE_URL: `${upstream.url}/v1`, OPENAI_API_KEY: 'sk-proxy-server-key' }),
    silentLogger,
    { dashboardDir: null },
  );
  agent = new OpenAI({ apiKey: 'sk-agent', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
  truth = new OpenAI({ apiKey: 'sk-truth', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

async function proxyApi<T>(path: string): Promise<T> {
  const response = await fetch(`${proxy.url}${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const weather = tool(({ location }: { location: string }) => `It is 21 degrees in ${location}.`, {
  name: 'get_current_weather',
  description: 'The current weather at a place',
  schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
});

describe('proxy mode finds what agents do through it', () => {
  it('indexes every run that the SDK, its streams and LangChain created, with the right status', async () => {
    const created: { runId: string; threadId: string }[] = [];
    const note = (run: { id: string; thread_id: string }) =>
      created.push({ runId: run.id, threadId: run.thread_id });

    const assistant = await agent.beta.assistants.create({ model: 'gpt-4o', name: 'Billing helper' });
    const thread = await agent.beta.threads.create({ metadata: { customer: 'acme' } });
    await agent.beta.threads.messages.create(thread.id, { role: 'user', content: 'Hello' });
    // The answer to the create is indexed as it passes: the run is in the proxy's query API at once.
    const started = await agent.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    note(started);
    const atOnce = await proxyApi<RunsPage>(`/api/runs?thread_id=${thread.id}`);
    expect(atOnce.data.map((run) => run.id)).toContain(started.id);
    expect(atOnce.coverage).toMatchObject({ watched: true, complete: true });
    note(await agent.beta.threads.runs.poll(started.id, { thread_id: thread.id }));

    // Polling for the run to end, as the SDK does.
    note(await agent.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id }));
    // Create thread and run in one call, with the thread's metadata in its body.
    const both = await agent.beta.threads.createAndRun({
      assistant_id: assistant.id,
      thread: { metadata: { customer: 'globex' }, messages: [{ role: 'user', content: 'Hi' }] },
    });
    note(both);
    // Streams: a run on a thread, and a new thread with its run.
    const stream = agent.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    note(await stream.finalRun());
    const threadStream = agent.beta.threads.createAndRunStream({
      assistant_id: assistant.id,
      thread: { metadata: { customer: 'initech' }, messages: [{ role: 'user', content: 'Hey' }] },
    });
    note(await threadStream.finalRun());
    // A run that waits for tool outputs, and one cancelled.
    const tooled = await agent.beta.assistants.create({
      model: 'gpt-4o',
      tools: [
        { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
      ],
    });
    const waiting = await agent.beta.threads.createAndRun({ assistant_id: tooled.id });
    note(waiting);
    const cancelThread = await agent.beta.threads.create();
    const toCancel = await agent.beta.threads.runs.create(cancelThread.id, { assistant_id: assistant.id });
    note(await agent.beta.threads.runs.cancel(toCancel.id, { thread_id: cancelThread.id }));
    // LangChain, with a function tool: tool calls, outputs, then the answer.
    const runnable = await OpenAIAssistantRunnable.createAssistant({
      model: 'gpt-4o',
      name: 'Weather agent',
      tools: [weather],
      asAgent: true,
      clientOptions: { apiKey: 'sk-langchain', baseURL: `${proxy.url}/v1` },
    });
    const actions = await runnable.invoke({ content: "What's the weather in Paris?" });
    if (!Array.isArray(actions)) throw new Error(`expected tool calls, got ${JSON.stringify(actions)}`);
    const action = actions[0]!;
    created.push({ runId: action.runId, threadId: action.threadId });
    await runnable.invoke({
      threadId: action.threadId,
      runId: action.runId,
      toolOutputs: [{ tool_call_id: action.toolCallId, output: 'It is 21 degrees in Paris.' }],
    });

    // Every run the agents created is in the proxy's index with the upstream's status (active ones go on changing,
    // so it is compared until the two agree).
    const expected = new Map<string, RunStatus>();
    await vi.waitFor(
      async () => {
        for (const { runId, threadId } of created) {
          expected.set(
            runId,
            (await truth.beta.threads.runs.retrieve(runId, { thread_id: threadId })).status,
          );
        }
        const page = await proxyApi<RunsPage>('/api/runs?limit=500');
        const indexed = new Map(page.data.map((run) => [run.id, run.status]));
        expect([...expected].filter(([id, status]) => indexed.get(id) !== status).map(([id]) => id)).toEqual(
          [],
        );
        expect(page.total).toBe(expected.size);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(new Set(expected.values())).toEqual(
      new Set<RunStatus>(['completed', 'requires_action', 'cancelled']),
    );

    // The threads were found from traffic, with their metadata; the views can say since when.
    const threads = await proxyApi<ThreadSummariesPage>('/api/threads');
    const customers = threads.data.map((summary) => summary.thread.metadata?.customer).filter(Boolean);
    expect(customers.sort()).toEqual(['acme', 'globex', 'initech']);
    expect(threads.coverage?.scope).toMatchObject({
      discovery: true,
      seen_since: expect.any(Number),
      hand_watched_threads: 0,
      evicted_threads: 0,
    });
    const watched = await proxyApi<WatchedThreadsList>('/api/watched-threads');
    expect(watched.data.every((entry) => entry.origin === 'traffic')).toBe(true);
    expect(new Set(watched.data.map((entry) => entry.thread_id))).toEqual(
      new Set(created.map((entry) => entry.threadId)),
    );
    // The assistant's name came along with its answer: a search by it finds its runs.
    const byName = await proxyApi<RunsPage>(`/api/runs?q=${encodeURIComponent('Billing helper')}`);
    expect(byName.total).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
