import { createLogger } from '../../../platform/logger';
import { EmulatorClock } from '../../emulation/clock/emulator-clock';
import { createThread } from '../../lifecycle/create-thread';
import { RunLifecycle } from '../../lifecycle/run-lifecycle';
import type { AssistantsStore } from '../../store/assistants-store';
import { insertAssistant } from '../../test-support/stored-assistant';
import { FileSearch } from '../../file-search/file-search';
import { LlmExecutor } from '../llm-executor';
import type { ScriptedChatServer } from './scripted-chat-server';

export interface ModelInstance {
  lifecycle: RunLifecycle;
  executor: LlmExecutor;
  /** Every log line it wrote. */
  logLines: string[];
}

/**
 * One instance's lifecycle and model executor on `store` (which several instances may share), leasing as `owner`:
 * what `createAssistantsServer` assembles, without routes or timers, so a test drives each step.
 */
export async function modelInstance(
  store: AssistantsStore,
  model: ScriptedChatServer,
  lease: { owner: string; leaseMs: number },
): Promise<ModelInstance> {
  const scale = { timeScale: 100 };
  const clock = await EmulatorClock.load(store.settings, Date.now, scale);
  const logLines: string[] = [];
  const logger = createLogger('debug', (line) => logLines.push(line), false);
  const lifecycle = new RunLifecycle(store, clock, scale, logger, () => {}, null, lease);
  const executor = new LlmExecutor(
    {
      endpoint: { baseUrl: new URL(`${model.url}/`), apiKey: null, idleTimeoutMs: 5_000 },
      modelMap: {},
      concurrency: 4,
      retry: { maxRetries: 0, backoffMs: () => 20 },
      flushIntervalMs: 10,
    },
    store,
    clock,
    logger,
    new FileSearch({ index: store.chunkIndex, embeddings: null }),
    (runId, produce) => lifecycle.settle(runId, produce),
    lease,
  );
  lifecycle.setExecutors({ model: executor, defaultKind: 'model' });
  return { lifecycle, executor, logLines };
}

/** An assistant and a thread asking "Hello?", then a run of it, started (its model call is dispatched). */
export async function startedModelRun(store: AssistantsStore, instance: ModelInstance) {
  const createdAt = Math.floor(Date.now() / 1000);
  const assistant = await insertAssistant(store, createdAt);
  const thread = await createThread(store, { messages: [{ role: 'user', content: 'Hello?' }] }, createdAt);
  const run = await instance.lifecycle.createRun(thread.id, { assistant_id: assistant.id });
  await instance.lifecycle.processDue();
  return run;
}
