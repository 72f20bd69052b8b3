import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { loadContract, SPEC_AVAILABLE, type Contract } from '../test-support/openapi-contract';
import { readSse } from '../test-support/sse-reader';
import { indexDocuments, POLICY_DOCUMENTS, storeIdOf } from './test-support/search-documents';

/**
 * A run that searched, as OpenAI's spec shapes it: the file_search step (RunStepObject, with and without the
 * results' content), the reply with file_citation annotations (MessageObject), and the streamed deltas
 * (RunStepDeltaObject, MessageDeltaObject).
 */
const CONTENT = 'step_details.tool_calls[*].file_search.results[*].content';

describe.skipIf(!SPEC_AVAILABLE)('runs that search match openai-openapi.yaml', () => {
  let contract: Contract;
  let h: Harness;
  let ids: { thread: string; run: string };

  beforeAll(async () => {
    contract = loadContract();
    h = await createHarness();
    const { refunds, shipping } = POLICY_DOCUMENTS;
    await indexDocuments(h, 'vs_contract', [refunds, shipping]);
    const assistant = await h.client.beta.assistants.create({
      model: 'gpt-4o',
      tools: [{ type: 'file_search' }],
      tool_resources: { file_search: { vector_store_ids: [storeIdOf('vs_contract')] } },
    });
    const thread = await h.client.beta.threads.create({
      messages: [{ role: 'user', content: 'refund within days' }],
    });
    const run = await h.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await h.advance(2);
    ids = { thread: thread.id, run: run.id };
  });
  afterAll(() => h?.close());

  const get = async (path: string) => (await h.app.request(`/v1/threads/${ids.thread}${path}`)).json();

  it('the file_search step, listed and retrieved, with and without include[]', async () => {
    for (const query of ['', `?include[]=${CONTENT}`]) {
      const list = (await get(`/runs/${ids.run}/steps${query}`)) as { data: Array<{ id: string }> };
      contract.assertMatches('ListRunStepsResponse', list);
      for (const step of list.data) {
        contract.assertMatches('RunStepObject', await get(`/runs/${ids.run}/steps/${step.id}${query}`));
      }
    }
  });

  it('the reply with its file_citation annotations', async () => {
    const messages = (await get(`/messages?run_id=${ids.run}`)) as {
      data: Array<{ content: Array<{ text: { annotations: unknown[] } }> }>;
    };
    expect(messages.data[0]!.content[0]!.text.annotations.length).toBeGreaterThan(0);
    contract.assertMatches('ListMessagesResponse', messages);
  });

  it('the streamed step and message deltas', async () => {
    const thread = await h.client.beta.threads.create({
      messages: [{ role: 'user', content: 'Express delivery to Norway' }],
    });
    const { data } = await h.client.beta.assistants.list();
    const response = await h.app.request(`/v1/threads/${thread.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assistant_id: data[0]!.id, stream: true }),
    });
    const stream = readSse(response);
    await h.advance(2);
    const frames = await stream.ended;
    const schemas: Record<string, string> = {
      'thread.run.step.delta': 'RunStepDeltaObject',
      'thread.message.delta': 'MessageDeltaObject',
      'thread.run.step.completed': 'RunStepObject',
      'thread.message.completed': 'MessageObject',
    };
    let checked = 0;
    for (const frame of frames) {
      const schema = schemas[frame.event ?? ''];
      if (!schema) continue;
      contract.assertMatches(schema, frame.data);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});
