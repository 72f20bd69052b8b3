import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { RUN_STATUSES, type ErrorResponse, type ListResponse, type Run } from '../shared/openai-types';
import { createHarness, WEATHER_TOOL, type Harness } from './test-support/emulator-harness';
import { loadContract, SPEC_AVAILABLE, type Contract } from './test-support/openapi-contract';

/** Every kind of answer the emulator gives, checked against OpenAI's published schemas. */
let contract: Contract;
let harness: Harness;

async function getJson<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await harness.app.request(path, init);
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * The spec types first_id/last_id as strings; for an empty list OpenAI answered null (as the emulator does, see
 * README "Known differences"), so empty lists are checked for that exact shape instead.
 */
function assertList(schemaName: string, body: ListResponse<unknown>) {
  if (body.data.length === 0) {
    expect(body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  } else {
    contract.assertMatches(schemaName, body);
  }
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe.skipIf(!SPEC_AVAILABLE)('the contract: answers match openai-openapi.yaml', () => {
  beforeAll(async () => {
    contract = loadContract();
    harness = await createHarness({ seedDemo: true });
  }, 60_000); // parsing the 3 MB spec takes seconds on a busy machine
  afterAll(() => harness.close());

  it('the validator itself rejects a run that breaks the schema', () => {
    expect(() =>
      contract.assertMatches('RunObject', { id: 'run_x', object: 'thread.run', status: 'finished' }),
    ).toThrow(/RunObject mismatch/);
  });

  it('runs in every status, and the run lists (ListRunsResponse)', async () => {
    const threads = await getJson<ListResponse<{ id: string }>>('/v1/threads');
    const seen = new Set<string>();
    for (const thread of threads.body.data) {
      const list = await getJson<ListResponse<Run>>(`/v1/threads/${thread.id}/runs?limit=100`);
      assertList('ListRunsResponse', list.body);
      for (const run of list.body.data) {
        seen.add(run.status);
        const single = await getJson<Run>(`/v1/threads/${thread.id}/runs/${run.id}`);
        contract.assertMatches('RunObject', single.body);
      }
    }
    // cancelled, expired, queued, in_progress, requires_action, cancelling, failed, completed, incomplete
    expect([...seen].sort()).toEqual([...RUN_STATUSES].sort());
  });

  it('assistants, threads, messages and run steps, single and listed', async () => {
    const assistants = await getJson<ListResponse<{ id: string }>>('/v1/assistants');
    contract.assertMatches('ListAssistantsResponse', assistants.body);
    const assistant = await getJson(`/v1/assistants/${assistants.body.data[0]!.id}`);
    contract.assertMatches('AssistantObject', assistant.body);
    const created = await getJson('/v1/assistants', post({ model: 'gpt-4o', tools: [WEATHER_TOOL] }));
    contract.assertMatches('AssistantObject', created.body);

    const threads = await getJson<ListResponse<{ id: string }>>('/v1/threads');
    for (const thread of threads.body.data) contract.assertMatches('ThreadObject', thread);
    const thread = await getJson(`/v1/threads/${threads.body.data[0]!.id}`);
    contract.assertMatches('ThreadObject', thread.body);

    for (const { id: threadId } of threads.body.data) {
      const messages = await getJson<ListResponse<{ id: string }>>(
        `/v1/threads/${threadId}/messages?limit=100`,
      );
      assertList('ListMessagesResponse', messages.body);
      const message = await getJson(`/v1/threads/${threadId}/messages/${messages.body.data[0]!.id}`);
      contract.assertMatches('MessageObject', message.body);
      const runs = await getJson<ListResponse<Run>>(`/v1/threads/${threadId}/runs?limit=100`);
      for (const run of runs.body.data) {
        const steps = await getJson<ListResponse<{ id: string }>>(
          `/v1/threads/${threadId}/runs/${run.id}/steps`,
        );
        assertList('ListRunStepsResponse', steps.body);
        for (const step of steps.body.data) {
          const single = await getJson(`/v1/threads/${threadId}/runs/${run.id}/steps/${step.id}`);
          contract.assertMatches('RunStepObject', single.body);
        }
      }
    }
  });

  it('the answers of create, modify, cancel and submit', async () => {
    const assistant = await getJson<{ id: string }>(
      '/v1/assistants',
      post({ model: 'gpt-4o', tools: [WEATHER_TOOL] }),
    );
    const thread = await getJson<{ id: string }>(
      '/v1/threads',
      post({ messages: [{ role: 'user', content: 'Hi' }] }),
    );
    contract.assertMatches('ThreadObject', thread.body);
    const message = await getJson(
      `/v1/threads/${thread.body.id}/messages`,
      post({ role: 'user', content: 'More' }),
    );
    contract.assertMatches('MessageObject', message.body);
    const runs = `/v1/threads/${thread.body.id}/runs`;
    const run = await getJson<Run>(runs, post({ assistant_id: assistant.body.id, metadata: { a: 'b' } }));
    contract.assertMatches('RunObject', run.body);
    contract.assertMatches(
      'RunObject',
      (await getJson(`${runs}/${run.body.id}`, post({ metadata: { c: 'd' } }))).body,
    );
    await harness.advance(2);
    const waiting = await getJson<Run>(`${runs}/${run.body.id}`);
    expect(waiting.body.status).toBe('requires_action');
    contract.assertMatches('RunObject', waiting.body);
    const calls = waiting.body.required_action!.submit_tool_outputs.tool_calls;
    const submitted = await getJson(
      `${runs}/${run.body.id}/submit_tool_outputs`,
      post({ tool_outputs: calls.map((call) => ({ tool_call_id: call.id, output: 'sunny' })) }),
    );
    contract.assertMatches('RunObject', submitted.body);
    const cancelled = await getJson(`${runs}/${run.body.id}/cancel`, { method: 'POST' });
    contract.assertMatches('RunObject', cancelled.body);
  });

  it('the answers of modify and delete on assistants, threads and messages', async () => {
    const assistant = await getJson<{ id: string }>('/v1/assistants', post({ model: 'gpt-4o' }));
    const modifiedAssistant = await getJson(
      `/v1/assistants/${assistant.body.id}`,
      post({ name: 'Renamed', tools: [WEATHER_TOOL], metadata: { a: 'b' }, response_format: 'auto' }),
    );
    contract.assertMatches('AssistantObject', modifiedAssistant.body);
    const thread = await getJson<{ id: string }>(
      '/v1/threads',
      post({ messages: [{ role: 'user', content: 'Hi' }] }),
    );
    const modifiedThread = await getJson(
      `/v1/threads/${thread.body.id}`,
      post({ metadata: { a: 'b' }, tool_resources: { code_interpreter: { file_ids: [] } } }),
    );
    contract.assertMatches('ThreadObject', modifiedThread.body);
    const messages = await getJson<ListResponse<{ id: string }>>(`/v1/threads/${thread.body.id}/messages`);
    const messagePath = `/v1/threads/${thread.body.id}/messages/${messages.body.data[0]!.id}`;
    contract.assertMatches(
      'MessageObject',
      (await getJson(messagePath, post({ metadata: { a: 'b' } }))).body,
    );

    const deletedMessage = await getJson(messagePath, { method: 'DELETE' });
    contract.assertMatches('DeleteMessageResponse', deletedMessage.body);
    const deletedThread = await getJson(`/v1/threads/${thread.body.id}`, { method: 'DELETE' });
    contract.assertMatches('DeleteThreadResponse', deletedThread.body);
    const deletedAssistant = await getJson(`/v1/assistants/${assistant.body.id}`, { method: 'DELETE' });
    contract.assertMatches('DeleteAssistantResponse', deletedAssistant.body);
    for (const answer of [deletedMessage, deletedThread, deletedAssistant]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ deleted: true });
    }
    expect(() =>
      contract.assertMatches('DeleteThreadResponse', { id: 'thread_x', object: 'thread', deleted: true }),
    ).toThrow(/DeleteThreadResponse mismatch/);
  });

  it('files: OpenAIFile, ListFilesResponse, DeleteFileResponse', async () => {
    const form = new FormData();
    form.set('file', new Blob(['# Notes\n']), 'notes.md');
    form.set('purpose', 'assistants');
    const created = await getJson<{ id: string }>('/v1/files', { method: 'POST', body: form });
    expect(created.status).toBe(200);
    contract.assertMatches('OpenAIFile', created.body);
    contract.assertMatches('OpenAIFile', (await getJson(`/v1/files/${created.body.id}`)).body);
    const list = await getJson<ListResponse<unknown>>('/v1/files?purpose=assistants');
    expect(list.body.data).toHaveLength(1);
    assertList('ListFilesResponse', list.body);
    const deleted = await getJson(`/v1/files/${created.body.id}`, { method: 'DELETE' });
    contract.assertMatches('DeleteFileResponse', deleted.body);
    const refused = await getJson<ErrorResponse>(`/v1/files/${created.body.id}`);
    expect(refused.status).toBe(404);
    contract.assertMatches('ErrorResponse', refused.body);
  });

  it('errors (ErrorResponse): 400, 401, 404', async () => {
    const answers = [
      await getJson<ErrorResponse>('/v1/threads/nope/runs'),
      await getJson<ErrorResponse>('/v1/threads/thread_missing/runs'),
      await getJson<ErrorResponse>('/v1/assistants?limit=500'),
      await getJson<ErrorResponse>('/v1/assistants', post({ model: 1 })),
      await getJson<ErrorResponse>('/v1/nothing-here'),
    ];
    const keyed = await createHarness({ apiKey: 'sk-secret-value-9999' });
    answers.push({
      status: 401,
      body: (await (await keyed.app.request('/v1/assistants')).json()) as ErrorResponse,
    });
    await keyed.close();
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      contract.assertMatches('ErrorResponse', answer.body);
      expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    }
  });
});
