import { afterEach, describe, expect, it } from 'vitest';
import { createPerimeterApp, type PerimeterApp } from './test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter.cleanup());

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

function corsHeaders(response: Response): string[] {
  return [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
}

describe('no CORS, ever', () => {
  it('answers a cross-site preflight with 403 and no CORS headers', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request('/v1/threads/thread_1/runs/run_1/cancel', {
      method: 'OPTIONS',
      headers: {
        host: 'localhost:3180',
        origin: 'https://attacker.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-runboard-token',
      },
    });
    expect(response.status).toBe(403);
    expect(corsHeaders(response)).toEqual([]);
  });

  it('answers a same-origin preflight without CORS headers either', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request('/api/config', {
      method: 'OPTIONS',
      headers: {
        host: 'localhost:3180',
        origin: 'http://localhost:3180',
        'access-control-request-method': 'GET',
      },
    });
    expect(corsHeaders(response)).toEqual([]);
  });

  it.each(['/', '/assets/index-abc.js', '/api/config', '/v1/threads/thread_1/runs'])(
    'sends no CORS headers on GET %s from a foreign origin',
    async (path) => {
      perimeter = createPerimeterApp();
      const response = await perimeter.app.request(path, {
        headers: { host: 'localhost:3180', origin: 'https://attacker.example' },
      });
      expect(response.status).toBe(200);
      expect(corsHeaders(response)).toEqual([]);
    },
  );

  it('strips CORS headers a backend sets', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request('/v1/assistants', {
      headers: { host: 'localhost:3180', origin: 'https://attacker.example' },
    });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual([]);
  });
});

describe('protective headers', () => {
  it.each([
    ['the dashboard page', '/', {}, 200],
    ['a client-side route', '/runs/thread_1', {}, 200],
    ['an asset', '/assets/index-abc.js', {}, 200],
    ['/api/config', '/api/config', {}, 200],
    ['an API answer', '/v1/threads/thread_1/runs', {}, 200],
    ['an unknown API route', '/api/nothing-here', {}, 404],
    ['a Host refusal', '/', { host: 'attacker.example' }, 403],
    ['a response with immutable headers', '/v1/threads/thread_1/elsewhere', {}, 302],
  ])('are on %s', async (_label, path, headers, status) => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request(path, { headers: { host: 'localhost:3180', ...headers } });
    expect(response.status).toBe(status);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('answers the API as JSON and the page as HTML', async () => {
    perimeter = createPerimeterApp();
    const api = await perimeter.app.request('/api/config', { headers: { host: 'localhost:3180' } });
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    const refusal = await perimeter.app.request('/api/config', { headers: { host: 'attacker.example' } });
    expect(refusal.headers.get('content-type')).toMatch(/^application\/json/);
    const page = await perimeter.app.request('/', { headers: { host: 'localhost:3180' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
