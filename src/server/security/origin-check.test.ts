import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import { createPerimeterApp, type PerimeterApp } from './test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter.cleanup());

const CANCEL = '/v1/threads/thread_1/runs/run_1/cancel';

async function cancelFrom(headers: Record<string, string>): Promise<Response> {
  return perimeter.app.request(CANCEL, { method: 'POST', headers: { host: 'localhost:3180', ...headers } });
}

describe('Origin check on writes', () => {
  it.each([
    ['a foreign site', 'https://attacker.example'],
    ['a sibling localhost port', 'http://localhost:5173'],
    ['a sibling port on 127.0.0.1', 'http://127.0.0.1:8888'],
    ['our host over https', 'https://localhost:3180'],
    ['our host without its port', 'http://localhost'],
    ['an opaque origin (sandboxed iframe, file://)', 'null'],
    ['a look-alike name', 'http://localhost.attacker.example:3180'],
    ['an origin with a trailing slash', 'http://localhost:3180/'],
  ])('refuses a write from %s with 403, and nothing changes', async (_label, origin) => {
    perimeter = createPerimeterApp();
    const response = await cancelFrom({ origin });
    expect(response.status).toBe(403);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error.code).toBe('runboard_origin_not_allowed');
    expect(body.error.message).toContain('add other origins to RUNBOARD_ALLOWED_ORIGINS');
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('refuses the DNS rebinding pair, where Host and Origin agree on the attacker name', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request(CANCEL, {
      method: 'POST',
      headers: { host: 'rebind.attacker.example:3180', origin: 'http://rebind.attacker.example:3180' },
    });
    expect(response.status).toBe(403);
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('refuses a rebinding pair even for a name allowed as a Host, when the Origin carries another port', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_ALLOWED_HOSTS: 'runboard.lan' });
    const response = await perimeter.app.request(CANCEL, {
      method: 'POST',
      headers: { host: 'runboard.lan:9999', origin: 'http://runboard.lan:9999' },
    });
    expect(response.status).toBe(403);
    expect(perimeter.backendCalls).toEqual([]);
  });

  it.each(['http://localhost:3180', 'http://127.0.0.1:3180', 'http://[::1]:3180'])(
    'lets its own page at %s write',
    async (origin) => {
      perimeter = createPerimeterApp();
      const response = await cancelFrom({ origin });
      expect(response.status).toBe(200);
      expect(perimeter.backendCalls).toEqual(['cancel run_1']);
    },
  );

  it('lets requests without an Origin (the SDK, curl) write', async () => {
    perimeter = createPerimeterApp();
    expect((await cancelFrom({})).status).toBe(200);
    expect(perimeter.backendCalls).toEqual(['cancel run_1']);
  });

  it('accepts configured origins and allowed host names on our port', async () => {
    perimeter = createPerimeterApp({
      RUNBOARD_ALLOWED_HOSTS: 'runboard.lan',
      RUNBOARD_ALLOWED_ORIGINS: 'https://runboard.example, http://localhost:5173',
    });
    for (const origin of ['https://runboard.example', 'http://localhost:5173', 'http://runboard.lan:3180']) {
      expect((await cancelFrom({ origin })).status, origin).toBe(200);
    }
    expect((await cancelFrom({ origin: 'https://runboard.example:8443' })).status).toBe(403);
    expect(perimeter.backendCalls).toHaveLength(3);
  });

  it.each(['PUT', 'PATCH', 'DELETE', 'OPTIONS'])('checks %s as a write too', async (method) => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request('/v1/threads/thread_1', {
      method,
      headers: { host: 'localhost:3180', origin: 'https://attacker.example' },
    });
    expect(response.status).toBe(403);
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('lets a foreign page send a GET, which changes nothing and cannot be read without CORS', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request('/v1/threads/thread_1/runs', {
      headers: { host: 'localhost:3180', origin: 'https://attacker.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reads the port lazily: with PORT=0 the origin is the one known after listen', async () => {
    perimeter = createPerimeterApp({}, 0);
    perimeter.setListeningPort(41_234);
    expect((await cancelFrom({ origin: 'http://localhost:0' })).status).toBe(403);
    expect((await cancelFrom({ origin: 'http://localhost:3180' })).status).toBe(403);
    expect((await cancelFrom({ origin: 'http://localhost:41234' })).status).toBe(200);
    expect(perimeter.backendCalls).toEqual(['cancel run_1']);
  });

  it('derives its origins from configuration, not from the Host header', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request(CANCEL, {
      method: 'POST',
      headers: { host: 'localhost:4444', origin: 'http://localhost:4444' },
    });
    expect(response.status).toBe(403);
  });
});
