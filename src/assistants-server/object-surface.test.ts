import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublishedEvent } from './events/lifecycle-events';
import { createHarness, WEATHER_TOOL, type Harness } from './test-support/emulator-harness';

/** Modify and delete of assistants, threads and messages, and run step `include[]`, through OpenAI's SDK. */
let harness: Harness;
let client: OpenAI;
let events: PublishedEvent[];

beforeEach(async () => {
  harness = await createHarness();
  client = harness.client;
  events = [];
  harness.emulator.events.subscribe((published) => events.push(published));
});
afterEach(() => harness.close());

/** What the seam published since the test's setup, as `object:change:id`. */
function published(since: number): string[] {
  return events
    .filter((published) => published.seq > since)
    .map(({ event }) => {
      if (event.object === 'resync') return `resync:${event.reason}`;
      const object =
        event.object === 'assistant'
          ? event.assistant
          : event.object === 'thread'
            ? event.thread
            : event.object === 'run'
              ? event.run
              : event.object === 'step'
                ? event.step
                : event.message;
      return `${event.object}:${event.change}:${object.id}`;
    });
}

const lastSeq = () => harness.emulator.events.lastSeq();

async function status(promise: Promise<unknown>): Promise<number | undefined> {
  return promise.then(
    () => 200,
    (error: unknown) => (error instanceof OpenAI.APIError ? error.status : undefined),
  );
}

describe('assistants: update and delete', () => {
  it('updates only the fields given, keeps the rest, and answers the assistant', async () => {
    const assistant = await client.beta.assistants.create({
      model: 'gpt-4o',
      name: 'Helper',
      instructions: 'Be brief.',
      tools: [WEATHER_TOOL],
      metadata: { team: 'support' },
    });
    const since = lastSeq();
    const updated = await client.beta.assistants.update(assistant.id, {
      name: 'HR Helper',
      model: 'gpt-4o-mini',
      tools: [{ type: 'file_search' }],
      temperature: 0.3,
    });
    expect(updated).toEqual({
      ...assistant,
      name: 'HR Helper',
      model: 'gpt-4o-mini',
      tools: [{ type: 'file_search' }],
      temperature: 0.3,
    });
    expect(await client.beta.assistants.retrieve(assistant.id)).toEqual(updated);
    expect(published(since)).toEqual([`assistant:updated:${assistant.id}`]);

    const metadataOnly = await client.beta.assistants.update(assistant.id, { metadata: { team: 'hr' } });
    expect(metadataOnly).toEqual({ ...updated, metadata: { team: 'hr' } });
  });

  it('new runs take the updated instructions and tools; runs already created keep theirs', async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o', instructions: 'Old.' });
    const thread = await client.beta.threads.create();
    const before = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await client.beta.assistants.update(assistant.id, { instructions: 'New.', tools: [WEATHER_TOOL] });
    expect((await client.beta.threads.runs.retrieve(before.id, { thread_id: thread.id })).instructions).toBe(
      'Old.',
    );
    await harness.advance(2);
    const after = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    expect(after).toMatchObject({ instructions: 'New.', tools: [WEATHER_TOOL] });
  });

  it('deletes: assistant.deleted, then 404 for it, its runs stay and an active one runs to its end', async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o', name: 'Gone soon' });
    const thread = await client.beta.threads.create();
    const ended = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const active = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    const since = lastSeq();

    expect(await client.beta.assistants.delete(assistant.id)).toEqual({
      id: assistant.id,
      object: 'assistant.deleted',
      deleted: true,
    });
    expect(published(since)).toEqual([`assistant:deleted:${assistant.id}`]);
    expect(await status(client.beta.assistants.retrieve(assistant.id))).toBe(404);
    expect((await client.beta.assistants.list()).data.map((each) => each.id)).not.toContain(assistant.id);

    const runs = await client.beta.threads.runs.list(thread.id, { order: 'asc' });
    expect(runs.data.map((run) => [run.id, run.assistant_id])).toEqual([
      [ended.id, assistant.id],
      [active.id, assistant.id],
    ]);
    await harness.advance(2);
    const finished = await client.beta.threads.runs.retrieve(active.id, { thread_id: thread.id });
    expect(finished.status).toBe('completed');
    const messages = await client.beta.threads.messages.list(thread.id, { run_id: active.id });
    expect(messages.data).toHaveLength(1);
    expect(messages.data[0]).toMatchObject({ role: 'assistant', assistant_id: assistant.id });
  });
});

