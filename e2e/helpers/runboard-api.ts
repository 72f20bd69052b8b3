import type { APIRequestContext } from '@playwright/test';
import { expect } from '@playwright/test';
import type {
  Assistant,
  AssistantTool,
  CreateAssistantRequest,
  CreateRunRequest,
  Run,
  ListResponse,
  Thread,
} from '../../src/shared/openai-types';
import { apiRequest } from './api-request';

/** Calls the real server's Assistants API the way a user's code would, so each journey builds its own data. */
export function runboardApi(request: APIRequestContext) {
  const { post, get } = apiRequest(request);

  return {
    createAssistant: (body: Partial<CreateAssistantRequest> = {}) =>
      post<Assistant>('/v1/assistants', { model: 'gpt-4o', name: 'E2E Assistant', ...body }),
    createThread: (metadata: Record<string, string> = {}) => post<Thread>('/v1/threads', { metadata }),
    createRun: (threadId: string, body: CreateRunRequest) => post<Run>(`/v1/threads/${threadId}/runs`, body),
    getRun: (threadId: string, runId: string) => get<Run>(`/v1/threads/${threadId}/runs/${runId}`),
    cancelRun: (threadId: string, runId: string) =>
      post<Run>(`/v1/threads/${threadId}/runs/${runId}/cancel`, {}),
    modifyRun: (threadId: string, runId: string, metadata: Record<string, string>) =>
      post<Run>(`/v1/threads/${threadId}/runs/${runId}`, { metadata }),
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
    /** Waits (through the API, not the page) until the run has ended, so the next run can start on the thread. */
    async waitUntilEnded(threadId: string, runId: string): Promise<Run> {
      let run = await get<Run>(`/v1/threads/${threadId}/runs/${runId}`);
      await expect
        .poll(async () => (run = await get<Run>(`/v1/threads/${threadId}/runs/${runId}`)).status, {
          timeout: 15_000,
        })
        .toMatch(/^(completed|failed|cancelled|expired|incomplete)$/);
      return run;
    },
  };
}

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
