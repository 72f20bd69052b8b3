import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { uploadText } from './test-support/upload-text';

let harness: Harness;
beforeAll(async () => (harness = await createHarness()));
afterAll(() => harness.close());

const upload = (text: string, filename: string) => uploadText(harness.client, text, filename);

const vectorStoreIdsOf = (toolResources: unknown) =>
  (toolResources as { file_search?: { vector_store_ids?: string[] } } | null)?.file_search
    ?.vector_store_ids ?? [];

describe('message attachments', () => {
  it("put file_search files into the thread's vector store, created with a 7-day expiry when it has none", async () => {
    const thread = await harness.client.beta.threads.create({});
    const first = await upload('The ferry leaves the north pier at 7:15.', 'ferry.txt');
    const message = await harness.client.beta.threads.messages.create(thread.id, {
      role: 'user',
      content: 'When does the ferry leave?',
      attachments: [{ file_id: first, tools: [{ type: 'file_search' }] }],
    });
    expect(message.attachments).toEqual([{ file_id: first, tools: [{ type: 'file_search' }] }]);

    const withStore = await harness.client.beta.threads.retrieve(thread.id);
    const [storeId] = vectorStoreIdsOf(withStore.tool_resources);
    expect(storeId).toMatch(/^vs_/);
    const vectorStore = await harness.client.vectorStores.retrieve(storeId!);
    expect(vectorStore.expires_after).toEqual({ anchor: 'last_active_at', days: 7 });
    await harness.emulator.vectorStoreFiles.whenIdle();
    const hits = await harness.client.vectorStores.search(storeId!, { query: 'ferry pier' });
    expect(hits.data.map((hit) => hit.file_id)).toEqual([first]);

    // A second message's file joins the same store; a code_interpreter file is listed for that tool.
    const second = await upload('The bus meets the ferry.', 'bus.txt');
    const table = await upload('a,b\n1,2', 'table.csv');
    await harness.client.beta.threads.messages.create(thread.id, {
      role: 'user',
      content: 'And the bus?',
      attachments: [
        { file_id: second, tools: [{ type: 'file_search' }] },
        { file_id: table, tools: [{ type: 'code_interpreter' }] },
      ],
    });
    const after = await harness.client.beta.threads.retrieve(thread.id);
    expect(vectorStoreIdsOf(after.tool_resources)).toEqual([storeId]);
    expect(after.tool_resources?.code_interpreter?.file_ids).toEqual([table]);
    await harness.emulator.vectorStoreFiles.whenIdle();
    expect((await harness.client.vectorStores.retrieve(storeId!)).file_counts).toMatchObject({
      completed: 2,
      total: 2,
    });
  });

  it('on a thread created with messages, and refused (nothing kept) for an unknown or unsupported file', async () => {
    const file = await upload('Gate B closes at noon.', 'gates.md');
    const thread = await harness.client.beta.threads.create({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'user',
          content: 'gates?',
          attachments: [{ file_id: file, tools: [{ type: 'file_search' }] }],
        },
      ],
    });
    const [storeId] = vectorStoreIdsOf(thread.tool_resources);
    expect(storeId).toMatch(/^vs_/);
    const files = await harness.client.vectorStores.files.list(storeId!);
    expect(files.data.map((item) => item.id)).toEqual([file]);

    const image = await upload('not really a png', 'photo.png');
    const refused = await harness.app.request('/v1/threads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [
          { role: 'user', content: 'x', attachments: [{ file_id: image, tools: [{ type: 'file_search' }] }] },
        ],
      }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorResponse).error).toMatchObject({
      param: 'messages[0].attachments[0].file_id',
      code: 'unsupported_file',
    });
    const missing = await harness.app.request(`/v1/threads/${thread.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        role: 'user',
        content: 'x',
        attachments: [{ file_id: 'file-nothere', tools: [{ type: 'file_search' }] }],
      }),
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorResponse).error.message).toBe(
      "No file found with id 'file-nothere'.",
    );
    const messages = await harness.client.beta.threads.messages.list(thread.id);
    expect(messages.data).toHaveLength(2);
  });
});

describe('code_interpreter', () => {
  it("refuses a run whose tools (the assistant's or its own) include code_interpreter, and runs it without", async () => {
    const assistant = await harness.client.beta.assistants.create({
      model: 'gpt-4o',
      tools: [{ type: 'code_interpreter' }, { type: 'file_search' }],
    });
    const thread = await harness.client.beta.threads.create({
      messages: [{ role: 'user', content: 'plot it' }],
    });
    const refused = await harness.app.request(`/v1/threads/${thread.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assistant_id: assistant.id }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorResponse).error).toEqual({
      message: `The assistant ${assistant.id} has the code_interpreter tool, which this server does not support (Runboard executes no code). Create the run with 'tools' that leave it out, or remove it from the assistant's tools.`,
      type: 'invalid_request_error',
      param: 'tools',
      code: 'unsupported_tool',
    });
    await expect(
      harness.client.beta.threads.runs.create(thread.id, {
        assistant_id: assistant.id,
        tools: [{ type: 'file_search' }, { type: 'code_interpreter' }],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'tools[1]', code: 'unsupported_tool' });
    await expect(
      harness.client.beta.threads.createAndRun({ assistant_id: assistant.id, thread: { messages: [] } }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported_tool' });
    const run = await harness.client.beta.threads.runs.create(thread.id, {
      assistant_id: assistant.id,
      tools: [{ type: 'file_search' }],
    });
    expect(run.status).toBe('queued');
  });
});

