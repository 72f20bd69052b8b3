import type { APIRequestContext } from '@playwright/test';
import { expect } from '@playwright/test';
import type { Assistant, AssistantTool, CreateRunRequest, Run, Thread } from '../../src/shared/openai-types';
import { apiRequest } from './api-request';

/** The Act journeys build their own assistants, threads and runs through the API, as a user's code would. */
export function actApi(request: APIRequestContext) {
  const { post, get } = apiRequest(request);
  const runPath = (run: Pick<Run, 'thread_id' | 'id'>) => `/v1/threads/${run.thread_id}/runs/${run.id}`;

  const api = {
    createAssistant: (name: string, tools: AssistantTool[] = []) =>
      post<Assistant>('/v1/assistants', { model: 'gpt-4o', name, tools }),
    createThread: () => post<Thread>('/v1/threads', {}),
    createRun: (threadId: string, body: CreateRunRequest) => post<Run>(`/v1/threads/${threadId}/runs`, body),
    getRun: (run: Pick<Run, 'thread_id' | 'id'>) => get<Run>(runPath(run)),
    cancelRun: (run: Pick<Run, 'thread_id' | 'id'>) => post<Run>(`${runPath(run)}/cancel`, {}),
    submitToolOutputs: (run: Run, output: string) =>
      post<Run>(`${runPath(run)}/submit_tool_outputs`, {
        tool_outputs: run.required_action!.submit_tool_outputs.tool_calls.map((call) => ({
          tool_call_id: call.id,
          output,
        })),
      }),
    /** Polls the API (not the page) until the run is in `status`; returns it. */
    async waitForStatus(run: Pick<Run, 'thread_id' | 'id'>, status: Run['status']): Promise<Run> {
      let latest = await api.getRun(run);
      await expect
        .poll(async () => (latest = await api.getRun(run)).status, { timeout: 15_000 })
        .toBe(status);
      return latest;
    },
    /** A run waiting for tool outputs (an assistant named `assistantName` with the weather tool, a new thread). */
    async waitingRun(assistantName: string): Promise<Run> {
      const assistant = await api.createAssistant(assistantName, [weatherTool]);
      const thread = await api.createThread();
      return api.waitForStatus(
        await api.createRun(thread.id, { assistant_id: assistant.id }),
        'requires_action',
      );
    },
  };
  return api;
}

export const weatherTool: AssistantTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

export const orderTool: AssistantTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Find an order by its number',
    parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
  },
};
