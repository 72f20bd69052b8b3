import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { ErrorResponse } from '../../shared/openai-types';
import { createLogger } from '../../platform/logger';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../start-server';
import { DRAIN_LIMIT_BYTES, MAX_REQUEST_BODY_BYTES } from './request-body-limit';

/**
 * Every SDK reuses keep-alive connections: after an oversized body the client must read the 413 (never a reset),
 * and its next, valid request on the same agent must be answered.
 */
let server: RunningServer;
let port: number;
beforeAll(async () => {
  const config = loadConfig({ PORT: '0', RUNBOARD_DB: ':memory:', RUNBOARD_SEED: 'none' });
  server = await startServer(config, createLogger('silent'), { dashboardDir: null });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function send(agent: http.Agent, path: string, body: Buffer | null, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (body && !chunked) headers['content-length'] = String(body.length);
    const request = http.request(
      { host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent, headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body: text }),
        );
      },
    );
    request.on('error', reject);
    if (body && chunked) {
      for (let offset = 0; offset < body.length; offset += 64 * 1024)
        request.write(body.subarray(offset, offset + 64 * 1024));
    } else if (body) request.write(body);
    request.end();
  });
}

const oversized = Buffer.alloc(2 * MAX_REQUEST_BODY_BYTES, 'x');
const beyondDrain = Buffer.alloc(MAX_REQUEST_BODY_BYTES + DRAIN_LIMIT_BYTES + 1024 * 1024, 'x');

describe('an oversized body on a keep-alive connection', () => {
  it.each([
    ['with Content-Length', false],
    ['chunked, without Content-Length', true],
  ])(
    '%s: the 413 arrives every time and the next request on the same agent is answered',
    async (_, chunked) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let attempt = 0; attempt < 20; attempt++) {
        const refused = await send(agent, '/v1/threads', oversized, chunked);
        expect(refused.status).toBe(413);
        expect(refused.connection).toBe('keep-alive');
        expect((JSON.parse(refused.body) as ErrorResponse).error.code).toBe('request_body_too_large');
        const next = await send(agent, '/api/config', null);
        expect(next.status).toBe(200);
      }
      agent.destroy();
    },
  );

  it('the same through fetch (the SDK’s transport), oversized then valid, many times', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const refused = await fetch(`${server.url}/v1/threads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: oversized,
      });
      expect(refused.status).toBe(413);
      expect(((await refused.json()) as ErrorResponse).error.code).toBe('request_body_too_large');
      expect((await fetch(`${server.url}/api/config`)).status).toBe(200);
    }
  });

  it.each([
    ['with Content-Length', false],
    ['chunked, without Content-Length', true],
  ])(
    '%s beyond what is drained: a clean 413 with Connection: close, then a new connection works',
    async (_, chunked) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let attempt = 0; attempt < 3; attempt++) {
        const refused = await send(agent, '/v1/threads', beyondDrain, chunked);
        expect(refused.status).toBe(413);
        expect(refused.connection).toBe('close');
        expect((await send(agent, '/api/config', null)).status).toBe(200);
      }
      agent.destroy();
    },
  );
});
