import type {
  CreateRunRequest,
  Metadata,
  ModifyRunRequest,
  Run,
  SubmitToolOutputsRequest,
  ToolOutput,
} from '../../shared/openai-types';
import { apiFetch } from './api-fetch';

const runsPath = (threadId: string) => `/v1/threads/${encodeURIComponent(threadId)}/runs`;
const runPath = (threadId: string, runId: string) => `${runsPath(threadId)}/${encodeURIComponent(runId)}`;

/** POST …/runs/{run_id}/cancel: answers the run in `cancelling`. */
export function cancelRun(threadId: string, runId: string): Promise<Run> {
  return apiFetch<Run>(`${runPath(threadId, runId)}/cancel`, { method: 'POST' });
}

/** POST …/runs/{run_id}/submit_tool_outputs: every call's output in one request. */
export function submitToolOutputs(threadId: string, runId: string, toolOutputs: ToolOutput[]): Promise<Run> {
  const body: SubmitToolOutputsRequest = { tool_outputs: toolOutputs };
  return apiFetch<Run>(`${runPath(threadId, runId)}/submit_tool_outputs`, { method: 'POST', body });
}

/** POST …/runs/{run_id} {metadata}: replaces the whole metadata object. */
export function replaceRunMetadata(threadId: string, runId: string, metadata: Metadata): Promise<Run> {
  const body: ModifyRunRequest = { metadata };
  return apiFetch<Run>(runPath(threadId, runId), { method: 'POST', body });
}

/** POST …/threads/{thread_id}/runs. */
export function createRun(threadId: string, request: CreateRunRequest): Promise<Run> {
  return apiFetch<Run>(runsPath(threadId), { method: 'POST', body: request });
}
