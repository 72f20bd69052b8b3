import { afterEach, describe, expect, it } from 'vitest';
import { toFile, type OpenAI } from 'openai';
import type { FileSearchToolCallDetails, RunStep } from '../../shared/openai-types';
import { INVALID_SEARCH_ARGUMENTS, MAX_RESULT_CHARS, NO_RESULTS } from '../run-search/citations';
import {
  addDocuments,
  fileIdOf,
  indexDocuments,
  POLICY_DOCUMENTS,
  storeIdOf,
} from '../run-search/test-support/search-documents';
import { WEATHER_TOOL } from '../test-support/emulator-harness';
import type { ChatMessage } from './chat-types';
import { MAX_SEARCH_TURNS } from './search-tool';
import { startModelHarness, type ModelHarness } from './test-support/model-harness';

/**
 * Runs with `file_search` executed by a model (the scripted chat-completions stand-in): the model is offered a
 * `file_search` function, its calls search the run's vector stores, the results go back, and its answer's markers
 * become file_citation annotations. Misbehaving models (searching for ever, bad arguments) stay bounded.
 */
let h: ModelHarness;
afterEach(() => h?.stop());

const poll = { pollIntervalMs: 20 };
const { refunds, shipping, security } = POLICY_DOCUMENTS;
const CONTENT = 'step_details.tool_calls[*].file_search.results[*].content' as const;

async function setUp(
  options: { tools?: OpenAI.Beta.AssistantTool[]; stores?: string[]; model?: string } = {},
) {
  h = await startModelHarness();
  await indexDocuments(h, 'vs_policies', [refunds, shipping, security]);
  const assistant = await h.client.beta.assistants.create({
    model: options.model ?? 'gpt-4o',
    instructions: 'Answer from the files.',
    tools: options.tools ?? [{ type: 'file_search' }],
    tool_resources: { file_search: { vector_store_ids: (options.stores ?? ['vs_policies']).map(storeIdOf) } },
  });
  const thread = await h.client.beta.threads.create({
    messages: [{ role: 'user', content: 'How long do I have to ask for a refund?' }],
  });
  return { assistant, thread };
}

/** Creates a run and polls it until it stops (completed, failed, requires_action…). */
function ran(
  threadId: string,
  assistantId: string,
  extra: Partial<OpenAI.Beta.Threads.RunCreateParamsNonStreaming> = {},
) {
  return h.client.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId, ...extra }, poll);
}

const searchCall = (queries: unknown) => ({
  toolCalls: [{ name: 'file_search', arguments: { queries } }],
});

function toolMessages(requestIndex: number): Extract<ChatMessage, { role: 'tool' }>[] {
  return h.model.requests[requestIndex]!.body.messages.filter(
    (message): message is Extract<ChatMessage, { role: 'tool' }> => message.role === 'tool',
  );
}

function searchCalls(steps: RunStep[]): FileSearchToolCallDetails[] {
  return steps.flatMap((step) =>
    step.step_details.type === 'tool_calls'
      ? step.step_details.tool_calls.filter(
          (call): call is FileSearchToolCallDetails => call.type === 'file_search',
        )
      : [],
  );
}

async function stepsOf(runId: string, threadId: string, include = false): Promise<RunStep[]> {
  const page = await h.client.beta.threads.runs.steps.list(runId, {
    thread_id: threadId,
    order: 'asc',
    ...(include ? { include: [CONTENT] } : {}),
  });
  return page.data as unknown as RunStep[];
}

