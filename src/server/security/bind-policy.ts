import { ConfigError, type ServerConfig } from '../config';

/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}

/** `0.0.0.0` and `::` listen on every interface: they name no host a browser would use. */
export function isWildcardHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare === '0.0.0.0' || bare === '::' || bare === '';
}

/** Jupyter's rule: anything beyond loopback is reachable by other machines and needs an access token. */
export function assertBindAllowed(config: Pick<ServerConfig, 'host' | 'token'>): void {
  if (isLoopbackHost(config.host) || config.token !== null) return;
  throw new ConfigError(
    `HOST=${config.host} would make Runboard reachable from other machines, and it can cancel runs and use the ` +
      'server API key. Set RUNBOARD_TOKEN to a long random secret (for example `openssl rand -hex 32`) to require ' +
      'it on every API request, or leave HOST unset to listen on 127.0.0.1 only.',
  );
}