describe('threads: update and delete', () => {
  it('replaces the metadata and the tool resources, even while a run is active', async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await client.beta.threads.create({ metadata: { customer: 'acme', tier: 'gold' } });
    await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    const since = lastSeq();
    const updated = await client.beta.threads.update(thread.id, {
      metadata: { modified: 'true', user: 'abc123' },
    });
    expect(updated).toEqual({ ...thread, metadata: { modified: 'true', user: 'abc123' } });
    expect(published(since)).toEqual([`thread:updated:${thread.id}`]);

    const resources = { code_interpreter: { file_ids: ['file_1'] } };
    const withResources = await client.beta.threads.update(thread.id, { tool_resources: resources });
    expect(withResources).toEqual({ ...updated, tool_resources: resources });
    expect(await client.beta.threads.retrieve(thread.id)).toEqual(withResources);
  });

  it('deletes a thread with its messages, runs and steps, and publishes one event for all of them', async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Hi' }] });
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const [step] = (await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data;
    const [message] = (await client.beta.threads.messages.list(thread.id)).data;
    const other = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Stay' }] });
    const since = lastSeq();

    expect(await client.beta.threads.delete(thread.id)).toEqual({
      id: thread.id,
      object: 'thread.deleted',
      deleted: true,
    });
    expect(published(since)).toEqual([`thread:deleted:${thread.id}`]);
    const gone = (promise: Promise<unknown>) =>
      promise.then(
        () => 'found',
        (error: unknown) => (error as Error).message,
      );
    const notFound = `404 No thread found with id '${thread.id}'.`;
    expect(await gone(client.beta.threads.retrieve(thread.id))).toBe(notFound);
    expect(await gone(client.beta.threads.messages.list(thread.id))).toBe(notFound);
    expect(await gone(client.beta.threads.messages.retrieve(message!.id, { thread_id: thread.id }))).toBe(
      notFound,
    );
    expect(await gone(client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id }))).toBe(notFound);
    expect(
      await gone(client.beta.threads.runs.steps.retrieve(step!.id, { thread_id: thread.id, run_id: run.id })),
    ).toBe(notFound);
    expect(await gone(client.beta.threads.delete(thread.id))).toBe(notFound);
    expect((await client.beta.threads.messages.list(other.id)).data).toHaveLength(1);
    expect(await client.beta.assistants.retrieve(assistant.id)).toMatchObject({ id: assistant.id });
  });

  it('deletes a thread whose run is still active: the run goes with it and nothing of it moves on', async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o', tools: [WEATHER_TOOL] });
    const thread = await client.beta.threads.create();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    expect((await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe(
      'requires_action',
    );
    await client.beta.threads.delete(thread.id);
    const since = lastSeq();
    await harness.advance(700);
    expect(published(since)).toEqual([]);
    expect(await status(client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id }))).toBe(404);
  });
});

describe('messages: update and delete', () => {
  it('updates the metadata only, and answers the message', async () => {
    const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Hello' }] });
    const [message] = (await client.beta.threads.messages.list(thread.id)).data;
    const since = lastSeq();
    const updated = await client.beta.threads.messages.update(message!.id, {
      thread_id: thread.id,
      metadata: { modified: 'true' },
    });
    expect(updated).toEqual({ ...message, metadata: { modified: 'true' } });
    expect(await client.beta.threads.messages.retrieve(message!.id, { thread_id: thread.id })).toEqual(
      updated,
    );
    expect(published(since)).toEqual([`message:updated:${message!.id}`]);
  });

  it('deletes a message: gone from the list and from what the next run reads', async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await client.beta.threads.create({
      messages: [
        { role: 'user', content: 'Keep this' },
        {
          role: 'user',
          content: 'Drop this one, it is a long message that would count many tokens. '.repeat(40),
        },
      ],
    });
    const [dropped, kept] = (await client.beta.threads.messages.list(thread.id)).data;
    const since = lastSeq();
    expect(await client.beta.threads.messages.delete(dropped!.id, { thread_id: thread.id })).toEqual({
      id: dropped!.id,
      object: 'thread.message.deleted',
      deleted: true,
    });
    expect(published(since)).toEqual([`message:deleted:${dropped!.id}`]);
    expect((await client.beta.threads.messages.list(thread.id)).data.map((message) => message.id)).toEqual([
      kept!.id,
    ]);
    expect(await status(client.beta.threads.messages.retrieve(dropped!.id, { thread_id: thread.id }))).toBe(
      404,
    );

    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const done = await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
    // The deleted message's ~700 tokens are not in the prompt: only 'Keep this' is.
    expect(done.usage!.prompt_tokens).toBeLessThan(50);
  });

  it("deleting a run's reply leaves the run step that created it pointing at its id", async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
    const thread = await client.beta.threads.create();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const [reply] = (await client.beta.threads.messages.list(thread.id, { run_id: run.id })).data;
    await client.beta.threads.messages.delete(reply!.id, { thread_id: thread.id });
    const [step] = (await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id })).data;
    expect(step!.step_details).toEqual({
      type: 'message_creation',
      message_creation: { message_id: reply!.id },
    });
  });
});

describe('run steps: retrieve and include[]', () => {
  it('accepts the file search include on list and retrieve, and answers the same steps (no file search runs)', async () => {
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o', tools: [WEATHER_TOOL] });
    const thread = await client.beta.threads.create();
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
    await harness.advance(2);
    const include = ['step_details.tool_calls[*].file_search.results[*].content' as const];
    const plain = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
    const included = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id, include });
    expect(included.data).toEqual(plain.data);
    expect(plain.data).toHaveLength(1);
    const step = await client.beta.threads.runs.steps.retrieve(plain.data[0]!.id, {
      thread_id: thread.id,
      run_id: run.id,
      include,
    });
    expect(step).toEqual(plain.data[0]);
  });
});
