import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../shared/openai-types';
import { createPerimeterApp, type PerimeterApp } from './security/test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter.cleanup());

const errorLines = () =>
  perimeter.logLines
    .map((line) => JSON.parse(line) as Record<string, string>)
    .filter((line) => line.level === 'error');

describe('the server’s error handler', () => {
  it('answers an unexpected error with a 500 in OpenAI’s error shape, without stack or input, and logs it once', async () => {
    perimeter = createPerimeterApp();
    const path = '/v1/threads/thread_secret-input-zz/broken';
    const response = await perimeter.app.request(path, { headers: { host: 'localhost:3180' } });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        message:
          'The server had an error while processing your request. Sorry about that! The details are in the server log.',
        type: 'server_error',
        param: null,
        code: null,
      },
    } satisfies ErrorResponse);
    expect(text).not.toContain('secret-input-zz');
    expect(text).not.toContain('TypeError');
    expect(errorLines()).toHaveLength(1);
    expect(errorLines()[0]).toMatchObject({ message: 'request failed', method: 'GET', path });
    expect(errorLines()[0]!.error).toMatch(/^TypeError: cannot read the thread/);
    expect(errorLines()[0]!.stack).toContain('perimeter-app.ts');
  });

  it('passes a refusal thrown as an answer through as it is', async () => {
    perimeter = createPerimeterApp();
    const response = await perimeter.app.request('/v1/threads/thread_1/refused', {
      headers: { host: 'localhost:3180' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorResponse).error.param).toBe('limit');
    expect(errorLines()).toEqual([]);
  });
});
