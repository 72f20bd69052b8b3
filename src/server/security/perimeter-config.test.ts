import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

describe('perimeter settings in the environment', () => {
  it('normalises allowed hosts and origins', () => {
    const config = loadConfig({
      RUNBOARD_ALLOWED_HOSTS: 'Runboard.LAN, 192.168.1.20, [fd00::20]',
      RUNBOARD_ALLOWED_ORIGINS: 'https://Runboard.example, http://localhost:5173/, http://runboard.lan:80',
    });
    expect(config.allowedHosts).toEqual(['runboard.lan', '192.168.1.20', '[fd00::20]']);
    expect(config.allowedOrigins).toEqual([
      'https://runboard.example',
      'http://localhost:5173',
      'http://runboard.lan',
    ]);
  });

  it.each(['runboard.lan:3180', 'http://runboard.lan', 'fd00::20', '*', 'runboard.lan/path'])(
    'refuses the allowed host %j with a clear message',
    (entry) => {
      expect(() => loadConfig({ RUNBOARD_ALLOWED_HOSTS: entry })).toThrow(ConfigError);
      expect(() => loadConfig({ RUNBOARD_ALLOWED_HOSTS: entry })).toThrow(
        `RUNBOARD_ALLOWED_HOSTS takes host names or addresses without a port (IPv6 in brackets), got '${entry}'.`,
      );
    },
  );

  it.each([
    'runboard.example',
    'https://runboard.example/app',
    'https://user@runboard.example',
    'null',
    '*',
    'ftp://x',
  ])('refuses the allowed origin %j with a clear message', (entry) => {
    expect(() => loadConfig({ RUNBOARD_ALLOWED_ORIGINS: entry })).toThrow(
      `RUNBOARD_ALLOWED_ORIGINS takes exact origins such as https://runboard.example:8443 (scheme, host, port; no path), got '${entry}'.`,
    );
  });

  it('refuses credentials or a query in OPENAI_BASE_URL, so the key lives only in OPENAI_API_KEY', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'https://user:sk-secret@upstream.example/v1' })).toThrow(
      'OPENAI_BASE_URL must not carry credentials: put the key in OPENAI_API_KEY.',
    );
    expect(() => loadConfig({ OPENAI_BASE_URL: 'https://upstream.example/v1?api-key=sk-secret' })).toThrow(
      "OPENAI_BASE_URL must not have a query or fragment, got 'https://upstream.example/v1…'.",
    );
  });

  it('reads the upstream timeout, 30 s by default', () => {
    expect(loadConfig({ OPENAI_BASE_URL: 'https://upstream.example/v1' }).proxy?.timeoutMs).toBe(30_000);
    expect(
      loadConfig({ OPENAI_BASE_URL: 'https://upstream.example/v1', RUNBOARD_UPSTREAM_TIMEOUT_MS: '5000' })
        .proxy?.timeoutMs,
    ).toBe(5_000);
  });
});
