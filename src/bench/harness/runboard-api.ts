import { V1_HEADERS } from './v1-headers';
import type {
  Assistant,
  CreateAssistantRequest,
  CreateRunRequest,
  ListResponse,
  Run,
  Thread,
} from '../../shared/openai-types';
import type { RunCounts, RunsPage } from '../../shared/runs-query-types';

/**
 * The few calls the bench makes to set up its scenarios, against a running server (the real HTTP API, as the SDK or
 * the dashboard would call it). Any non-2xx answer throws with the server's message.
 */
export class RunboardApi {
  constructor(readonly baseUrl: string) {}

  createAssistant(request: CreateAssistantRequest): Promise<Assistant> {
    return this.call<Assistant>('POST', '/v1/assistants', request);
  }

  createThread(metadata: Record<string, string> = {}): Promise<Thread> {
    return this.call<Thread>('POST', '/v1/threads', { metadata });
  }

  createRun(threadId: string, request: CreateRunRequest): Promise<Run> {
    return this.call<Run>('POST', `/v1/threads/${threadId}/runs`, request);
  }

  getRun(threadId: string, runId: string): Promise<Run> {
    return this.call<Run>('GET', `/v1/threads/${threadId}/runs/${runId}`);
  }

  cancelRun(threadId: string, runId: string): Promise<Run> {
    return this.call<Run>('POST', `/v1/threads/${threadId}/runs/${runId}/cancel`);
  }

  listRuns(threadId: string, query: { limit?: number; after?: string } = {}): Promise<ListResponse<Run>> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 100), order: 'desc' });
    if (query.after) params.set('after', query.after);
    return this.call<ListResponse<Run>>('GET', `/v1/threads/${threadId}/runs?${params}`);
  }

  /** Every run of a thread, page by page (what a naive client that shows "all runs" fetches). */
  async listAllRuns(threadId: string): Promise<Run[]> {
    const runs: Run[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.listRuns(threadId, { limit: 100, after });
      runs.push(...page.data);
      if (!page.has_more || !page.last_id) return runs;
      after = page.last_id;
    }
  }

  /**
   * The emulator's bulk seed: `count` ended runs in mixed statuses, in a new thread unless one is given, or spread
   * round-robin over `threadCount` new threads.
   */
  seedRuns(
    count: number,
    threadId?: string,
    threadCount?: number,
  ): Promise<{ thread_id: string; thread_ids?: string[]; count: number }> {
    return this.call('POST', '/api/emulator/seed', {
      count,
      ...(threadId ? { thread_id: threadId } : {}),
      ...(threadCount ? { thread_count: threadCount } : {}),
    });
  }

  /** Runboard's query API (GET /api/runs), as the dashboard asks it. */
  queryRuns(params: Record<string, string>): Promise<RunsPage> {
    return this.call<RunsPage>('GET', `/api/runs?${new URLSearchParams(params)}`);
  }

  countRuns(params: Record<string, string>): Promise<RunCounts> {
    return this.call<RunCounts>('GET', `/api/runs/counts?${new URLSearchParams(params)}`);
  }

  /** Polls a run until `accept` says yes (bounded), returning it. */
  async waitForRun(
    threadId: string,
    runId: string,
    accept: (run: Run) => boolean,
    timeoutMs = 10_000,
  ): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.getRun(threadId, runId);
      if (accept(run)) return run;
      if (Date.now() > deadline) throw new Error(`Run ${runId} stayed '${run.status}' for ${timeoutMs} ms.`);
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body).catch((error: unknown) => {
      // A pooled keep-alive socket the server closed while this process was busy (the in-process emulator blocks
      // the event loop for seconds): the request never left, so sending it again on a new socket is safe.
      if (!isStaleSocket(error)) throw error;
      return this.send(method, path, body);
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  private send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: V1_HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

function isStaleSocket(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}