describe('model runs that search', () => {
  it('offers file_search, runs the search, feeds the results back, and annotates the cited file', async () => {
    const { assistant, thread } = await setUp();
    h.model.script(searchCall(['refund period', 'return items']), {
      text: 'You have 30 days to return an item 【0:0†refunds.md】.',
    });
    const run = await ran(thread.id, assistant.id);
    expect(run.status).toBe('completed');

    const first = h.model.requests[0]!.body;
    expect(first.tools?.map((tool) => tool.function.name)).toEqual(['file_search']);
    expect(first.tools?.[0]!.function.parameters).toMatchObject({ required: ['queries'] });
    const [fed] = toolMessages(1);
    expect(fed!.content).toContain('【0:0†refunds.md】');
    expect(fed!.content).toContain('Customers may return any item within 30 days');

    const steps = await stepsOf(run.id, thread.id, true);
    expect(steps.map((step) => step.type)).toEqual(['tool_calls', 'message_creation']);
    const [call] = searchCalls(steps);
    expect(call).toMatchObject({
      id: fed!.tool_call_id,
      file_search: {
        ranking_options: { ranker: 'default_2024_08_21', score_threshold: 0 },
        queries: ['refund period', 'return items'],
      },
    });
    expect(call!.file_search.results![0]).toMatchObject({
      file_id: fileIdOf(refunds),
      file_name: 'refunds.md',
      content: [{ type: 'text', text: expect.stringContaining('30 days') }],
    });
    // The search step carries the model call that asked for it; the run's usage sums both calls.
    expect(steps[0]!.usage).not.toBeNull();
    expect(run.usage!.total_tokens).toBe(steps[0]!.usage!.total_tokens + steps[1]!.usage!.total_tokens);

    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    const part = reply!.content[0]!;
    if (part.type !== 'text') throw new Error('not text');
    expect(part.text.annotations).toEqual([
      {
        type: 'file_citation',
        text: '【0:0†refunds.md】',
        start_index: part.text.value.indexOf('【'),
        end_index: part.text.value.indexOf('】') + 1,
        file_citation: { file_id: fileIdOf(refunds) },
      },
    ]);
  });

  it('cites across several searches: the marker’s first number is the search, the second the result', async () => {
    const { assistant, thread } = await setUp();
    h.model.script(searchCall(['refund']), searchCall(['Kestrel Labs vault audit']), {
      text: 'Refunds: 30 days 【0:0†refunds.md】. Audits: Kestrel Labs 【1:0†security.md】. Made up 【4:4†x】.',
    });
    const run = await ran(thread.id, assistant.id);
    expect(run.status).toBe('completed');
    expect(h.model.requests).toHaveLength(3);
    expect(toolMessages(2).map((message) => message.content.slice(0, 200))).toEqual([
      expect.stringContaining('【0:0†refunds.md】'),
      expect.stringContaining('【1:0†security.md】'),
    ]);
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    const part = reply!.content[0]!;
    if (part.type !== 'text') throw new Error('not text');
    expect(
      part.text.annotations.map((annotation) =>
        annotation.type === 'file_citation' ? annotation.file_citation.file_id : null,
      ),
    ).toEqual([fileIdOf(refunds), fileIdOf(security)]);
  });

  it('a model that searches for ever: the tool is withdrawn after the last search turn, then the run fails', async () => {
    const { assistant, thread } = await setUp();
    h.model.fallback = () => searchCall(['refund']);
    const run = await ran(thread.id, assistant.id);
    expect(run).toMatchObject({
      status: 'failed',
      last_error: { code: 'server_error', message: expect.stringContaining('file_search') },
    });
    expect(h.model.requests).toHaveLength(MAX_SEARCH_TURNS + 1);
    expect(h.model.requests[MAX_SEARCH_TURNS - 1]!.body.tools).toHaveLength(1);
    expect(h.model.requests[MAX_SEARCH_TURNS]!.body.tools).toBeUndefined();
    // The searches it made are all recorded, and the last prompt holds each of their answers.
    expect(searchCalls(await stepsOf(run.id, thread.id))).toHaveLength(MAX_SEARCH_TURNS);
    expect(toolMessages(MAX_SEARCH_TURNS)).toHaveLength(MAX_SEARCH_TURNS);
  });

  it('a model whose search goes to no store, or with bad arguments, is told so and can still answer', async () => {
    const { assistant, thread } = await setUp({ stores: [] });
    h.model.script(
      searchCall(['refund']),
      { toolCalls: [{ name: 'file_search', arguments: '{"queries": "not a list"' }] },
      searchCall([]),
      { text: 'I could not find it in the files.' },
    );
    const run = await ran(thread.id, assistant.id);
    expect(run.status).toBe('completed');
    expect(toolMessages(3).map((message) => message.content)).toEqual([
      NO_RESULTS,
      INVALID_SEARCH_ARGUMENTS,
      INVALID_SEARCH_ARGUMENTS,
    ]);
    const calls = searchCalls(await stepsOf(run.id, thread.id));
    expect(calls.map((call) => call.file_search)).toEqual([
      expect.objectContaining({ queries: ['refund'], results: [] }),
      expect.objectContaining({ queries: [], results: [] }),
      expect.objectContaining({ queries: [], results: [] }),
    ]);
    // The reconstructed calls the model sees are well formed even when its own arguments were not.
    const assistantCalls = h.model.requests[3]!.body.messages.flatMap((message) =>
      message.role === 'assistant' ? (message.tool_calls ?? []) : [],
    );
    expect(assistantCalls.map((call) => JSON.parse(call.function.arguments) as unknown)).toEqual([
      { queries: ['refund'] },
      { queries: [] },
      { queries: [] },
    ]);
  });

  it('bounds what the searches of one answer feed back, however many calls it makes', async () => {
    const { assistant, thread } = await setUp();
    const pages = Array.from({ length: 400 }, (_, index) => `Turbine ${index} is inspected every spring.`);
    await addDocuments(h, 'vs_policies', [{ filename: 'manual.md', text: pages.join('\n') }]);
    const calls = Array.from({ length: 4 }, () => ({
      name: 'file_search',
      arguments: { queries: ['turbine'] },
    }));
    h.model.script({ toolCalls: calls }, { text: 'Every spring.' });
    const run = await ran(thread.id, assistant.id);
    expect(run.status).toBe('completed');
    const fed = toolMessages(1).map((message) => message.content);
    expect(fed).toHaveLength(4);
    for (const text of fed) {
      expect(text.length).toBeLessThanOrEqual(MAX_RESULT_CHARS / 4);
      expect(text).toContain('left out');
    }
  });

  it('honours max_num_results (5 by default for gpt-3.5-turbo) and score_threshold', async () => {
    const { assistant, thread } = await setUp({
      tools: [{ type: 'file_search', file_search: { max_num_results: 1 } }],
    });
    h.model.script(searchCall(['refund delivery vault days']), { text: 'Done.' });
    const run = await ran(thread.id, assistant.id);
    expect(searchCalls(await stepsOf(run.id, thread.id))[0]!.file_search.results).toHaveLength(1);

    await h.client.beta.assistants.update(assistant.id, {
      tools: [{ type: 'file_search', file_search: { ranking_options: { score_threshold: 1 } } }],
    });
    h.model.script(searchCall(['refund']), { text: 'Nothing.' });
    const strict = await ran(thread.id, assistant.id);
    expect(searchCalls(await stepsOf(strict.id, thread.id))[0]!.file_search).toMatchObject({
      ranking_options: { score_threshold: 1 },
      results: [],
    });
  });

  it('searches first, then asks for function outputs when the same answer called both', async () => {
    const { assistant, thread } = await setUp({ tools: [{ type: 'file_search' }, WEATHER_TOOL] });
    h.model.script(
      {
        toolCalls: [
          { name: 'file_search', arguments: { queries: ['shipping to Norway'] } },
          { name: 'get_weather', arguments: { location: 'Oslo' } },
        ],
      },
      { text: 'Express takes four days 【0:0†shipping.md】; Oslo is cold.' },
    );
    const waiting = await ran(thread.id, assistant.id);
    expect(waiting.status).toBe('requires_action');
    const calls = waiting.required_action!.submit_tool_outputs.tool_calls;
    expect(calls.map((call) => call.function.name)).toEqual(['get_weather']);
    const done = await h.client.beta.threads.runs.submitToolOutputsAndPoll(
      waiting.id,
      { thread_id: thread.id, tool_outputs: [{ tool_call_id: calls[0]!.id, output: '-3 °C' }] },
      poll,
    );
    expect(done.status).toBe('completed');
    expect(toolMessages(1).map((message) => message.content)).toEqual([
      expect.stringContaining('【0:0†shipping.md】'),
      '-3 °C',
    ]);
    const steps = await stepsOf(done.id, thread.id);
    expect(steps.map((step) => step.type)).toEqual(['tool_calls', 'tool_calls', 'message_creation']);
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: done.id })).data;
    expect(reply!.content[0]).toMatchObject({
      text: { annotations: [{ file_citation: { file_id: fileIdOf(shipping) } }] },
    });
  });

  it("searches a file attached to the thread's message, uploaded just before the run", async () => {
    const { assistant } = await setUp({ stores: [] });
    const file = await h.client.files.create({
      file: await toFile(Buffer.from('The ferry leaves the north pier at 7:15.'), 'ferry.txt'),
      purpose: 'assistants',
    });
    const thread = await h.client.beta.threads.create({
      messages: [
        {
          role: 'user',
          content: 'When does the ferry leave?',
          attachments: [{ file_id: file.id, tools: [{ type: 'file_search' }] }],
        },
      ],
    });
    h.model.script(searchCall(['ferry departure']), { text: 'At 7:15 【0:0†ferry.txt】.' });
    const run = await ran(thread.id, assistant.id);
    expect(run.status).toBe('completed');
    expect(toolMessages(1)[0]!.content).toContain('north pier');
    const [reply] = (await h.client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    expect(reply!.content[0]).toMatchObject({
      text: { annotations: [{ file_citation: { file_id: file.id } }] },
    });
  });

  it('forces the first search with tool_choice file_search, then lets the model answer', async () => {
    const { assistant, thread } = await setUp();
    h.model.script(searchCall(['refund']), { text: 'Thirty days.' });
    const run = await ran(thread.id, assistant.id, { tool_choice: { type: 'file_search' } });
    expect(run.status).toBe('completed');
    expect(h.model.requests[0]!.body.tool_choice).toEqual({
      type: 'function',
      function: { name: 'file_search' },
    });
    expect(h.model.requests[1]!.body.tool_choice).toBeUndefined();
  });
});

