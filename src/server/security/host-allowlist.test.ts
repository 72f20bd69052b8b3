import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../shared/openai-types';
import { createPerimeterApp, type PerimeterApp } from './test-support/perimeter-app';

let perimeter: PerimeterApp;
afterEach(() => perimeter.cleanup());

const EVERY_KIND_OF_ROUTE = [
  '/',
  '/runs/thread_1',
  '/assets/index-abc.js',
  '/api/config',
  '/v1/threads/thread_1/runs',
];

describe('Host allowlist', () => {
  it.each([
    'localhost',
    'localhost:3180',
    'localhost:1',
    'LOCALHOST:3180',
    '127.0.0.1',
    '127.0.0.1:8080',
    '[::1]',
    '[::1]:3180',
  ])('answers Host %s on every route', async (host) => {
    perimeter = createPerimeterApp();
    for (const path of EVERY_KIND_OF_ROUTE) {
      const response = await perimeter.app.request(path, { headers: { host } });
      expect(response.status, `${host} ${path}`).toBe(200);
    }
  });

  it.each([
    ['a foreign name', 'attacker.example'],
    ['a rebinding name on our port', 'attacker.example:3180'],
    ['a name that starts like localhost', 'localhost.foo'],
    ['a name that is almost localhost', 'localhos'],
    ['localhost with a trailing dot', 'localhost.'],
    ['a wildcard DNS name for 127.0.0.1', '127.0.0.1.nip.io'],
    ['an empty Host', ''],
    ['a malformed IPv6 literal', '[::z]'],
    ['IPv6 loopback without brackets', '::1'],
    ['an IPv6 literal that is not loopback', '[::2]'],
    ['an out-of-range IPv4 address', '255.255.255.256'],
    ['another loopback spelling', '127.0.0.2'],
    ['a name in brackets', '[example.com]'],
    ['a non-numeric port', 'localhost:abc'],
    ['an out-of-range port', 'localhost:99999'],
    ['port zero', 'localhost:0'],
    ['userinfo', 'user@localhost'],
    ['two hosts', 'localhost:3180, attacker.example'],
    ['a path', 'localhost/evil'],
  ])('refuses %s (%j) with 403 on every route, before anything runs', async (_label, host) => {
    perimeter = createPerimeterApp();
    for (const path of EVERY_KIND_OF_ROUTE) {
      const response = await perimeter.app.request(path, { headers: { host } });
      expect(response.status, path).toBe(403);
      const body = (await response.json()) as ErrorResponse;
      expect(body.error.code).toBe('runboard_host_not_allowed');
      expect(body.error.message).toContain('add other names to RUNBOARD_ALLOWED_HOSTS');
    }
    const write = await perimeter.app.request('/v1/threads/thread_1/runs/run_1/cancel', {
      method: 'POST',
      headers: { host },
    });
    expect(write.status).toBe(403);
    expect(perimeter.backendCalls).toEqual([]);
  });

  it('also accepts the names configured in RUNBOARD_ALLOWED_HOSTS, and only those', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_ALLOWED_HOSTS: 'runboard.lan, 192.168.1.20,[fd00::20]' });
    for (const host of [
      'runboard.lan',
      'RUNBOARD.LAN:3180',
      '192.168.1.20:3180',
      '[fd00::20]:3180',
      'localhost:3180',
    ]) {
      expect((await perimeter.app.request('/api/config', { headers: { host } })).status, host).toBe(200);
    }
    for (const host of ['other.lan', 'sub.runboard.lan', 'runboard.lan.attacker.example', '192.168.1.21']) {
      expect((await perimeter.app.request('/api/config', { headers: { host } })).status, host).toBe(403);
    }
  });

  it('accepts the address it is bound to when that names one host', async () => {
    perimeter = createPerimeterApp({ HOST: '192.168.1.20', RUNBOARD_TOKEN: 'secret-token' });
    const response = await perimeter.app.request('/api/config', {
      headers: { host: '192.168.1.20:3180', 'x-runboard-token': 'secret-token' },
    });
    expect(response.status).toBe(200);
  });

  it('does not accept every name when bound to all interfaces', async () => {
    perimeter = createPerimeterApp({ HOST: '0.0.0.0', RUNBOARD_TOKEN: 'secret-token' });
    for (const host of ['0.0.0.0:3180', '192.168.1.20:3180', 'attacker.example:3180']) {
      const response = await perimeter.app.request('/api/config', {
        headers: { host, 'x-runboard-token': 'secret-token' },
      });
      expect(response.status, host).toBe(403);
    }
  });

  it('refuses a foreign Host before the token check and the body limit run', async () => {
    perimeter = createPerimeterApp({ RUNBOARD_TOKEN: 'secret-token' });
    const response = await perimeter.app.request('/v1/threads/thread_1/messages', {
      method: 'POST',
      headers: { host: 'attacker.example:3180', 'content-length': String(2 * 1024 * 1024) },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as ErrorResponse).error.code).toBe('runboard_host_not_allowed');
  });

  it('logs the refusal without the headers', async () => {
    perimeter = createPerimeterApp();
    await perimeter.app.request('/api/config', {
      headers: { host: 'attacker.example', cookie: 'session=secret-cookie' },
    });
    const log = perimeter.logLines.join('\n');
    expect(log).toContain('refused a request for a host that is not allowed');
    expect(log).not.toContain('secret-cookie');
  });
});
