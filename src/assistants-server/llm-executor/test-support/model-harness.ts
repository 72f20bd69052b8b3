import type { RunExecution } from '../../../shared/runboard-types';
import { createLogger } from '../../../platform/logger';
import { createHarness, type Harness } from '../../test-support/emulator-harness';
import type { ModelLimits } from '../model-limits';
import type { ModelExecutorSettings } from '../model-settings';
import { startScriptedChatServer, type ScriptedChatServer } from './scripted-chat-server';

export const TEST_MODEL_KEY = 'sk-model-test-0123456789abcdef';

export interface ModelHarness extends Harness {
  model: ScriptedChatServer;
  /** Every log line the emulator wrote. */
  logLines: string[];
  /** GET /api/emulator/runs/{id}/execution */
  execution(runId: string): Promise<RunExecution>;
  /** Stops the emulator and the scripted model. */
  stop(): Promise<void>;
}

/**
 * The emulator with its runs executed by the scripted chat-completions server, on the real clock (model calls are
 * real HTTP) and fast retries.
 */
export async function startModelHarness(
  options: {
    dbPath?: string;
    settings?: Partial<ModelExecutorSettings>;
    model?: ScriptedChatServer;
    /** The endpoint's idle timeout (default 5 s: generous on a loaded machine; the hang tests shorten it). */
    idleTimeoutMs?: number;
    /** Bounds on what the model may send (default: the server's defaults). */
    limits?: ModelLimits;
  } = {},
): Promise<ModelHarness> {
  const model = options.model ?? (await startScriptedChatServer());
  const logLines: string[] = [];
  const harness = await createHarness({
    dbPath: options.dbPath ?? ':memory:',
    frozenWallClockMs: undefined,
    timeScale: 100,
    logger: createLogger('debug', (line) => logLines.push(line), false),
    model: {
      endpoint: {
        baseUrl: new URL(`${model.url}/`),
        apiKey: TEST_MODEL_KEY,
        idleTimeoutMs: options.idleTimeoutMs ?? 5_000,
        limits: options.limits,
      },
      modelMap: { 'gpt-4o': 'llama3.2' },
      concurrency: 4,
      retry: { maxRetries: 2, backoffMs: () => 20 },
      flushIntervalMs: 10,
      ...options.settings,
    },
  });
  return {
    ...harness,
    model,
    logLines,
    async execution(runId) {
      const response = await harness.admin(`/runs/${runId}/execution`);
      if (!response.ok) throw new Error(`execution: ${response.status} ${await response.text()}`);
      return (await response.json()) as RunExecution;
    },
    async stop() {
      await harness.close();
      await model.close();
    },
  };
}