describe('model runs that search, streamed (SDK stream helpers)', () => {
  it('streams the file_search step and an annotation for the cited file', async () => {
    const { assistant, thread } = await setUp();
    h.model.script(searchCall(['refund']), { text: 'Thirty days 【0:0†refunds.md】.' });
    const stream = h.client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
    const events: string[] = [];
    const toolCalls: string[] = [];
    const annotations: unknown[] = [];
    stream.on('event', ({ event }) => events.push(event));
    stream.on('toolCallCreated', (call) => toolCalls.push(call.type));
    stream.on('textDelta', (delta) => annotations.push(...(delta.annotations ?? [])));
    const searchSteps: unknown[] = [];
    stream.on('runStepDone', (step) => {
      if (step.type === 'tool_calls') searchSteps.push(step.step_details);
    });
    const run = await stream.finalRun();
    expect(run.status).toBe('completed');
    expect(toolCalls).toEqual(['file_search']);
    // Without run create's include[], the streamed results carry no content.
    expect(searchSteps).toHaveLength(1);
    expect(JSON.stringify(searchSteps)).toContain(fileIdOf(refunds));
    expect(JSON.stringify(searchSteps)).not.toContain('Customers may return');
    expect(events.indexOf('thread.run.step.delta')).toBeLessThan(events.indexOf('thread.message.created'));
    expect(annotations).toEqual([
      expect.objectContaining({
        index: 0,
        type: 'file_citation',
        file_citation: { file_id: fileIdOf(refunds) },
      }),
    ]);
    const [message] = await stream.finalMessages();
    expect(message!.content[0]).toMatchObject({
      text: { annotations: [{ file_citation: { file_id: fileIdOf(refunds) } }] },
    });
  });
});

