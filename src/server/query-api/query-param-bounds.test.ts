import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import type { RunCounts } from '../../shared/runs-query-types';
import { startInMemoryServer, TEST_HEADERS, type InMemoryServer } from '../test-support/in-memory-server';

let server: InMemoryServer;
beforeEach(async () => {
  server = await startInMemoryServer();
});
afterEach(() => server.close());

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await server.app.request(path, { headers: TEST_HEADERS });
  return { status: response.status, body: await response.json() };
}

async function refusal(path: string): Promise<ErrorResponse['error']> {
  const { status, body } = await get(path);
  expect(status, path).toBe(400);
  return (body as ErrorResponse).error;
}

const words = (count: number, prefix = 'w') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('the search words (q)', () => {
  it('counts a word given again, in any case, once; refuses more than 16 different words naming q', async () => {
    const sixteen = words(16);
    const repeated = [...sixteen, ...sixteen.map((word) => word.toUpperCase()), ...Array(100).fill('w0')];
    for (const route of ['/api/runs', '/api/runs/counts', '/api/runs/usage', '/api/threads']) {
      expect((await get(`${route}?q=${encodeURIComponent(repeated.join(' '))}`)).status, route).toBe(200);
      const error = await refusal(`${route}?q=${encodeURIComponent(words(17).join(' '))}`);
      expect(error).toEqual({
        message: "Invalid 'q': 17 different words; a search takes at most 16 (every word must match).",
        type: 'invalid_request_error',
        param: 'q',
        code: 'invalid_parameter',
      });
    }
  });

  it('finds the same runs whatever the repeats and case', async () => {
    const seeded = await server.app.request('/api/emulator/seed', {
      method: 'POST',
      headers: { ...TEST_HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 40 }),
    });
    expect(seeded.status).toBe(200);
    const total = async (q: string) =>
      ((await get(`/api/runs/counts?q=${encodeURIComponent(q)}`)).body as RunCounts).total;
    const once = await total('gpt-4o');
    expect(once).toBeGreaterThan(0);
    expect(await total('gpt-4o GPT-4O Gpt-4o gpt-4o')).toBe(once);
  });

  it.each([
    ['NUL', '%00'],
    ['NUL inside a word', 'run%00x'],
    ['escape', '%1B%5B2J'],
    ['bell', 'a%07'],
    ['DEL', 'a%7F'],
    ['tab', 'a%09b'],
    ['line feed', 'a%0Ab'],
  ])('refuses a control character (%s) in q with a 400 on every route', async (_label, raw) => {
    for (const route of ['/api/runs', '/api/runs/counts', '/api/runs/usage', '/api/threads']) {
      const error = await refusal(`${route}?q=${raw}`);
      expect(error.param).toBe('q');
      expect(error.message).toMatch(/^Invalid 'q': contains the control character U\+00[0-7][0-9A-F]; /);
    }
  });

  it('refuses control characters in the other text filters; a metadata value may hold a line break', async () => {
    expect((await refusal('/api/runs?model=gpt%00')).param).toBe('model');
    expect((await refusal('/api/runs?metadata_key=k%00')).param).toBe('metadata_key');
    expect((await refusal('/api/runs?metadata_key=k&metadata_value=v%00')).param).toBe('metadata_value');
    expect((await get('/api/runs?metadata_key=k&metadata_value=line%0Abreak')).status).toBe(200);
  });
});

describe('integers in /api parameters', () => {
  it.each(['0x10', '1e2', '%205', '5%20', '5.0', '+5', '-1', '', '99999999999999999999'])(
    'refuses limit=%s (digits only) on /api/runs, /api/threads and /api/audit',
    async (raw) => {
      for (const route of ['/api/runs', '/api/threads', '/api/audit']) {
        expect((await refusal(`${route}?limit=${raw}`)).param, route).toBe('limit');
      }
      expect((await refusal(`/api/runs/counts?created_after=${raw}`)).param).toBe('created_after');
    },
  );

  it('accepts plain digits, leading zeros included', async () => {
    expect((await get('/api/runs?limit=010')).status).toBe(200);
    expect((await get('/api/audit?limit=5')).status).toBe(200);
  });
});

describe('refusals quote little of the input', () => {
  it.each([
    ['/api/runs?sort=', 'sort'],
    ['/api/runs?status=', 'status'],
    ['/api/runs?thread_id=', 'thread_id'],
    ['/api/runs?limit=', 'limit'],
    ['/api/audit?limit=', 'limit'],
    ['/api/changes?last_event_id=', 'last_event_id'],
  ])('%s<100 KB>', async (prefix, param) => {
    const huge = 'z'.repeat(100_000);
    const error = await refusal(`${prefix}${huge}`);
    expect(error.param).toBe(param);
    expect(error.message).toContain(`${'z'.repeat(100)}…`);
    expect(error.message).not.toContain('z'.repeat(101));
  });
});

describe('a thread cursor', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses one it did not write (a time beyond whole seconds, an id holding U+0000) on either store', async () => {
    for (const made of [
      [1e308, 'thread_a'],
      [1.5, 'thread_a'],
      [1_000, 'thread_\u0000'],
    ]) {
      const error = await refusal(`/api/threads?after=${cursor(made)}`);
      expect(error.param, JSON.stringify(made)).toBe('after');
    }
    expect((await get(`/api/threads?after=${cursor([1_000, 'thread_a'])}`)).status).toBe(200);
  });
});
