import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentExecutor } from '@langchain/classic/agents';
import { OpenAIAssistantRunnable } from '@langchain/classic/experimental/openai_assistant';
import { tool } from '@langchain/core/tools';
import { silentLogger } from '../../platform/logger';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../start-server';

/**
 * LangChain's `OpenAIAssistantRunnable` (from `@langchain/classic`, as its users install it), driven as its docs
 * drive it, against the emulator behind the real server on a free port: LangChain builds its own OpenAI client, so
 * only a real HTTP server will do. The runnable polls once a second (its own fixed interval).
 */
let server: RunningServer;
let clientOptions: { apiKey: string; baseURL: string };

beforeAll(async () => {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    RUNBOARD_DB: ':memory:',
    RUNBOARD_SEED: 'none',
    RUNBOARD_TIME_SCALE: '20',
    LOG_LEVEL: 'silent',
  });
  server = await startServer(config, silentLogger, { dashboardDir: null });
  clientOptions = { apiKey: 'sk-langchain-user', baseURL: `${server.url}/v1` };
});
afterAll(() => server.close());

const asked: string[] = [];
function currentWeather({ location }: { location: string }): string {
  asked.push(location);
  return `It is 21 degrees and sunny in ${location}.`;
}
const weatherTool = tool(currentWeather, {
  name: 'get_current_weather',
  description: 'The current weather at a place',
  schema: {
    type: 'object',
    properties: { location: { type: 'string', description: 'City and country' } },
    required: ['location'],
  },
});

describe("LangChain's OpenAIAssistantRunnable against the emulator", () => {
  it('by hand: creates an assistant with a function tool, gets the tool calls, submits outputs, gets the answer', async () => {
    const assistant = await OpenAIAssistantRunnable.createAssistant({
      model: 'gpt-4o',
      name: 'Weather assistant',
      instructions: 'You are a weather bot. Use the provided functions to answer questions.',
      tools: [weatherTool],
      asAgent: true,
      clientOptions,
    });
    expect(await assistant.getAssistant()).toMatchObject({
      id: assistant.assistantId,
      name: 'Weather assistant',
      tools: [{ type: 'function', function: { name: 'get_current_weather' } }],
    });

    const actions = await assistant.invoke({ content: "What's the weather in Paris?" });
    if (!Array.isArray(actions)) throw new Error(`expected tool calls, got ${JSON.stringify(actions)}`);
    expect(actions).toHaveLength(1);
    const [action] = actions;
    expect(action).toMatchObject({
      tool: 'get_current_weather',
      toolCallId: expect.stringMatching(/^call_/),
    });
    expect(typeof (action!.toolInput as { location: unknown }).location).toBe('string');

    const output = currentWeather(action!.toolInput as { location: string });
    const finish = await assistant.invoke({
      threadId: action!.threadId,
      runId: action!.runId,
      toolOutputs: [{ tool_call_id: action!.toolCallId, output }],
    });
    if (!('returnValues' in finish)) throw new Error(`expected an answer, got ${JSON.stringify(finish)}`);
    expect(finish.returnValues.output).toContain(output);
    expect(finish).toMatchObject({ runId: action!.runId, threadId: action!.threadId });

    expect(await assistant.modifyAssistant({ name: 'Renamed weather assistant' })).toMatchObject({
      name: 'Renamed weather assistant',
    });
    expect(await assistant.deleteAssistant()).toEqual({
      id: assistant.assistantId,
      object: 'assistant.deleted',
      deleted: true,
    });
  });

  it('as a plain runnable without tools: the reply messages, then a follow-up on the same thread', async () => {
    const assistant = await OpenAIAssistantRunnable.createAssistant({
      model: 'gpt-4o',
      instructions: 'You are a math tutor.',
      clientOptions,
    });
    const first = (await assistant.invoke({ content: 'What is 10 - 4?' })) as Array<{
      role: string;
      thread_id: string;
      content: Array<{ type: string; text: { value: string } }>;
    }>;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ role: 'assistant', content: [{ type: 'text' }] });
    expect(first[0]!.content[0]!.text.value.length).toBeGreaterThan(0);

    const threadId = first[0]!.thread_id;
    const second = (await assistant.invoke({ threadId, content: 'And 10 - 5?' })) as typeof first;
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ role: 'assistant', thread_id: threadId });
  });

  it('under AgentExecutor: the executor calls the tool and returns the final answer', async () => {
    asked.length = 0;
    const agent = await OpenAIAssistantRunnable.createAssistant({
      model: 'gpt-4o',
      instructions: 'You are a weather bot. Use the provided functions to answer questions.',
      name: 'Weather agent',
      tools: [weatherTool],
      asAgent: true,
      clientOptions,
    });
    const executor = AgentExecutor.fromAgentAndTools({ agent, tools: [weatherTool] });
    const result = await executor.invoke({ content: "What's the weather in San Francisco?" });
    expect(asked).toHaveLength(1);
    expect(result.output).toContain(`It is 21 degrees and sunny in ${asked[0]}.`);
  });
});
