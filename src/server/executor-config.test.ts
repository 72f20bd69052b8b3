import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../platform/logger';
import type { RunboardConfig } from '../shared/runboard-types';
import { createApp } from './app';
import { openAuditStore } from './audit/audit-store';
import { createBackend, type RunningBackend } from './backend';
import { loadConfig } from './config';

let backend: RunningBackend | null = null;
afterEach(() => backend?.close());

async function configFor(env: Record<string, string>): Promise<{ body: RunboardConfig; text: string }> {
  const config = loadConfig({ RUNBOARD_DB: ':memory:', RUNBOARD_SEED: 'none', LOG_LEVEL: 'silent', ...env });
  backend = await createBackend(config, silentLogger);
  const app = createApp({
    config,
    logger: silentLogger,
    backend,
    dashboardDir: null,
    audit: openAuditStore(':memory:'),
  });
  const response = await app.request('http://127.0.0.1:3180/api/config');
  const text = await response.text();
  return { body: JSON.parse(text) as RunboardConfig, text };
}

describe('/api/config says who executes the runs', () => {
  it('the script, by default', async () => {
    const { body } = await configFor({});
    expect(body.executor).toEqual({ kind: 'scripted', modelHost: null, concurrency: null });
  });

  it('the model, with its host and concurrency but never its key', async () => {
    const { body, text } = await configFor({
      RUNBOARD_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1',
      RUNBOARD_MODEL_API_KEY: 'sk-never-in-the-browser',
      RUNBOARD_MODEL_CONCURRENCY: '3',
    });
    expect(body.executor).toEqual({ kind: 'model', modelHost: '127.0.0.1:11434', concurrency: 3 });
    expect(text).not.toContain('sk-never');
  });

  it('nobody in proxy mode: the upstream runs them', async () => {
    const { body } = await configFor({ OPENAI_BASE_URL: 'https://llm.example.com/v1' });
    expect(body.executor).toBeNull();
  });
});
