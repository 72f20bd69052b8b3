import { resolve } from 'node:path';
import { silentLogger } from '../../src/platform/logger';
import { loadConfig } from '../../src/server/config';
import { startServer, type RunningServer } from '../../src/server/start-server';
import {
  startScriptedChatServer,
  type ScriptedChatServer,
} from '../../src/assistants-server/llm-executor/test-support/scripted-chat-server';

/** The dashboard the shared server's start built (`npm run build` in the config's webServer). */
const DASHBOARD_DIR = resolve('dist/client');

/** A Runboard of a journey's own, in memory and without the demo seed, on a free loopback port. */
export function startOwnRunboard(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    RUNBOARD_DB: ':memory:',
    RUNBOARD_SEED: 'none',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, silentLogger, { dashboardDir: DASHBOARD_DIR });
}

export const MODEL_KEY = 'sk-journey-model-key-0123456789';

export interface ModelRunboard {
  server: RunningServer;
  /** The scripted chat-completions model its runs call (set `fallback` to script the answers). */
  model: ScriptedChatServer;
  close(): Promise<void>;
}

/** A Runboard whose runs a (scripted) model executes. */
export async function startModelRunboard(): Promise<ModelRunboard> {
  const model = await startScriptedChatServer();
  try {
    const server = await startOwnRunboard({
      RUNBOARD_MODEL_BASE_URL: model.url,
      RUNBOARD_MODEL_API_KEY: MODEL_KEY,
      RUNBOARD_MODEL_MAP: '*=llama3.2',
    });
    return {
      server,
      model,
      close: async () => {
        await server.close();
        await model.close();
      },
    };
  } catch (error) {
    await model.close();
    throw error;
  }
}
