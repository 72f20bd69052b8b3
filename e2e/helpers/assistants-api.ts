import type { APIRequestContext } from '@playwright/test';
import { expect } from '@playwright/test';
import type {
  Assistant,
  AssistantTool,
  CreateAssistantRequest,
  CreateRunRequest,
  ListResponse,
  Run,
  Thread,
} from '../../src/shared/openai-types';
import { apiRequest } from './api-request';

/** A run as the API names it: its thread and its id (a `Run` is one). */
export type RunRef = Pick<Run, 'thread_id' | 'id'>;

const ENDED = /^(completed|failed|cancelled|expired|incomplete)$/;

/** Calls the real server's Assistants API the way a user's code would, so each journey builds its own data. */
export function assistantsApi(request: APIRequestContext) {
  const { post, get } = apiRequest(request);
  const runPath = (run: RunRef) => `/v1/threads/${run.thread_id}/runs/${run.id}`;

  const api = {
    createAssistant: (body: Partial<CreateAssistantRequest> = {}) =>
      post<Assistant>('/v1/assistants', { model: 'gpt-4o', name: 'E2E Assistant', ...body }),
    createThread: (metadata: Record<string, string> = {}) => post<Thread>('/v1/threads', { metadata }),
    createRun: (threadId: string, body: CreateRunRequest) => post<Run>(`/v1/threads/${threadId}/runs`, body),
    getRun: (run: RunRef) => get<Run>(runPath(run)),
    cancelRun: (run: RunRef) => post<Run>(`${runPath(run)}/cancel`, {}),
    modifyRun: (run: RunRef, metadata: Record<string, string>) => post<Run>(runPath(run), { metadata }),
    /** Answers every tool call the run waits for with the same `output`. */
    submitToolOutputs: (run: Run, output: string) =>
      post<Run>(`${runPath(run)}/submit_tool_outputs`, {
        tool_outputs: run.required_action!.submit_tool_outputs.tool_calls.map((call) => ({
          tool_call_id: call.id,
          output,
        })),
      }),
    /** Emulator admin: bulk-creates `count` ended runs in mixed statuses on the thread. */
    seedRuns: (threadId: string, count: number, assistantId?: string) =>
      post<unknown>('/api/emulator/seed', {
        thread_id: threadId,
        count,
        ...(assistantId ? { assistant_id: assistantId } : {}),
      }),
    /** Every run of the thread through OpenAI's list endpoint, page by page, newest first: the truth to compare with. */
    async listAllRuns(threadId: string): Promise<Run[]> {
      const runs: Run[] = [];
      let after = '';
      for (;;) {
        const page = await get<ListResponse<Run>>(
          `/v1/threads/${threadId}/runs?limit=100&order=desc${after ? `&after=${after}` : ''}`,
        );
        runs.push(...page.data);
        if (!page.has_more || !page.last_id) return runs;
        after = page.last_id;
      }
    },
    /** Polls the API (not the page) until the run's status matches; returns the run as it then is. */
    async waitForStatus(run: RunRef, status: Run['status'] | RegExp): Promise<Run> {
      let latest = await api.getRun(run);
      const poll = expect.poll(async () => (latest = await api.getRun(run)).status, { timeout: 15_000 });
      await (typeof status === 'string' ? poll.toBe(status) : poll.toMatch(status));
      return latest;
    },
    /** Waits until the run has ended, so the next run can start on the thread. */
    waitUntilEnded: (run: RunRef) => api.waitForStatus(run, ENDED),
    /** A run waiting for tool outputs (an assistant named `assistantName` with the weather tool, a new thread). */
    async waitingRun(assistantName: string): Promise<Run> {
      const assistant = await api.createAssistant({ name: assistantName, tools: [weatherTool] });
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

export const lookupOrderTool: AssistantTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Find an order by its number',
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'string' }, include_items: { type: 'boolean' } },
      required: ['order_id'],
    },
  },
};
