import { queryOptions } from '@tanstack/react-query';
import type { ListResponse, Message } from '../../shared/openai-types';
import type { RunExecution } from '../../shared/runboard-types';
import { documentHidden } from '../lib/polling-policy';
import { apiFetch } from './api-fetch';
import { runKeys } from './run-keys';

/** Who executes a run and its model calls (emulator mode), and the run's own messages as they grow. */
export const executionKeys = {
  execution: (threadId: string, runId: string) => [...runKeys.thread(threadId), runId, 'execution'] as const,
  runMessages: (threadId: string, runId: string) => [...runKeys.thread(threadId), runId, 'messages'] as const,
};

export const executionQueries = {
  /** GET /api/emulator/runs/{run}/execution: polled while the run is active. */
  execution: (threadId: string, runId: string, active: boolean) =>
    queryOptions({
      queryKey: executionKeys.execution(threadId, runId),
      queryFn: ({ signal }) =>
        apiFetch<RunExecution>(`/api/emulator/runs/${encodeURIComponent(runId)}/execution`, { signal }),
      refetchInterval: () => (active && !documentHidden() ? 1_000 : false),
    }),
  /** The messages the run wrote, oldest first; polled fast while a model writes them. */
  runMessages: (threadId: string, runId: string, writing: boolean) =>
    queryOptions({
      queryKey: executionKeys.runMessages(threadId, runId),
      queryFn: async ({ signal }) => {
        const page = await apiFetch<ListResponse<Message>>(
          `/v1/threads/${encodeURIComponent(threadId)}/messages`,
          { query: { run_id: runId, limit: 20, order: 'asc' }, signal },
        );
        return page.data;
      },
      refetchInterval: () => (writing && !documentHidden() ? 300 : false),
    }),
};
