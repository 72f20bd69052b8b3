import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import { createPerimeterApp, type PerimeterApp } from './test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter.cleanup());

const TOKEN = 'c0ffee-0123456789abcdef-token';
const LOCAL = { host: 'localhost:3180' };

async function errorOf(response: Response): Promise<ErrorResponse['error']> {
  return ((await response.json()) as ErrorResponse).error;
}

describe('access token (RUNBOARD_TOKEN)', () => {
  it('is not asked for when none is configured', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request('/api/config', { headers: LOCAL });
    expect(response.status).toBe(200);
    expect((await response.json()).tokenRequired).toBe(false);
  });

  it('serves the dashboard page and its assets without it (public code)', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN });
    for (const path of ['/', '/runs/thread_1', '/assets/index-abc.js']) {
      expect((await perimeter.app.request(path, { headers: LOCAL })).status, path).toBe(200);
    }
  });

  it.each([
    ['GET', '/api/config'],
    ['GET', '/api/emulator/clock'],
    ['GET', '/v1/threads/thread_1/runs'],
    ['POST', '/v1/threads/thread_1/runs/run_1/cancel'],
    ['POST', '/runs/thread_1'],
  ])('answers %s %s without it with 401 runboard_token_required', async (method, path) => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN });
    const response = await perimeter.app.request(path, { method, headers: LOCAL });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      message:
        'This Runboard server requires its access token (RUNBOARD_TOKEN) in the x-runboard-token header.',
      type: 'invalid_request_error',
      param: null,
      code: 'runboard_token_required',
    });
    expect(perimeter.backendCalls).toEqual([]);
  });

  it.each([
    ['a wrong token', { 'x-runboard-token': 'c0ffee-0123456789abcdef-tokem' }],
    ['a prefix of the token', { 'x-runboard-token': TOKEN.slice(0, -1) }],
    ['the token plus more', { 'x-runboard-token': TOKEN + 'x' }],
    ['an empty token', { 'x-runboard-token': '' }],
    ['the token in a cookie', { cookie: `x-runboard-token=${TOKEN}; runboard_token=${TOKEN}` }],
    ['the token as a bearer key', { authorization: `Bearer ${TOKEN}` }],
  ])('refuses %s with 401', async (_label, headers) => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN });
    const response = await perimeter.app.request('/v1/threads/thread_1/runs/run_1/cancel', {
      method: 'POST',
      headers: { ...LOCAL, ...headers },
    });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('runboard_token_required');
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('lets the right token through on the API', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN });
    const headers = { ...LOCAL, 'x-runboard-token': TOKEN };
    const config = await perimeter.app.request('/api/config', { headers });
    expect(config.status).toBe(200);
    expect((await config.json()).tokenRequired).toBe(true);
    const cancel = await perimeter.app.request('/v1/threads/thread_1/runs/run_1/cancel', {
      method: 'POST',
      headers,
    });
    expect(cancel.status).toBe(200);
    expect(perimeter.backendCalls).toEqual(['cancel run_1']);
  });

  it('never writes the token to a log line', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: TOKEN, LOG_LEVEL: 'debug' });
    await perimeter.app.request('/api/config', { headers: { ...LOCAL, 'x-runboard-token': TOKEN } });
    await perimeter.app.request('/api/config', { headers: { ...LOCAL, 'x-runboard-token': 'wrong' } });
    expect(perimeter.logLines.length).toBeGreaterThan(0);
    expect(perimeter.logLines.join('\n')).not.toContain(TOKEN);
  });
});