describe("a model run's vector stores", () => {
  const DAY = 86_400;
  const expireAfterADay = () =>
    h.client.vectorStores.update(storeIdOf('vs_policies'), {
      expires_after: { anchor: 'last_active_at', days: 1 },
    });

  it('are made active when the model searches them', async () => {
    const { assistant, thread } = await setUp();
    const before = await expireAfterADay();
    await h.advance(DAY / 2);
    h.model.script(searchCall(['refund']), { text: 'Thirty days.' });
    const run = await ran(thread.id, assistant.id);
    expect(run.status).toBe('completed');
    const after = await h.client.vectorStores.retrieve(storeIdOf('vs_policies'));
    expect(after.last_active_at).toBeGreaterThanOrEqual(before.last_active_at! + DAY / 2);
    expect(after.last_active_at).toBeLessThanOrEqual(run.completed_at!);
    expect(after.expires_at).toBe(after.last_active_at! + DAY);
  });

  it('fail the run when one has expired, instead of searching it', async () => {
    const { assistant, thread } = await setUp();
    await expireAfterADay();
    await h.advance(2 * DAY);
    h.model.script(searchCall(['refund']), { text: 'Thirty days.' });
    const run = await ran(thread.id, assistant.id);
    expect(run.status).toBe('failed');
    expect(run.last_error).toEqual({
      code: 'server_error',
      message: `Vector store '${storeIdOf('vs_policies')}' has expired: an expired vector store cannot be searched. Create a new vector store with the same files and attach it to the thread or the assistant.`,
    });
    expect(h.model.requests).toHaveLength(1);
  });

  it('find only files completed in their store', async () => {
    const { assistant, thread } = await setUp();
    const storeId = storeIdOf('vs_policies');
    // Chunks of a file the store does not hold (removed, say, a moment before its chunks went).
    await h.emulator.fileSearch.index({
      vectorStoreId: storeId,
      fileId: 'file-removed000000000000000',
      filename: 'leaked.md',
      bytes: new TextEncoder().encode('A refund: return any item within 30 days for a refund.'),
    });
    h.model.script(searchCall(['refund']), { text: 'Thirty days.' });
    const run = await ran(thread.id, assistant.id);
    const found = searchCalls(await stepsOf(run.id, thread.id)).flatMap((call) =>
      call.file_search.results!.map((result) => result.file_id),
    );
    expect(found).toContain(fileIdOf(refunds));
    expect(found).not.toContain('file-removed000000000000000');
  });
});
