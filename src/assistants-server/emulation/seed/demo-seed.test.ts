import { afterEach, describe, expect, it } from 'vitest';
import { RUN_STATUSES, type ListResponse, type Run, type Thread } from '../../../shared/openai-types';
import { createHarness, type Harness } from '../../test-support/emulator-harness';

let harness: Harness;
afterEach(() => harness.close());

async function allRuns(h: Harness): Promise<Run[]> {
  const threads = (await (await h.app.request('/v1/threads')).json()) as ListResponse<Thread>;
  const runs: Run[] = [];
  for (const thread of threads.data) {
    for await (const run of h.client.beta.threads.runs.list(thread.id)) runs.push(run as Run);
  }
  return runs;
}

describe('the demo seed', () => {
  it('has assistants with and without function tools, customer threads with history, runs in every status', async () => {
    harness = await createHarness({ seedDemo: true });
    const assistants = await harness.client.beta.assistants.list();
    const names = assistants.data.map((assistant) => assistant.name);
    expect(names).toEqual(expect.arrayContaining(['Support Copilot', 'Release Notes Writer']));
    const support = assistants.data.find((assistant) => assistant.name === 'Support Copilot')!;
    expect(support.tools.map((tool) => (tool.type === 'function' ? tool.function.name : tool.type))).toEqual([
      'get_weather',
      'lookup_order',
    ]);

    const threads = (await (await harness.app.request('/v1/threads')).json()) as ListResponse<Thread>;
    expect(threads.data.length).toBeGreaterThanOrEqual(3);
    expect(threads.data.map((thread) => thread.metadata.customer)).toEqual(
      expect.arrayContaining(['acme', 'globex', 'initech']),
    );
    const messages = await harness.client.beta.threads.messages.list(threads.data[0]!.id);
    expect(messages.data.length).toBeGreaterThan(1);

    const runs = await allRuns(harness);
    expect(new Set(runs.map((run) => run.status))).toEqual(new Set(RUN_STATUSES));
  });

  it('has a run waiting for tool outputs with most of its ten minutes left', async () => {
    harness = await createHarness({ seedDemo: true });
    const clock = (await (await harness.admin('/clock')).json()) as { now: number };
    const waiting = (await allRuns(harness)).filter((run) => run.status === 'requires_action');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.required_action!.submit_tool_outputs.tool_calls.length).toBeGreaterThan(0);
    expect(waiting[0]!.expires_at! - clock.now).toBeGreaterThan(590);
  });

  it('is not seeded again into a database that has data, nor when seeding is off', async () => {
    harness = await createHarness({ seedDemo: false });
    expect((await harness.client.beta.assistants.list()).data).toEqual([]);
  });
});
