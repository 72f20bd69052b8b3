import { Hono } from 'hono';
import OpenAI from 'openai';
import type { AssistantsServer, AssistantsServerOptions } from '../assistants-server';
import { createQuietAssistantsServer } from './quiet-server';

/** A fixed start for tests' frozen wall clock: 2026-01-15T09:00:00Z. */
export const TEST_START_MS = Date.UTC(2026, 0, 15, 9, 0, 0);

export interface Harness {
  emulator: AssistantsServer;
  app: Hono;
  client: OpenAI;
  /** Moves emulator time forward through the admin route, applying whatever becomes due. */
  advance(seconds: number): Promise<void>;
  admin(path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The emulator mounted as the server mounts it, and OpenAI's SDK talking to it through an in-process fetch.
 * Time stands still unless a test advances it: no sleeps, no timers.
 */
export async function createHarness(overrides: Partial<AssistantsServerOptions> = {}): Promise<Harness> {
  const emulator = await createQuietAssistantsServer({ frozenWallClockMs: TEST_START_MS, ...overrides });
  const app = new Hono();
  app.route('/api/emulator', emulator.admin);
  app.route('/v1', emulator.api);
  const client = new OpenAI({
    apiKey: 'test',
    baseURL: 'http://emulator.test/v1',
    fetch: async (url, init) => app.fetch(new Request(url, init)),
    maxRetries: 0,
  });
  const admin = async (path: string, body?: unknown) =>
    app.fetch(
      new Request(`http://emulator.test/api/emulator${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  return {
    emulator,
    app,
    client,
    admin,
    async advance(seconds) {
      const response = await admin('/clock', { advance_seconds: seconds });
      if (!response.ok) throw new Error(`clock advance failed: ${response.status} ${await response.text()}`);
    },
    close: () => emulator.close(),
  };
}

export const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['location'],
    },
  },
};

export const ORDER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'lookup_order',
    parameters: {
      type: 'object',
      properties: {
        order_id: { type: 'string', minLength: 5 },
        items: { type: 'array', items: { type: 'integer', minimum: 3 } },
      },
      required: ['order_id'],
    },
  },
};