describe("tool_resources.file_search.vector_stores (OpenAI's helper)", () => {
  it('makes a store with the files on an assistant and on a thread, and keeps its id instead', async () => {
    const file = await upload('Invoices are due within 30 days.', 'terms.md');
    const assistant = await harness.client.beta.assistants.create({
      model: 'gpt-4o',
      tools: [{ type: 'file_search' }],
      tool_resources: {
        file_search: {
          vector_stores: [
            {
              file_ids: [file],
              chunking_strategy: {
                type: 'static',
                static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 100 },
              },
              metadata: { source: 'helper' },
            },
          ],
        },
      },
    });
    expect(assistant.tool_resources).toEqual({
      file_search: { vector_store_ids: [expect.stringMatching(/^vs_/) as string] },
    });
    const [storeId] = vectorStoreIdsOf(assistant.tool_resources);
    expect((await harness.client.vectorStores.retrieve(storeId!)).metadata).toEqual({ source: 'helper' });
    await harness.emulator.vectorStoreFiles.whenIdle();
    const stored = await harness.client.vectorStores.files.retrieve(file, { vector_store_id: storeId! });
    expect(stored).toMatchObject({
      status: 'completed',
      chunking_strategy: { static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 100 } },
    });

    const thread = await harness.client.beta.threads.create({
      tool_resources: { file_search: { vector_stores: [{ file_ids: [file] }] } },
    });
    expect(vectorStoreIdsOf(thread.tool_resources)).toHaveLength(1);
    expect(vectorStoreIdsOf(thread.tool_resources)[0]).not.toBe(storeId);
  });

  it('refuses both ids and a helper, and a missing file, keeping nothing', async () => {
    const before = await harness.client.vectorStores.list({ limit: 100 });
    const both = await harness.app.request('/v1/assistants', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        tool_resources: { file_search: { vector_store_ids: ['vs_abc'], vector_stores: [{ file_ids: [] }] } },
      }),
    });
    expect(both.status).toBe(400);
    expect(((await both.json()) as ErrorResponse).error.param).toBe('tool_resources.file_search');
    const missing = await harness.app.request('/v1/threads/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        assistant_id: 'asst_none',
        thread: { tool_resources: { file_search: { vector_stores: [{ file_ids: ['file-gone'] }] } } },
      }),
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorResponse).error.message).toBe(
      "No file found with id 'file-gone'.",
    );
    const after = await harness.client.vectorStores.list({ limit: 100 });
    expect(after.data.map((store) => store.id)).toEqual(before.data.map((store) => store.id));
  });
});
