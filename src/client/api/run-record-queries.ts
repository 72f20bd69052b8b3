import { queryOptions } from '@tanstack/react-query';
import type { AuditListResponse } from '../../shared/audit-types';
import type { ListResponse, Message, RunStep } from '../../shared/openai-types';
import { FILE_SEARCH_RESULT_CONTENT } from '../../shared/run-step-includes';
import { documentHidden } from '../lib/polling-policy';
import { apiFetch } from './api-fetch';
import { runKeys } from './run-keys';

/**
 * What the detail panel shows around one run: its steps, its thread's messages and its audit trail. Keyed under
 * `runKeys.thread(threadId)`, so `storeRun` after an action refreshes them too.
 */
export const runRecordKeys = {
  steps: (threadId: string, runId: string) => [...runKeys.thread(threadId), runId, 'steps'] as const,
  messages: (threadId: string) => [...runKeys.thread(threadId), 'messages'] as const,
  audit: (threadId: string, runId: string) => [...runKeys.thread(threadId), runId, 'audit'] as const,
};

const threadPath = (threadId: string) => `/v1/threads/${encodeURIComponent(threadId)}`;

export const runRecordQueries = {
  /**
   * GET /v1/threads/{thread}/runs/{run}/steps, oldest first, with the text each file search found. Polled while the
   * run is active.
   */
  steps: (threadId: string, runId: string, active: boolean) =>
    queryOptions({
      queryKey: runRecordKeys.steps(threadId, runId),
      queryFn: ({ signal }) =>
        apiFetch<ListResponse<RunStep>>(`${threadPath(threadId)}/runs/${encodeURIComponent(runId)}/steps`, {
          query: { limit: 100, order: 'asc', 'include[]': FILE_SEARCH_RESULT_CONTENT },
          signal,
        }),
      refetchInterval: () => (active && !documentHidden() ? 2_000 : false),
    }),
  /** The thread's newest 100 messages, oldest first. */
  messages: (threadId: string, active: boolean) =>
    queryOptions({
      queryKey: runRecordKeys.messages(threadId),
      queryFn: async ({ signal }) => {
        const page = await apiFetch<ListResponse<Message>>(`${threadPath(threadId)}/messages`, {
          query: { limit: 100, order: 'desc' },
          signal,
        });
        return page.data.slice().reverse();
      },
      refetchInterval: () => (active && !documentHidden() ? 2_000 : false),
    }),
  /** Runboard's own record of the actions taken on the run (GET /api/audit). */
  audit: (threadId: string, runId: string) =>
    queryOptions({
      queryKey: runRecordKeys.audit(threadId, runId),
      queryFn: ({ signal }) =>
        apiFetch<AuditListResponse>('/api/audit', { query: { run_id: runId }, signal }),
      refetchInterval: () => (documentHidden() ? false : 10_000),
    }),
};
