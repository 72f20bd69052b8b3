import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Run, Thread as ThreadObject } from '../../shared/openai-types';
import { startListeningEmulator, type ListeningEmulator } from '../../server/test-support/listening-emulator';

/**
 * Experts.js (npm `experts`) as its users drive it: an Assistant subclass, a non-LLM Tool, `ask`. It streams every
 * run with its own copy of the openai SDK (v4), built at import from OPENAI_BASE_URL / OPENAI_API_KEY, over HTTP.
 * Its ESM build does not import on Node 20 ("Dynamic require of stream"), so the CommonJS build is required.
 */
interface AssistantOptions {
  name?: string;
  instructions?: string;
  model?: string;
  llm?: boolean;
  metadata?: Record<string, string>;
  parentsTools?: unknown[];
}
interface ExpertsAssistant {
  id: string;
  ask(message: string, threadId: string): Promise<string>;
  addAssistantTool(tool: new () => ExpertsAssistant): void;
}
interface ExpertsModule {
  Assistant: { new (options: AssistantOptions): ExpertsAssistant };
  Tool: { new (options: AssistantOptions): ExpertsAssistant };
  Thread: { create(body?: unknown): Promise<{ id: string }> };
}

let server: ListeningEmulator;
let experts: ExpertsModule;
const savedEnv = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  // A running clock, twenty times faster: Experts waits on the stream, nobody advances time for it.
  server = await startListeningEmulator({ timeScale: 20 });
  process.env.OPENAI_BASE_URL = `${server.url}/v1`;
  process.env.OPENAI_API_KEY = 'sk-experts-test';
  experts = createRequire(import.meta.url)('experts') as ExpertsModule;
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.env.OPENAI_BASE_URL = savedEnv.base;
  process.env.OPENAI_API_KEY = savedEnv.key;
  if (savedEnv.base === undefined) delete process.env.OPENAI_BASE_URL;
  if (savedEnv.key === undefined) delete process.env.OPENAI_API_KEY;
  await server.close();
});

async function get<T>(path: string): Promise<T> {
  return (await (await fetch(`${server.url}/v1${path}`)).json()) as T;
}

function weatherAssistant() {
  const { Assistant, Tool } = experts;
  class ForecastTool extends Tool {
    constructor() {
      super({
        name: 'ForecastTool',
        llm: false,
        parentsTools: [
          {
            type: 'function',
            function: {
              name: 'forecast',
              description: 'The forecast for a city',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ],
      });
    }
    override async ask(): Promise<string> {
      return 'Porto: light rain, 14 °C';
    }
  }
  class WeatherAssistant extends Assistant {
    constructor() {
      super({ name: 'Weather Assistant', instructions: 'Answer with the forecast.', model: 'gpt-4o' });
      this.addAssistantTool(ForecastTool);
    }
  }
  return WeatherAssistant as unknown as { create(): Promise<ExpertsAssistant> };
}

describe('Experts.js against the emulator', () => {
  it('ask() streams a run that calls its tool, submits the output, and answers with the streamed text', async () => {
    const assistant = await weatherAssistant().create();
    // A thread that already names its assistant: Experts then has nothing to update on it.
    const thread = await experts.Thread.create({ metadata: { assistant: 'Weather Assistant' } });

    const output = await assistant.ask('Will it rain in Porto?', thread.id);

    expect(output).toContain('forecast returned: Porto: light rain, 14 °C');
    const runs = await get<{ data: Run[] }>(`/threads/${thread.id}/runs`);
    expect(runs.data.map((run) => run.status)).toEqual(['completed']);
    const messages = await get<{ data: Message[] }>(`/threads/${thread.id}/messages?order=asc`);
    expect(messages.data.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(messages.data[1]!.content[0]!.text.value).toBe(output);
    expect(unhandled).toEqual([]);
  });

  it('a plain Thread.create(): Experts also tags the thread with threads.update (not awaited)', async () => {
    const assistant = await weatherAssistant().create();
    const thread = await experts.Thread.create();
    const output = await assistant.ask('Will it rain in Porto?', thread.id);

    expect(output).toContain('Porto: light rain');
    const tagged = await get<ThreadObject>(`/threads/${thread.id}`);
    expect(tagged.metadata).toEqual({ assistant: 'Weather Assistant' });
    expect(unhandled).toEqual([]);
  });
});
