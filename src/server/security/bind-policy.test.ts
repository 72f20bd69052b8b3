import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { assertBindAllowed, isLoopbackHost } from './bind-policy';

describe('binding', () => {
  it.each(['127.0.0.1', '127.0.0.53', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])(
    'allows loopback %s without a token',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
      expect(() => assertBindAllowed({ host, token: null })).not.toThrow();
    },
  );

  it.each(['0.0.0.0', '::', '192.168.1.20', 'runboard.lan', 'localhost.attacker.example', '128.0.0.1'])(
    'refuses to bind %s without a token, saying why and what to do',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
      expect(() => assertBindAllowed({ host, token: null })).toThrow(ConfigError);
      expect(() => assertBindAllowed({ host, token: null })).toThrow(
        `HOST=${host} would make Runboard reachable from other machines`,
      );
      expect(() => assertBindAllowed({ host, token: null })).toThrow('Set RUNBOARD_TOKEN');
    },
  );

  it('binds beyond loopback once a token is set', () => {
    expect(() => assertBindAllowed({ host: '0.0.0.0', token: 'a-long-random-secret' })).not.toThrow();
  });
});
