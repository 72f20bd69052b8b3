import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import { createPerimeterApp, type PerimeterApp } from './test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter.cleanup());

const LIST = '/v1/threads/thread_1/runs';
const CANCEL = '/v1/threads/thread_1/runs/run_1/cancel';

function request(path: string, site: string | undefined, method = 'GET'): Promise<Response> {
  const headers: Record<string, string> = { host: 'localhost:3180' };
  if (site !== undefined) headers['sec-fetch-site'] = site;
  return Promise.resolve(perimeter.app.request(path, { method, headers }));
}

describe('cross-site requests to the API (Sec-Fetch-Site)', () => {
  it.each([LIST, '/api/config', '/api/runs?q=a%20b'])(
    'refuses GET %s from another site with 403 in OpenAI’s error shape',
    async (path) => {
      perimeter = createPerimeterApp();
      const response = await request(path, 'cross-site');
      expect(response.status).toBe(403);
      const body = (await response.json()) as ErrorResponse;
      expect(body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'runboard_cross_site_refused',
      });
      expect(body.error.message).toContain('Sec-Fetch-Site: cross-site');
      expect(perimeter.logLines.some((line) => line.includes('refused a cross-site request'))).toBe(true);
    },
  );

  it('refuses a cross-site write before it reaches the backend', async () => {
    perimeter = createPerimeterApp();
    expect((await request(CANCEL, 'cross-site', 'POST')).status).toBe(403);
    expect(perimeter.backendCalls).toEqual([]);
  });

  it.each([['same-origin'], ['same-site'], ['none'], [undefined]])(
    'lets Sec-Fetch-Site %s through',
    async (site) => {
      perimeter = createPerimeterApp();
      expect((await request(LIST, site)).status).toBe(200);
      expect((await request(CANCEL, site, 'POST')).status).toBe(200);
      expect(perimeter.backendCalls).toEqual(['cancel run_1']);
    },
  );

  it('lets a page of an origin the operator allowed (RUNBOARD_ALLOWED_ORIGINS) call the API from another site', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_ALLOWED_ORIGINS: 'https://portal.example' });
    const allowed = await perimeter.app.request(CANCEL, {
      method: 'POST',
      headers: { host: 'localhost:3180', 'sec-fetch-site': 'cross-site', origin: 'https://portal.example' },
    });
    expect(allowed.status).toBe(200);
    const other = await perimeter.app.request(LIST, {
      headers: { host: 'localhost:3180', 'sec-fetch-site': 'cross-site', origin: 'https://attacker.example' },
    });
    expect(other.status).toBe(403);
  });

  it('still opens the dashboard from a link on another site', async () => {
    perimeter = createPerimeterApp();
    expect((await request('/', 'cross-site')).status).toBe(200);
  });
});
